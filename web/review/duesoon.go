package review

import (
	"context"
	"database/sql"
	"errors"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
)

// DueCase is one case of a run's due-soon list (临期预警): pending on the run's as-of date, its
// current stage due within watchlist.due_soon_days. The nightly run stores the list apart from
// the watchlist (table due_soon); the report, the workbook and the review app show it.
type DueCase struct {
	CaseID   string
	Stage    string // stage code (label.stage.* names it)
	Deadline string // YYYY-MM-DD
	DaysLeft int64  // 0: due on the as-of date
	Unit     string // responsible unit ("" when the data have none)
	Township string
	Category string
	Listed   bool   // the case is a matter on the run's watchlist
	Gist     string // what the case is about: the gist of its content (internal/title); "" for none, or when the run's title_gist is off
}

// MatterID is the id of the case's matter on the watchlist.
func (c DueCase) MatterID() string { return "case:" + c.CaseID }

// DueUnit is one responsible unit's part of the due-soon list.
type DueUnit struct {
	Unit  string
	Cases []DueCase
}

// DueList is a run's due-soon list.
type DueList struct {
	Days  int       // watchlist.due_soon_days of the run; 0: the run made no list
	Gist  bool      // watchlist.title_gist of the run: the cases show the gist of their content
	Cases []DueCase // by responsible unit, then the most urgent first
}

// DueSoon returns run runID's due-soon list, by responsible unit (in the order of their names,
// a case without one last), the most urgent first. A database whose runs predate the list has
// none.
func DueSoon(ctx context.Context, q db.Querier, runID string) (DueList, error) {
	var l DueList
	var tables int
	if err := q.QueryRowContext(ctx, dueSoonExistsSQL).Scan(&tables); err != nil {
		return l, i18n.Wrap(err, "web.db.due_soon")
	}
	if tables == 0 {
		return l, nil
	}
	l.Gist = true
	if err := q.QueryRowContext(ctx, dueSoonDaysSQL, runID).Scan(&l.Days, &l.Gist); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return l, i18n.Wrap(err, "web.db.due_soon")
	}
	var err error
	l.Cases, err = db.Collect(ctx, q, dueSoonSQL, []any{runID}, func(rows *sql.Rows) (DueCase, error) {
		var c DueCase
		var content string
		err := rows.Scan(&c.CaseID, &c.Stage, &c.Deadline, &c.DaysLeft, &c.Unit, &c.Township, &c.Category, &c.Listed, &content)
		if l.Gist {
			c.Gist = title.Gist(content)
		}
		return c, err
	})
	if err != nil {
		return l, i18n.Wrap(err, "web.db.due_soon")
	}
	return l, nil
}

// StageLabel names a stage code in lang (label.stage.*).
func StageLabel(lang, stage string) string { return i18n.Label(Lang(lang), "stage", stage) }

// ByUnit groups a due-soon list, in DueSoon's order, by responsible unit.
func ByUnit(cases []DueCase) []DueUnit {
	var out []DueUnit
	for _, c := range cases {
		if len(out) == 0 || out[len(out)-1].Unit != c.Unit {
			out = append(out, DueUnit{Unit: c.Unit})
		}
		u := &out[len(out)-1]
		u.Cases = append(u.Cases, c)
	}
	return out
}
