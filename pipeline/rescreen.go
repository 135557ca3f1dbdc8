package pipeline

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/rules"
)

// Rescreening: a night screens again only what can have changed. A rule by case
// (rules.Horizons) flags each case from its own records and the screening date alone, so when
// the latest stored run is on this run's screening basis (Summary.ScreenBasis: the output
// language may differ) and screened as of this run's date or before, its flags stand for every
// case whose records have not changed since (changed_cases, from the
// digests that run stored) and whose flag the calendar cannot change between the two dates
// (sql/rescreen_cases.sql). Only the other cases are screened again; the rule's flags are
// theirs and the standing ones, as a full screening would give them (Options.Full screens every
// case, and TestRescreeningGivesWhatAFullScreeningGives holds the two to the same flags,
// watchlists and changes).
//
// A rule by group (rules.Rule.ByGroup: signal wave) flags each group of cases from the group's
// records, the record stretches and the screening date: its flags stand for every group none of
// whose cases changed in what the rule reads of them (changed_group_cases) and none of whose
// windows the calendar can move across its period's bounds (rules.MaterializeGroups), unless a
// changed case may have left its group or the stretches before the latest stored run changed,
// when it is screened whole.

// rescreen says what the latest stored run's flags stand for; nil when every rule is screened
// whole.
type rescreen struct {
	prevAsOf time.Time // the latest stored run's screening date
	byCase   []string  // the rules by case screened again for some cases only
	cases    int64     // how many: those of rules.RescreenState
	// byGroup lists the rules by group (rules.Rule.ByGroup) screened again for some groups only:
	// those that run screened, when no changed case may have left its group (sql/rescreen_moved.sql)
	// and the record stretches before that run are as it saw them (rules.StretchesChanged).
	byGroup []string
}

// prepareRescreen digests each case's records (always: the run stores them, storeDigests).
// When on (the latest stored run is on this run's screening basis and no full screening is
// asked for) and that run screened as of asOf or before, it gathers in rules.RescreenState and
// rules.RescreenContacts the cases the rules by case of rs (those that run screened) screen
// again: one set for all, over the union of their horizons, which screens a few cases more than
// each needs and spares the set's cost per rule; and it says which rules by group screen some
// groups only (each finds its groups as it runs, see materialize). It returns nil when no rule
// is screened so.
func prepareRescreen(ctx context.Context, q *sql.Conn, rs []*rules.Rule, on bool, asOf time.Time) (*rescreen, error) {
	if err := db.Exec(ctx, q, rescreenDigestsSQL...); err != nil {
		return nil, err
	}
	if !on {
		return nil, nil
	}
	var prevAsOf time.Time
	var screened []any
	err := q.QueryRowContext(ctx, rescreenPrevSQL).Scan(&prevAsOf, &screened)
	if err == sql.ErrNoRows || err == nil && prevAsOf.After(asOf) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	x := &rescreen{prevAsOf: prevAsOf}
	var horizons []int32
	var byGroup []string
	for _, r := range rs {
		if !slices.Contains(screened, any(r.ID)) {
			continue
		}
		if r.ByGroup() {
			byGroup = append(byGroup, r.ID)
		}
		days, byCase := r.Horizons()
		if !byCase {
			continue
		}
		x.byCase = append(x.byCase, r.ID)
		for _, h := range days {
			if !slices.Contains(horizons, int32(h)) {
				horizons = append(horizons, int32(h))
			}
		}
	}
	if len(byGroup) > 0 {
		var moved bool
		if err := q.QueryRowContext(ctx, rescreenMovedSQL).Scan(&moved); err != nil {
			return nil, err
		}
		stretched := false
		if !moved {
			if stretched, err = rules.StretchesChanged(ctx, q, asOf, prevAsOf); err != nil {
				return nil, err
			}
		}
		if !moved && !stretched {
			x.byGroup = byGroup
		}
	}
	if len(x.byCase) == 0 && len(x.byGroup) == 0 {
		return nil, nil
	}
	if len(x.byCase) == 0 {
		return x, nil
	}
	args := []any{sql.Named("as_of", day(asOf)), sql.Named("prev_as_of", day(prevAsOf)), sql.Named("horizons", horizons)}
	if err := execStatements(ctx, q, args, rescreenCasesSQL...); err != nil {
		return nil, err
	}
	n, err := db.Column[int64](ctx, q, "SELECT count(*) FROM temp.main."+db.Ident(rules.RescreenState))
	if err != nil {
		return nil, err
	}
	x.cases = n[0]
	return x, nil
}

// materialize fills rules.FlagsTable with r's flags as of asOf: by case or by group when x
// screens r so, returning what it screened again and the flags that stood; whole otherwise
// (nil).
func (x *rescreen) materialize(ctx context.Context, q *sql.Conn, r *rules.Rule, asOf time.Time) (*Rescreened, error) {
	var out Rescreened
	switch {
	case x != nil && slices.Contains(x.byCase, r.ID):
		if err := r.MaterializeCases(ctx, q, asOf); err != nil {
			return nil, err
		}
		if err := execStatements(ctx, q, []any{sql.Named("rule_id", r.ID)}, rescreenCarrySQL...); err != nil {
			return nil, err
		}
		out.Cases = x.cases
	case x != nil && slices.Contains(x.byGroup, r.ID):
		groups, cases, err := r.MaterializeGroups(ctx, q, asOf, x.prevAsOf)
		if err != nil {
			return nil, err
		}
		if err := execStatements(ctx, q, []any{sql.Named("rule_id", r.ID)}, rescreenCarryGroupsSQL...); err != nil {
			return nil, err
		}
		out.Groups, out.Cases = &groups, cases
	default:
		return nil, r.Materialize(ctx, q, asOf)
	}
	carried, err := db.Column[int64](ctx, q, "SELECT count(*) FROM temp.main."+db.Ident(standingFlagsTable))
	if err != nil {
		return nil, err
	}
	out.Carried = carried[0]
	return &out, nil
}

// done drops the rescreening tables.
func (x *rescreen) done(ctx context.Context, q *sql.Conn) error {
	if x == nil {
		return nil
	}
	return db.DropTemp(ctx, q, rules.RescreenState, rules.RescreenContacts, rules.RescreenGroups, rules.RescreenGroupCases,
		standingFlagsTable)
}

// storeDigests keeps the digests of the records this run screened, and the record stretches up
// to asOf, for the next run.
func storeDigests(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	if err := db.Exec(ctx, q, rescreenStoreSQL...); err != nil {
		return err
	}
	return rules.StoreStretches(ctx, q, asOf)
}
