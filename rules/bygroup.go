package rules

import (
	"context"
	"database/sql"
	"maps"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
)

// Rules by group (signal wave) flag groups of cases that share the rule's group_by fields: a
// group's flags depend only on its cases' records, on the record stretches (records_from.sql)
// and on the screening date through the days the rule's windows reach around its horizons. Such
// a rule can be screened again for some groups only (MaterializeGroups) while the others keep
// their flags of an earlier run, provided no case left its group and the stretches before that
// run are as it saw them (StretchesChanged): see package pipeline's rescreening.

// Tables of the cases whose records a rule by group reads (their receipt, group fields and
// contacts, and whether they are resolved) changed since the latest stored run (which the caller
// fills: case_id), and of the groups MaterializeGroups screens again and their cases (case_id).
const (
	ChangedGroupCases  = db.ChangedGroupCases
	RescreenGroups     = db.RescreenGroups
	RescreenGroupCases = db.RescreenGroupCases
)

// byGroup is what a rule by group needs to be screened for some groups.
type byGroup struct {
	groups   []string // rescreen_groups.sql for the rule's group_by
	horizons []int32  // the days h whose boundary "contact_date > as_of - h" the rule reads
	window   int      // the days of the rule's windows
	floor    int      // the fewest distinct people a window flags
	// eval fills FlagsTable with the flags of the groups in RescreenGroups, its first step
	// (listed for review by TestCompiledSQL) over those groups only.
	eval  evaluator
	first string
}

// ByGroup reports whether the rule can be screened again for some groups (MaterializeGroups).
func (r *Rule) ByGroup() bool { return r.byGroup != nil }

// MaterializeGroups is Materialize for a rule by group over the groups whose flags can have
// changed since the latest stored run screened as of prevAsOf (no later than asOf): it lists
// them in RescreenGroups and their cases in RescreenGroupCases, and fills FlagsTable with their
// flags. ChangedGroupCases must list the cases whose records it reads changed since that run.
// It returns how many groups and cases it screened again.
func (r *Rule) MaterializeGroups(ctx context.Context, q *sql.Conn, asOf, prevAsOf time.Time) (groups, cases int64, err error) {
	g := r.byGroup
	args := []any{sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("prev_as_of", prevAsOf.Format(time.DateOnly)),
		sql.Named("horizons", g.horizons), sql.Named("window_days", g.window), sql.Named("min_complainants", g.floor)}
	for _, stmt := range g.groups {
		if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
			return 0, 0, err
		}
	}
	if err := g.eval(ctx, q, asOf); err != nil {
		return 0, 0, err
	}
	err = q.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM temp.main."+db.Ident(RescreenGroups)+
		"), (SELECT count(*) FROM temp.main."+db.Ident(RescreenGroupCases)+")").Scan(&groups, &cases)
	return groups, cases, err
}

// StretchesChanged reports whether the record stretches up to prevAsOf, as the records stand on
// asOf, differ from those the latest stored run screened (StoreStretches): when they do, rules
// by group are screened whole.
func StretchesChanged(ctx context.Context, q db.Querier, asOf, prevAsOf time.Time) (bool, error) {
	var changed bool
	err := q.QueryRowContext(ctx, renderSQL(stretchesChangedSQL, nil), sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("prev_as_of", prevAsOf.Format(time.DateOnly))).Scan(&changed)
	return changed, err
}

// StoreStretches keeps the record stretches up to asOf for the next run (StretchesChanged), in
// the run's own transaction.
func StoreStretches(ctx context.Context, q db.Querier, asOf time.Time) error {
	for _, stmt := range db.SplitStatements(renderSQL(stretchesStoreSQL, nil)) {
		if _, err := q.ExecContext(ctx, stmt, sql.Named("as_of", asOf.Format(time.DateOnly))); err != nil {
			return err
		}
	}
	return nil
}

// withSwitch is data with the switch key set to on.
func withSwitch(data map[string]any, key string, on bool) map[string]any {
	out := maps.Clone(data)
	out[key] = on
	return out
}
