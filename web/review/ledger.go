package review

// The monthly ledger (月度包案台账): every owned matter, and those resolved in the month, with
// what happened to them in the month and their reminders (reminders.go).

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Querier is what the review reads go through: *sql.DB, *sql.Conn or *sql.Tx.
type Querier = db.Querier

// LedgerRow is one matter of the monthly ledger.
type LedgerRow struct {
	MatterID, Title, Tier, Township, Category, Unit string // Title: the latest watchlist item's ('' before titles)
	Owner, AssignedBy, Plan, State                  string
	TakenAt                                         time.Time
	Due, PlanDeadline                               string // YYYY-MM-DD or ""
	ResolvedAt, LastNote                            *time.Time
	MonthNotes                                      []Note        // progress recorded in the month, oldest first
	Supervisions                                    []Supervision // supervisions (督办) in the month, oldest first
	VisitedAt                                       *time.Time    // the latest return visit (回访)
	VisitedBy, VisitNote, Satisfaction              string
	Reminders                                       []string // on the clock's day (see Reminders); none once resolved
}

// Month is the first instant of t's calendar month in loc (UTC when nil).
func Month(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
}

// Ledger lists the ledger of the month that begins at month (see Month): every matter owned now
// and taken before the month ended, and every one resolved since the month began, by owner,
// then due date; with the latest watchlist item it appeared in, its progress notes and
// supervisions recorded in the month, and its reminders on c's day.
func Ledger(ctx context.Context, q Querier, month time.Time, c Clock) ([]LedgerRow, error) {
	from, to := month, month.AddDate(0, 1, 0)
	out, err := db.Collect(ctx, q, ledgerSQL, []any{from, to}, func(rows *sql.Rows) (LedgerRow, error) {
		var r LedgerRow
		var resolved, last, visited sql.NullTime
		err := rows.Scan(&r.MatterID, &r.Title, &r.Tier, &r.Township, &r.Category, &r.Unit, &r.Owner, &r.AssignedBy, &r.Plan, &r.State,
			&r.TakenAt, &r.Due, &r.PlanDeadline, &resolved, &last, &visited, &r.VisitedBy, &r.VisitNote, &r.Satisfaction)
		r.ResolvedAt, r.LastNote, r.VisitedAt = timePtr(resolved), timePtr(last), timePtr(visited)
		return r, err
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	idx := map[string]int{}
	for i, r := range out {
		idx[r.MatterID] = i
	}
	err = db.Query(ctx, q, ledgerMonthSQL, []any{from, to}, func(rows *sql.Rows) error {
		var id, kind, by, note, deadline string
		var at time.Time
		if err := rows.Scan(&id, &kind, &at, &by, &note, &deadline); err != nil {
			return err
		}
		i, ok := idx[id]
		switch {
		case !ok:
		case kind == "note":
			out[i].MonthNotes = append(out[i].MonthNotes, Note{At: at, Author: by, Text: note})
		default:
			out[i].Supervisions = append(out[i].Supervisions, Supervision{At: at, By: by, Note: note, Deadline: deadline})
		}
		return nil
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	owned, err := Reminders(ctx, q, c)
	if err != nil {
		return nil, err
	}
	for _, o := range owned {
		if i, ok := idx[o.MatterID]; ok {
			out[i].Reminders = o.Reminders
		}
	}
	return out, nil
}

// timePtr is t's time, or nil when it is NULL.
func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// NoteLines is notes one a line, oldest first: the day in loc, the author and the note.
func NoteLines(lang string, notes []Note, loc *time.Location) string {
	lines := make([]string, len(notes))
	for i, n := range notes {
		lines[i] = n.At.In(loc).Format(time.DateOnly) + " " + i18n.T(lang, "web.field", n.Author, n.Text)
	}
	return strings.Join(lines, "\n")
}
