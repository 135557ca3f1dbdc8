package web

// 包案 (issue 15): the office's steps on a matter (assign, reassign, release, supervise, return
// visit), undoing a dismissal, the reminders and my matters (我的包案, /my).

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/earlywarn/earlywarn/web/review"
)

// configureBaoan takes the leaders, the dismissal reasons and serve.plan_days from the config,
// and tells the store what it checks against.
func (s *Server) configureBaoan(c configs.Serve, loc *time.Location) {
	s.leaders = nil
	for _, u := range c.Users {
		if u.Role == review.RoleLeader {
			s.leaders = append(s.leaders, u.Name)
		}
	}
	slices.Sort(s.leaders)
	s.reasons = c.DismissalReasons
	if len(s.reasons) == 0 {
		s.reasons = strings.Split(s.t("web.dismiss.default_reasons"), "|")
	}
	s.planDays, s.loc = c.Days(), loc
	if s.office = c.Office; s.office == "" {
		s.office = s.t("web.print.office")
	}
	s.store.Location, s.store.Reasons = loc, s.reasons
	s.store.IsLeader = func(name string) bool { return slices.Contains(s.leaders, name) }
}

// clock is what reminders are computed against now.
func (s *Server) clock() review.Clock {
	return review.Clock{Now: s.now(), Location: s.loc, PlanDays: s.planDays}
}

// isoDay is the form of a date YYYY-MM-DD, whether or not the calendar has that day.
var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// formReader reads an action's form fields; the first field refused is its problem, in the
// user's language, and the fields after it read as "".
type formReader struct {
	s       *Server
	form    url.Values
	problem string
}

// text returns field name, checked (see checkText); label is the message key of its label.
func (f *formReader) text(name, label string, max int, required bool) string {
	v := strings.TrimSpace(f.form.Get(name))
	if f.problem != "" {
		return ""
	}
	if err := checkText(v, max, required); err != nil {
		f.problem = f.s.t("web.field", f.s.t(label), f.s.localize(err))
		return ""
	}
	return v
}

// date returns field name as a date YYYY-MM-DD; "" when it is empty and not required.
// Whether the date is in range (today to two years ahead) is the store's to say.
func (f *formReader) date(name, label string, required bool) string {
	v := strings.TrimSpace(f.form.Get(name))
	if f.problem != "" || (v == "" && !required) {
		return ""
	}
	d, err := time.Parse(time.DateOnly, v)
	switch {
	case v == "":
		f.problem = f.s.t("web.error.date_missing", f.s.t(label))
	case err != nil && isoDay.MatchString(v): // 2027-02-30: the form, not a day of the calendar
		f.problem = f.s.t("web.error.no_such_date", f.s.t(label), v)
	case err != nil:
		f.problem = f.s.t("web.error.bad_date", f.s.t(label), clip(v, 40))
	default:
		return d.Format(time.DateOnly)
	}
	return ""
}

// leader returns the leader chosen in field owner; one that is no leader is refused here,
// before the store.
func (f *formReader) leader() string {
	v := strings.TrimSpace(f.form.Get("owner"))
	if f.problem == "" && !slices.Contains(f.s.leaders, v) {
		f.problem = f.s.t("web.error.not_a_leader", clip(v, 64))
	}
	return v
}

// satisfaction returns the return visit's satisfaction chosen, one of review.Satisfactions.
func (f *formReader) satisfaction() string {
	v := f.form.Get("satisfaction")
	if f.problem == "" && !slices.Contains(review.Satisfactions, v) {
		f.problem = i18n.Localize(f.s.lang, &review.Refusal{Kind: review.ErrInvalid, Key: "web.refused.satisfaction", Args: []any{clip(v, 40)}})
	}
	return v
}

// baoanData is what the matter page's 包案 block shows and offers the signed-in user.
type baoanData struct {
	Leaders, Reasons, Satisfactions                                          []string
	Reminders                                                                []string
	Today, MaxDate                                                           string // the range of the date fields
	CanAssign, CanReassign, CanRelease, CanSupervise, CanVisit, CanUndismiss bool
}

// baoanFor is the 包案 block of matter m for the session's user.
func (s *Server) baoanFor(r *http.Request, ss *session, m *review.Matter) (baoanData, error) {
	clock := s.clock()
	today := clock.Today()
	st := m.Review.State
	office := review.IsOffice(ss.role)
	d := baoanData{Leaders: s.leaders, Reasons: s.reasons, Satisfactions: review.Satisfactions,
		Today: today.Format(time.DateOnly), MaxDate: today.AddDate(review.MaxYearsAhead, 0, 0).Format(time.DateOnly),
		CanAssign:    office && st == review.StateOpen,
		CanReassign:  office && st == review.StateOwned,
		CanRelease:   office && st == review.StateOwned,
		CanSupervise: office && st == review.StateOwned,
		CanVisit:     office && st == review.StateResolved,
		CanUndismiss: slices.Contains(deciders, ss.role) && st == review.StateDismissed,
	}
	byMatter, err := review.RemindersByMatter(r.Context(), s.store.DB(), clock)
	if err != nil {
		return d, err
	}
	d.Reminders = byMatter[m.Item.ID]
	return d, nil
}

type myData struct {
	Owner   string // whose matters; "" for the summary alone
	Matters []review.Owned
	Leaders []review.LeaderCount // the per-leader summary, for those who are not leaders
	Names   []string             // the leaders, to pick one
	// Reminders are the reminder codes, a column each in the summary.
	Reminders []string
}

// my is 我的包案: a leader's owned matters with their reminders; for the others, the summary per
// leader and (?owner=NAME) one leader's matters.
func (s *Server) my(w http.ResponseWriter, r *http.Request, ss *session) {
	d := myData{Owner: r.URL.Query().Get("owner"), Names: s.leaders, Reminders: review.ReminderCodes}
	if ss.role == review.RoleLeader {
		d.Owner = ss.user
	} else if d.Owner != "" && !slices.Contains(s.leaders, d.Owner) {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.not_a_leader", clip(d.Owner, 64)))
		return
	}
	clock := s.clock()
	if d.Owner != "" {
		owned, err := review.Reminders(r.Context(), s.store.DB(), clock)
		if err != nil {
			s.internal(w, r, ss, err)
			return
		}
		for _, o := range owned {
			if o.Owner == d.Owner {
				d.Matters = append(d.Matters, o)
			}
		}
	}
	if ss.role != review.RoleLeader {
		var err error
		if d.Leaders, err = review.LeaderCounts(r.Context(), s.store.DB(), clock); err != nil {
			s.internal(w, r, ss, err)
			return
		}
	}
	title := s.t("web.my")
	if d.Owner != "" && d.Owner != ss.user {
		title = s.t("web.my.title_of", d.Owner)
	}
	s.render(w, http.StatusOK, "my", s.page(ss, title, d))
}

// myLink is the /my page of owner.
func myLink(owner string) string { return "/my?" + url.Values{"owner": {owner}}.Encode() }

// listFilterOK checks the watchlist's 包案 filters, answering bad (field, value) for the first
// that is not valid: an owner that is no leader, an unknown reminder or order.
func (s *Server) listFilterOK(f review.Filter, bad func(field, value string)) bool {
	switch {
	case f.Owner != "" && checkText(f.Owner, maxFilter, false) != nil:
		bad("owner", f.Owner)
	case f.Reminder != "" && f.Reminder != "any" && !slices.Contains(review.ReminderCodes, f.Reminder):
		bad("reminder", f.Reminder)
	case f.Sort != "" && f.Sort != "rank" && f.Sort != "due":
		bad("sort", f.Sort)
	default:
		return true
	}
	return false
}
