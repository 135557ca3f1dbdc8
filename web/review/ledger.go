package review

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Querier is what the review reads go through: *sql.DB, *sql.Conn or *sql.Tx.
type Querier = db.Querier

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
	out, err := db.Collect(ctx, q, ledgerSQL, []any{from}, func(rows *sql.Rows) (LedgerRow, error) {
		var r LedgerRow
		err := rows.Scan(&r.MatterID, &r.Tier, &r.Township, &r.Category, &r.Unit, &r.Owner, &r.Plan, &r.State, &r.TakenAt, &r.Due, &r.LastNote)
		return r, err
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	idx := map[string]int{}
	for i, r := range out {
		idx[r.MatterID] = i
	}
	err = db.Query(ctx, q, ledgerNotesSQL, []any{from, to}, func(rows *sql.Rows) error {
		var id, author, note string
		var at time.Time
		if err := rows.Scan(&id, &at, &author, &note); err != nil {
			return err
		}
		if i, ok := idx[id]; ok {
			out[i].MonthNotes = append(out[i].MonthNotes, at.In(month.Location()).Format(time.DateOnly)+" "+author+"："+note)
		}
		return nil
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.ledger")
	}
	return out, nil
}
