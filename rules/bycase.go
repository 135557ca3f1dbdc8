package rules

import (
	"context"
	"database/sql"
	"maps"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
)

// Rules by case flag single cases from each case's own records: a case's flag depends only on
// its cases row, its contacts (as linked) and its events, and on the screening date through
// the days the rule's windows reach back (Horizons). Such a rule can be screened again for some
// cases only (MaterializeCases) while the others keep their flags of an earlier run: see
// package pipeline's rescreening.

// Tables MaterializeCases reads instead of the whole screening tables: the rows of
// ContactsTable and StateTable of the cases to screen again, with the same columns.
const (
	RescreenContacts = db.RescreenContacts
	RescreenState    = db.RescreenState
)

// byCase is what a rule by case needs to be screened for some cases.
type byCase struct {
	sql      string // the rule's query over RescreenContacts and RescreenState
	horizons []int  // see Horizons
}

// byCaseOf renders a rule query over the rescreening tables.
func byCaseOf(t *db.Template, data map[string]any, horizons ...int) *byCase {
	d := map[string]any{"case_contacts": db.Name(RescreenContacts), "case_state": db.Name(RescreenState)}
	maps.Copy(d, data)
	return &byCase{sql: renderSQL(t, d), horizons: horizons}
}

// Horizons returns, for a rule by case, the days h whose boundary "contact_date > as_of - h" its
// query reads (0, the screening date itself, included): between two screening dates, a case's
// flag can change without a change of its records only if it has a contact that crosses one of
// them, an event dated between them, or was received between them. ok is false for the other
// rules.
func (r *Rule) Horizons() (days []int, ok bool) {
	if r.byCase == nil {
		return nil, false
	}
	return append([]int{0}, r.byCase.horizons...), true
}

// MaterializeCases is Materialize for a rule by case over the cases in RescreenState, whose
// contacts RescreenContacts holds: it fills FlagsTable with those cases' flags.
func (r *Rule) MaterializeCases(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	_, args := r.Query(asOf)
	_, err := q.ExecContext(ctx, renderSQL(ruleFlagsAsSQL, map[string]any{"query": db.Fragment(r.byCase.sql)}), args...)
	return err
}
