package web

// The pages that read: the watchlist, a matter and the audit log.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/earlywarn/earlywarn/web/review"
)

type watchlistData struct {
	Page       review.Page
	Options    review.Options
	Filter     review.Filter
	Tiers      []string
	States     []string // the review states of the tab shown
	Changes    []string // the states against the previous run a listed matter can have
	Prev, Next string
	Tabs       []tabLink
	Baoan      listBaoan
}

// listBaoan are the watchlist's 包案 filters: owners and reminders to choose from.
type listBaoan struct {
	Owners, Reminders []string
}

// listedChanges are the states against the previous run of matters on a watchlist (cleared and
// suppressed matters are not on it).
var listedChanges = []string{"new", "worse", "reopened", "continuing"}

func (s *Server) watchlist(w http.ResponseWriter, r *http.Request, ss *session) {
	q := r.URL.Query()
	f := review.Filter{Tier: q.Get("tier"), Township: q.Get("township"), Category: q.Get("category"),
		Rule: q.Get("rule"), State: q.Get("state"), Change: q.Get("change"), Tab: q.Get("tab"), Page: 1, PerPage: perPage,
		Owner: q.Get("owner"), Reminder: q.Get("reminder"), Sort: q.Get("sort"), Clock: s.clock()}
	// bad answers that the query parameter field has an invalid value.
	bad := func(field, value string) {
		label := s.t("web." + field)
		if field == "page" {
			label = s.t("web.page_number")
		}
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_filter", label, field, clip(value, 60)))
	}
	if f.Tier != "" && !slices.Contains(review.Tiers, f.Tier) {
		bad("tier", f.Tier)
		return
	}
	if f.State != "" && !slices.Contains(review.States, f.State) {
		bad("state", f.State)
		return
	}
	if f.Tab != "" && !slices.Contains(review.Tabs, f.Tab) {
		bad("tab", f.Tab)
		return
	}
	f.Tab = tabFor(f)
	if f.Change != "" && !slices.Contains(listedChanges, f.Change) {
		bad("change", f.Change)
		return
	}
	if !s.listFilterOK(f, bad) {
		return
	}
	for _, kv := range [][2]string{{"township", f.Township}, {"category", f.Category}, {"rule", f.Rule}} {
		if checkText(kv[1], maxFilter, false) != nil {
			bad(kv[0], kv[1])
			return
		}
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			bad("page", p)
			return
		}
		f.Page = n
	}
	runID, asOf, err := review.LatestRun(r.Context(), s.store.DB())
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	pg, err := review.Watchlist(r.Context(), s.store.DB(), runID, asOf, s.lang, f)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	opts, err := s.filterOptions(r.Context(), runID)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	d := watchlistData{Page: pg, Options: opts, Filter: f, Tiers: review.Tiers, States: review.TabStates(f.Tab), Changes: listedChanges,
		Tabs: watchlistTabs(f, pg.Tabs), Baoan: listBaoan{Owners: s.leaders, Reminders: append([]string{"any"}, review.ReminderCodes...)}}
	d.Prev, d.Next = pageLinks("/watchlist", listParams(f), pg.Page, pg.Pages)
	p := s.page(ss, s.t("web.watchlist"), d)
	if done := q.Get("done"); done == review.ActRun {
		p.Flash = s.t("web.done.run")
	}
	s.render(w, http.StatusOK, "watchlist", p)
}

type matterData struct {
	M                                                               *review.Matter
	CanTake, CanPlan, CanProgress, CanResolve, CanDismiss, CanAudit bool
	Baoan                                                           baoanData
	typed                                                           typedForm
}

// typedForm is what the user typed into the form of one action that was refused, shown again.
type typedForm struct {
	action string
	values url.Values
}

// HistoryRuns is how many of the latest runs the matter's history covers, HistoryLimit the
// most entries it shows.
func (matterData) HistoryRuns() int  { return review.HistoryRuns }
func (matterData) HistoryLimit() int { return review.HistoryLimit }

// Typed is the value the user typed into field of action's form, when that form was refused;
// "" otherwise.
func (d matterData) Typed(action, field string) string {
	if d.typed.action != action {
		return ""
	}
	return strings.TrimSpace(d.typed.values.Get(field))
}

func (s *Server) matterID(w http.ResponseWriter, r *http.Request, ss *session) (string, bool) {
	id := r.PathValue("id")
	if checkText(id, maxMatterID, true) != nil || strings.ContainsAny(id, "\n\r\t") {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_matter_id"))
		return "", false
	}
	return id, true
}

func (s *Server) matter(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := s.matterID(w, r, ss)
	if !ok {
		return
	}
	p, ok := s.matterPage(w, r, ss, id, typedForm{})
	if !ok {
		return
	}
	if done := r.URL.Query().Get("done"); done != "" && i18n.Has("web.done."+done) {
		p.Flash = s.t("web.done." + done)
		if done == "take_ownership" { // and what comes next
			p.Flash += s.t("web.done.take_ownership_next", s.planDays)
		}
	}
	s.render(w, http.StatusOK, "matter", p)
}

// matterPage is matter id's page for the session's user, with typed in its form; when it
// cannot be shown it has answered (a redirect to the matter it was merged into, or an error
// page) and returns false.
func (s *Server) matterPage(w http.ResponseWriter, r *http.Request, ss *session, id string, typed typedForm) (page, bool) {
	m, err := review.LoadMatter(r.Context(), s.store.DB(), id, s.lang)
	var merged *review.MergedError
	if errors.As(err, &merged) {
		http.Redirect(w, r, "/matters/"+url.PathEscape(merged.Into)+"?done=merged", http.StatusSeeOther)
		return page{}, false
	}
	if errors.Is(err, review.ErrNotFound) {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_matter", clip(id, 80)))
		return page{}, false
	}
	if err != nil {
		s.internal(w, r, ss, err)
		return page{}, false
	}
	decider := slices.Contains(deciders, ss.role)
	mine := m.Review.Owner == ss.user || ss.role == review.RoleAdmin
	st := m.Review.State
	d := matterData{M: m,
		CanTake:     ss.role == review.RoleLeader && st != review.StateOwned,
		CanPlan:     decider && st == review.StateOwned && mine,
		CanProgress: st == review.StateOwned && mine,
		CanResolve:  decider && st == review.StateOwned && mine && m.Review.Plan != "",
		CanDismiss:  decider && (st == review.StateOpen || (st == review.StateOwned && mine)),
		CanAudit:    decider,
		typed:       typed,
	}
	if d.Baoan, err = s.baoanFor(r, ss, m); err != nil {
		s.internal(w, r, ss, err)
		return page{}, false
	}
	name := m.Item.Title
	if name == "" {
		name = s.t("web.matter") + " " + id
	}
	return s.page(ss, name, d), true
}

// filterOptions returns the filter values of a run; a run's watchlist never changes, so they
// are computed once per run.
func (s *Server) filterOptions(ctx context.Context, runID string) (review.Options, error) {
	s.optionsMu.Lock()
	defer s.optionsMu.Unlock()
	if s.optionsRun == runID {
		return s.options, nil
	}
	o, err := review.FilterOptions(ctx, s.store.DB(), runID, s.lang)
	if err != nil {
		return o, err
	}
	s.options, s.optionsRun = o, runID
	return o, nil
}

// --- actions ---
