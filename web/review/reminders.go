package review

// Reminders (催办提醒) on owned matters, computed in one place (sql/reminders.sql) for every
// view: the watchlist's rows, a matter's page, my matters (我的包案), the per-leader counts and,
// later, the monthly ledger and bulletin.

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
)

// Reminder codes; the catalogue's web.reminder.<code> names them.
const (
	RemindNoProgress  = "no_progress"         // 本月未报进展
	RemindNoPlan      = "no_plan"             // 无方案
	RemindOverdue     = "overdue"             // 已逾期
	RemindSupervision = "supervision_overdue" // 督办逾期
)

// Reminders lists every reminder code, in the order shown.
var ReminderCodes = []string{RemindOverdue, RemindSupervision, RemindNoPlan, RemindNoProgress}

// ProgressDays is how long an owned matter may go without a progress note: a month.
const ProgressDays = 30

// Clock is what reminders are computed against: the time now, the office's zone (what today
// is; UTC when nil) and serve.plan_days.
type Clock struct {
	Now      time.Time
	Location *time.Location
	PlanDays int
}

// Today is the first instant of the clock's day in its zone.
func (c Clock) Today() time.Time {
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	l := c.Now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// Owned is one owned matter with its reminders.
type Owned struct {
	MatterID, Title     string // Title: of its latest watchlist item (composed when that has none)
	Owner, Plan, Due    string // Due YYYY-MM-DD or ""
	PlanDeadline        string // YYYY-MM-DD or ""
	TakenAt             time.Time
	LastNote            *time.Time // the latest progress note
	SupervisionDeadline string     // the latest supervision's, or ""
	Reminders           []string   // codes, in ReminderCodes order
}

// Reminders returns every owned matter with its reminders on c's day, by owner, then matter.
func Reminders(ctx context.Context, q Querier, c Clock) ([]Owned, error) {
	today := c.Today()
	args := []any{today.Format(time.DateOnly), today.AddDate(0, 0, -ProgressDays), today.AddDate(0, 0, -c.PlanDays)}
	out, err := db.Collect(ctx, q, remindersSQL, args, func(rows *sql.Rows) (Owned, error) {
		var o Owned
		var last sql.NullTime
		flags := map[string]*bool{RemindNoProgress: new(bool), RemindNoPlan: new(bool), RemindOverdue: new(bool), RemindSupervision: new(bool)}
		var township, category string
		err := rows.Scan(&o.MatterID, &o.Title, &township, &category, &o.Owner, &o.Plan, &o.Due, &o.PlanDeadline, &o.TakenAt, &last, &o.SupervisionDeadline,
			flags[RemindNoProgress], flags[RemindNoPlan], flags[RemindOverdue], flags[RemindSupervision])
		if last.Valid {
			o.LastNote = &last.Time
		}
		o.Title = ItemTitle(o.Title, title.Facts{Township: township, Category: category})
		for _, code := range ReminderCodes {
			if *flags[code] {
				o.Reminders = append(o.Reminders, code)
			}
		}
		return o, err
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.reminders")
	}
	return out, nil
}

// RemindersByMatter returns the reminders of each owned matter that has any, by matter id.
func RemindersByMatter(ctx context.Context, q Querier, c Clock) (map[string][]string, error) {
	owned, err := Reminders(ctx, q, c)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, o := range owned {
		if len(o.Reminders) > 0 {
			out[o.MatterID] = o.Reminders
		}
	}
	return out, nil
}

// LeaderCount is one leader's 包案 in numbers.
type LeaderCount struct {
	Owner             string
	Owned             int            // matters owned now
	WithReminders     int            // of them, with any reminder
	Overdue           int            // of them, past their due date
	ResolvedThisMonth int            // resolved since the month began and still resolved
	ByReminder        map[string]int // owned matters with each reminder
}

// LeaderCounts counts each owner's matters on c's day: owned, with reminders, overdue, and
// resolved in the month so far; leaders with none of these are left out. By owner name.
func LeaderCounts(ctx context.Context, q Querier, c Clock) ([]LeaderCount, error) {
	owned, err := Reminders(ctx, q, c)
	if err != nil {
		return nil, err
	}
	today := c.Today()
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	resolved, err := db.Counts(ctx, q, resolvedSinceSQL, month)
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.reminders")
	}
	return countByLeader(owned, resolved), nil
}

// countByLeader sums owned matters and resolutions by owner.
func countByLeader(owned []Owned, resolved map[string]int64) []LeaderCount {
	by := map[string]*LeaderCount{}
	get := func(owner string) *LeaderCount {
		if by[owner] == nil {
			by[owner] = &LeaderCount{Owner: owner, ByReminder: map[string]int{}}
		}
		return by[owner]
	}
	for _, o := range owned {
		lc := get(o.Owner)
		lc.Owned++
		if len(o.Reminders) > 0 {
			lc.WithReminders++
		}
		if slices.Contains(o.Reminders, RemindOverdue) {
			lc.Overdue++
		}
		for _, r := range o.Reminders {
			lc.ByReminder[r]++
		}
	}
	for owner, n := range resolved {
		get(owner).ResolvedThisMonth = int(n)
	}
	out := make([]LeaderCount, 0, len(by))
	for _, lc := range by {
		out = append(out, *lc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Owner < out[j].Owner })
	return out
}

// idsWith joins, for the watchlist's filter, the ids of the matters with reminder code (any
// reminder when code is "any") between and after unit separators; never empty, so that a filter
// no matter passes selects nothing rather than everything.
func idsWith(owned []Owned, code string) string {
	var b strings.Builder
	b.WriteByte(0x1f)
	for _, o := range owned {
		if (code == "any" && len(o.Reminders) > 0) || slices.Contains(o.Reminders, code) {
			b.WriteString(o.MatterID)
			b.WriteByte(0x1f)
		}
	}
	return b.String()
}

// annotate fills in the reminders of the items from owned.
func annotate(items []Item, owned []Owned) {
	by := map[string][]string{}
	for _, o := range owned {
		by[o.MatterID] = o.Reminders
	}
	for i := range items {
		items[i].Reminders = by[items[i].ID]
	}
}
