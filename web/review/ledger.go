package review

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Querier is what the review reads go through: *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// LedgerRow is one owned matter in the monthly ledger (包案台账).
type LedgerRow struct {
	MatterID, Tier, Township, Category, Unit string
	Owner, Plan, State                       string
	TakenAt                                  time.Time
	Due                                      sql.NullTime
	MonthNotes                               []string // progress recorded in the month, oldest first, "YYYY-MM-DD author: note"
	LastNote                                 sql.NullTime
}

// Overdue reports whether an owned matter is past its due date on day.
func (r LedgerRow) Overdue(day time.Time) bool {
	return r.State == "owned" && r.Due.Valid && r.Due.Time.Before(day.Truncate(24*time.Hour))
}

// Ledger lists every matter that has an owner (owned or resolved), with the latest watchlist
// item it appeared in, and its progress notes recorded in the month of month (in month's
// location). Matters resolved before that month are left out.
func Ledger(ctx context.Context, q Querier, month time.Time) ([]LedgerRow, error) {
	from := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, month.Location())
	to := from.AddDate(0, 1, 0)
	rows, err := q.QueryContext(ctx, `WITH last AS (
  SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit
  FROM watchlist w JOIN runs r USING (run_id) GROUP BY w.matter_id
)
SELECT m.matter_id, coalesce(l.tier, ''), coalesce(l.township, ''), coalesce(l.category, ''), coalesce(l.unit, ''),
       m.owner, coalesce(m.plan, ''), m.state, m.taken_at, m.due_date,
       (SELECT max(noted_at) FROM progress_notes p WHERE p.matter_id = m.matter_id)
FROM matter_review m LEFT JOIN last l USING (matter_id)
WHERE m.owner IS NOT NULL AND m.state IN ('owned', 'resolved') AND (m.resolved_at IS NULL OR m.resolved_at >= $1)
ORDER BY m.due_date NULLS LAST, m.matter_id`, from)
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	var out []LedgerRow
	for rows.Next() {
		var r LedgerRow
		if err := rows.Scan(&r.MatterID, &r.Tier, &r.Township, &r.Category, &r.Unit, &r.Owner, &r.Plan, &r.State, &r.TakenAt, &r.Due, &r.LastNote); err != nil {
			rows.Close()
			return nil, i18n.Wrap(err, "web.db.ledger")
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	idx := map[string]int{}
	for i, r := range out {
		idx[r.MatterID] = i
	}
	notes, err := q.QueryContext(ctx, `SELECT matter_id, noted_at, author, note FROM progress_notes
WHERE noted_at >= $1 AND noted_at < $2 ORDER BY noted_at`, from, to)
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	defer notes.Close()
	for notes.Next() {
		var id, author, note string
		var at time.Time
		if err := notes.Scan(&id, &at, &author, &note); err != nil {
			return nil, i18n.Wrap(err, "web.db.ledger")
		}
		if i, ok := idx[id]; ok {
			out[i].MonthNotes = append(out[i].MonthNotes, at.In(month.Location()).Format(time.DateOnly)+" "+author+"："+note)
		}
	}
	return out, notes.Err()
}
