package web

// The monthly ledger (月度包案台账, /ledger) and bulletin (月度通报, /bulletin), printable and
// exported as workbooks (/ledger.xlsx, /bulletin.xlsx). The office, admins and leaders read
// them; a leader reads the whole ledger, as the joint meeting does (see the README).

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/title"
	"github.com/earlywarn/earlywarn/web/review"
)

// ledgerRoles may read and export the ledger and the bulletin.
var ledgerRoles = deciders

// bulletinTop is how many townships, categories or units the bulletin lists before "other".
const bulletinTop = 10

// monthView is what the ledger and the bulletin share: the month, the line printed above them
// and the links to the neighbouring months.
type monthView struct {
	Month            string // YYYY-MM
	Heading          string // office · title · month · printed on
	Prev, Next, XLSX string // links
	Owner            string // the ledger's owner filter; "" for every owner
	Owners           []string
}

// month reads ?month=YYYY-MM (this month in the office's zone when absent) and returns its
// first instant; it answers 400 itself for a month it cannot read.
func (s *Server) month(w http.ResponseWriter, r *http.Request, ss *session) (time.Time, bool) {
	v := r.URL.Query().Get("month")
	if v == "" {
		return review.Month(s.now(), s.loc), true
	}
	m, err := time.ParseInLocation("2006-01", v, s.loc)
	if err != nil || m.Year() < 2000 || m.Year() > 2100 {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_month", clip(v, 20)))
		return time.Time{}, false
	}
	if this := review.Month(s.now(), s.loc); m.After(this) {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.future_month", v, this.Format("2006-01")))
		return time.Time{}, false
	}
	return m, true
}

// monthClock is the clock a month's reminders are computed on: now, or the month's last
// instant for a month gone by.
func (s *Server) monthClock(month time.Time) review.Clock {
	c := s.clock()
	if end := month.AddDate(0, 1, 0).Add(-time.Second); end.Before(c.Now) {
		c.Now = end
	}
	return c
}

// monthHead fills in what the ledger and the bulletin of month share; title is the catalogue
// key of the page's title; path the page's path.
func (s *Server) monthHead(month time.Time, title, path, owner string) monthView {
	m := month.Format("2006-01")
	link := func(p string, t time.Time) string {
		q := url.Values{"month": {t.Format("2006-01")}}
		if owner != "" {
			q.Set("owner", owner)
		}
		return p + "?" + q.Encode()
	}
	return monthView{Month: m, Owner: owner, Owners: s.leaders,
		Heading: s.t("web.print.heading", s.office, s.t(title), s.t("web.print.month", month.Year(), int(month.Month())), s.now().In(s.loc).Format(time.DateOnly)),
		Prev:    link(path, month.AddDate(0, -1, 0)), Next: link(path, month.AddDate(0, 1, 0)), XLSX: link(path+".xlsx", month)}
}

type ledgerData struct {
	monthView
	Lines []ledgerLine
}

// ledgerRows reads the ledger of the month the request asks for, of one owner (?owner=) or all;
// it answers itself when it cannot.
func (s *Server) ledgerRows(w http.ResponseWriter, r *http.Request, ss *session) (ledgerData, bool) {
	month, ok := s.month(w, r, ss)
	if !ok {
		return ledgerData{}, false
	}
	owner := r.URL.Query().Get("owner")
	if owner != "" && !slices.Contains(s.leaders, owner) {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.not_a_leader", clip(owner, 64)))
		return ledgerData{}, false
	}
	rows, err := review.Ledger(r.Context(), s.store.DB(), month, s.monthClock(month))
	if err != nil {
		s.internal(w, r, ss, err)
		return ledgerData{}, false
	}
	if owner != "" {
		rows = slices.DeleteFunc(rows, func(l review.LedgerRow) bool { return l.Owner != owner })
	}
	return ledgerData{monthView: s.monthHead(month, "web.ledger", "/ledger", owner), Lines: s.ledgerLines(rows)}, true
}

func (s *Server) ledger(w http.ResponseWriter, r *http.Request, ss *session) {
	d, ok := s.ledgerRows(w, r, ss)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "ledger", s.page(ss, s.t("web.ledger"), d))
}

func (s *Server) ledgerXLSX(w http.ResponseWriter, r *http.Request, ss *session) {
	d, ok := s.ledgerRows(w, r, ss)
	if !ok {
		return
	}
	s.sendBook(w, r, ss, "web.ledger", d.Month, func() ([]byte, error) { return s.ledgerBook(d) })
}

type bulletinData struct {
	monthView
	B          *review.Bulletin
	Changes    []string // the changes counted, in order
	Summary    string
	LeaderHead []string
}

// bulletinData reads the bulletin of the month the request asks for; it answers itself when it
// cannot.
func (s *Server) bulletinData(w http.ResponseWriter, r *http.Request, ss *session) (bulletinData, bool) {
	month, ok := s.month(w, r, ss)
	if !ok {
		return bulletinData{}, false
	}
	b, err := review.LoadBulletin(r.Context(), s.store.DB(), month, s.monthClock(month))
	if err != nil {
		s.internal(w, r, ss, err)
		return bulletinData{}, false
	}
	other := s.t("web.bulletin.other")
	b.ByTownship = review.Top(b.ByTownship, bulletinTop, other)
	b.ByCategory = review.Top(b.ByCategory, bulletinTop, other)
	b.ByUnit = review.Top(b.ByUnit, bulletinTop, other)
	for _, gs := range [][]review.GroupCount{b.ByTownship, b.ByCategory, b.ByUnit} {
		for i := range gs {
			gs[i].Key = s.groupKey(gs[i].Key)
		}
	}
	b.Leaders = sortedLeaders(b.Leaders)
	d := bulletinData{monthView: s.monthHead(month, "web.bulletin", "/bulletin", ""), B: b,
		Changes: []string{"new", "worse", "reopened", "cleared"}, LeaderHead: s.bulletinLeaderHead()}
	d.Summary, d.Owners = s.bulletinSummary(d), nil // the bulletin is of every leader
	return d, true
}

func (s *Server) bulletin(w http.ResponseWriter, r *http.Request, ss *session) {
	d, ok := s.bulletinData(w, r, ss)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "bulletin", s.page(ss, s.t("web.bulletin"), d))
}

func (s *Server) bulletinXLSX(w http.ResponseWriter, r *http.Request, ss *session) {
	d, ok := s.bulletinData(w, r, ss)
	if !ok {
		return
	}
	s.sendBook(w, r, ss, "web.bulletin", d.Month, func() ([]byte, error) { return s.bulletinBook(d) })
}

// sendBook answers with the workbook build makes, named after the catalogue's title and month.
func (s *Server) sendBook(w http.ResponseWriter, r *http.Request, ss *session, title, month string, build func() ([]byte, error)) {
	b, err := build()
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	name := s.t(title) + "-" + month + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(b)
}

// matterTitle is how the ledger, the bulletin and their workbooks name a matter: its title, or
// one composed from its place and category when its watchlist item has none (an earlier version's run).
func matterTitle(r review.LedgerRow) string {
	return review.ItemTitle(r.Title, title.Facts{Township: r.Township, Category: r.Category})
}

// ledgerPlace is where a matter is and who is responsible, one line.
func ledgerPlace(r review.LedgerRow) string {
	var parts []string
	for _, p := range []string{r.Township, r.Category, r.Unit} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}
