package web

// What the ledger and the bulletin say, in words: the page and the workbook show the same.

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/web/review"
)

// ledgerLine is one matter of the ledger as the page and the workbook show it.
type ledgerLine struct {
	No                         int
	ID, Title, Place           string
	Owner, AssignedBy, TakenOn string
	Plan, PlanDeadline, Due    string
	Progress, Supervision      []string // one a line
	Visit, State, StateClass   string
	Reminders, ReminderCodes   []string // labels, and their codes
}

// ledgerLines words the ledger's rows.
func (s *Server) ledgerLines(rows []review.LedgerRow) []ledgerLine {
	out := make([]ledgerLine, len(rows))
	for i, r := range rows {
		l := ledgerLine{No: i + 1, ID: r.MatterID, Title: matterTitle(r), Place: ledgerPlace(r), Owner: r.Owner, AssignedBy: r.AssignedBy,
			TakenOn: s.day(r.TakenAt), Plan: r.Plan, PlanDeadline: r.PlanDeadline, Due: r.Due,
			State: review.Label(s.lang, r.State), StateClass: r.State, ReminderCodes: r.Reminders}
		if r.Plan == "" {
			l.Plan = s.t("web.ledger.no_plan")
		}
		for _, n := range r.MonthNotes {
			l.Progress = append(l.Progress, s.day(n.At)+" "+s.t("web.field", n.Author, n.Text))
		}
		for _, sv := range r.Supervisions {
			l.Supervision = append(l.Supervision, s.t("web.ledger.supervised", s.day(sv.At), sv.By, sv.Deadline, sv.Note))
		}
		if r.VisitedAt != nil {
			l.Visit = s.t("web.ledger.visited", s.day(*r.VisitedAt), s.t("web.satisfaction."+r.Satisfaction), r.VisitNote)
		}
		switch {
		case r.State == review.StateResolved && r.ResolvedAt != nil:
			l.State = s.t("web.ledger.resolved_on", s.day(*r.ResolvedAt))
		case r.VisitedAt != nil && r.Satisfaction == review.Unsatisfied:
			l.State, l.StateClass = s.t("web.ledger.reopened"), "reopened"
		}
		for _, code := range r.Reminders {
			l.Reminders = append(l.Reminders, s.t("web.reminder."+code))
		}
		out[i] = l
	}
	return out
}

// day is t's date in the office's zone.
func (s *Server) day(t time.Time) string { return t.In(s.loc).Format(time.DateOnly) }

// groupKey is a township's, category's or unit's name; "unknown" when the data has none.
func (s *Server) groupKey(k string) string {
	if k == "" {
		return s.t("web.bulletin.unknown")
	}
	return k
}

// bulletinSummary is the bulletin's opening sentence: the live matters and the month's changes.
func (s *Server) bulletinSummary(d bulletinData) string {
	if d.B.RunID == "" {
		return s.t("web.bulletin.no_run", d.Month)
	}
	parts := make([]string, 0, len(d.Changes))
	for _, c := range d.Changes {
		parts = append(parts, s.t("web.bulletin.change", review.ChangeLabel(s.lang, c), strconv.FormatInt(d.B.Changes[c], 10)))
	}
	return s.t("web.bulletin.summary", d.B.AsOf, d.B.Live, strings.Join(parts, s.t("label.list_sep")))
}

// bulletinLeaderHead is the header of the bulletin's table of leaders.
func (s *Server) bulletinLeaderHead() []string {
	return []string{s.t("web.owner"), s.t("web.my.owned"), s.t("web.bulletin.with_progress"), s.t("web.my.with_reminders"),
		s.t("web.my.overdue"), s.t("web.my.resolved_this_month")}
}

// sortedLeaders puts the leaders with reminders first, then by name.
func sortedLeaders(ls []review.LeaderProgress) []review.LeaderProgress {
	slices.SortStableFunc(ls, func(a, b review.LeaderProgress) int { return b.WithReminders - a.WithReminders })
	return ls
}
