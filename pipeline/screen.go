package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// screen builds the case state as of asOf, checks what each rule needs of the input
// (checkInputs), runs every rule it does not skip and collects its flags, with reasons in every
// language and their liveness (see flagLiveness), in runFlagsTable, then merges the matters
// that share cases (see mergeMatters). With carry, flags the latest stored run had with the
// same facts keep that run's reasons (see collectFlags), and, unless full, the rules by case and
// by group screen again only the cases and groups whose flags can have changed since that run
// (see rescreen.go). It
// writes only temporary tables. A rule's seconds cover computing its flags, not rendering their
// reasons. It returns each rule's result and the input warnings.
func screen(ctx context.Context, q *sql.Conn, rs []*rules.Rule, clocks rules.Clocks, w configs.Watchlist, asOf time.Time, carry, full bool, rep Reporter) (map[string]RuleResult, []Warning, error) {
	if err := rules.Exec(ctx, q, rules.PrepareSQL(clocks, asOf)); err != nil {
		return nil, nil, i18n.Wrap(err, "run.err.screen_tables")
	}
	if err := db.Exec(ctx, q, runFlagsSQL); err != nil {
		return nil, nil, err
	}
	warnings, err := checkInputs(ctx, q, rs, clocks, asOf)
	if err != nil {
		return nil, nil, err
	}
	x, err := prepareRescreen(ctx, q, rs, carry && !full, asOf)
	if err != nil {
		return nil, nil, i18n.Wrap(err, "run.err.screen_tables")
	}
	skipped := map[string]bool{}
	for _, warn := range warnings {
		skipped[warn.Rule] = skipped[warn.Rule] || warn.Skipped
	}
	results := make(map[string]RuleResult, len(rs))
	for _, r := range rs {
		if skipped[r.ID] {
			results[r.ID] = RuleResult{Kind: r.Kind, Name: runrecord.RuleName(r.DisplayName), Family: r.Family, Skipped: true}
			continue
		}
		start := time.Now()
		rep.Step("run.step.rule", r.DisplayName)
		rescreened, err := x.materialize(ctx, q, r, asOf)
		if err != nil {
			return nil, nil, i18n.Wrap(err, "run.err.rule", r.ID)
		}
		if r.InGo() {
			releaseGoMemory()
		}
		seconds := time.Since(start).Seconds()
		if err := flagLiveness(ctx, q, r, w, asOf, rescreened); err != nil {
			return nil, nil, i18n.Wrap(err, "run.err.rule", r.ID)
		}
		n, err := collectFlags(ctx, q, r, carry, rescreened != nil)
		if err != nil {
			return nil, nil, i18n.Wrap(err, "run.err.rule", r.ID)
		}
		res := RuleResult{Kind: r.Kind, Name: runrecord.RuleName(r.DisplayName), Family: r.Family, Flags: n, Seconds: seconds, Rescreened: rescreened}
		if r.KeepsCounts() {
			c, err := rules.CountedTexts(ctx, q)
			if err != nil {
				return nil, nil, i18n.Wrap(err, "run.err.rule", r.ID)
			}
			if c != nil {
				res.Texts = &runrecord.TextsRead{Read: c.Read, Counted: c.Texts, All: c.All}
			}
		}
		results[r.ID] = res
	}
	if err := x.done(ctx, q); err != nil {
		return nil, nil, err
	}
	if err := mergeMatters(ctx, q, asOf); err != nil {
		return nil, nil, i18n.Wrap(err, "run.err.merge")
	}
	return results, warnings, nil
}

// flagLiveness finds, for each of the rule's flags in rules.FlagsTable, the date of its newest
// evidence and whether it is live as of asOf, in flagLivenessTable: within the family's active
// window (w.ActiveDays), or with a case still pending. Stalled flags describe their case as it
// stands on asOf: their evidence is of that day. rescreened: what the rule screened again when
// it screened some cases or groups only (see rescreen.go); nil when it screened all.
func flagLiveness(ctx context.Context, q *sql.Conn, r *rules.Rule, w configs.Watchlist, asOf time.Time, rescreened *Rescreened) error {
	active := 0
	switch r.Family {
	case rules.FamilyRepeat:
		active = w.ActiveDays.Repeat
	case rules.FamilyGroup:
		active = w.ActiveDays.Group
	}
	stmt := flagLivenessSQL[rescreened != nil]
	if rescreened != nil && rescreened.Groups != nil {
		stmt = flagLivenessGroupsSQL
	}
	_, err := q.ExecContext(ctx, stmt, sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("current", r.Family == rules.FamilyStalled), sql.Named("active_days", active))
	return err
}

// collectFlags renders the reasons of the rule's flags in FlagsTable in every language, on all
// cores, and adds the flags with their reasons to runFlagsTable. With carry (the latest stored
// run is on this run's basis), a flag whose facts that run's flag of the same rule and matter had
// takes that flag's reasons instead of rendering them again; rescreened (the rule was screened
// again for some cases or groups), the flags that stand keep theirs without being read. Go reads
// the facts reasonRange flags at a time: the driver holds a query's whole result until it is
// read, and a rule can have millions of flags.
func collectFlags(ctx context.Context, q *sql.Conn, r *rules.Rule, carry, rescreened bool) (int64, error) {
	if err := db.Exec(ctx, q, flagReasonsSQL); err != nil {
		return 0, err
	}
	if carry {
		if _, err := q.ExecContext(ctx, flagCarriedSQL[rescreened], sql.Named("rule_id", r.ID)); err != nil {
			return 0, err
		}
	}
	if err := db.Exec(ctx, q, flagTodoSQL[rescreened]); err != nil {
		return 0, err
	}
	err := eachRange(ctx, q, flagTodoTable, reasonRange, func(from, to int64) error {
		return renderReasons(ctx, q, r, from, to)
	})
	if err != nil {
		return 0, err
	}
	res, err := q.ExecContext(ctx, collectFlagsSQL[rescreened],
		sql.Named("flag_rule_id", r.ID), sql.Named("flag_family", r.Family),
		sql.Named("flag_weight", r.Weight), sql.Named("flag_min_tier", r.MinTier))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	// Every flag has its reasons: one without would be lost in the join.
	if flags, err := db.Column[int64](ctx, q, "SELECT count(*) FROM temp.main."+db.Ident(rules.FlagsTable)); err != nil {
		return 0, err
	} else if flags[0] != n {
		return 0, fmt.Errorf("rule %s: %d flags, %d with reasons", r.ID, flags[0], n)
	}
	return n, nil
}

// reasonRange is how many flags' facts collectFlags reads at a time: at most a few hundred MB
// with their reasons.
var reasonRange int64 = 200_000

// renderReasons renders, on all cores, the reasons of the flags of flagTodoTable numbered from
// to to-1 and appends them to flagReasonsTable.
func renderReasons(ctx context.Context, q *sql.Conn, r *rules.Rule, from, to int64) error {
	type reason struct{ matter, facts, zh, en string }
	out, err := db.Collect(ctx, q, flagFactsSQL, []any{sql.Named("from", from), sql.Named("to", to)}, func(rows *sql.Rows) (reason, error) {
		var x reason
		err := rows.Scan(&x.matter, &x.facts)
		return x, err
	})
	if err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(out)/1000))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(out); i += workers {
				x := &out[i]
				reasons, err := r.Reasons(x.facts) // in the order of rules.Languages: zh, en
				if err != nil {
					errs[w] = err
					return
				}
				x.zh, x.en = reasons[0], reasons[1]
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	err = rules.AppendTemp(q, flagReasonsTable, func(add func(...driver.Value) error) error {
		for _, x := range out {
			if err := add(x.matter, x.zh, x.en); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return i18n.Wrap(err, "run.err.reasons")
	}
	return nil
}

// storeFlags stores the flags screening collected as those of runID, the seq-th run stored: as
// spans, each flag once for the consecutive runs that have it alike (sql/store_flags.sql).
func storeFlags(ctx context.Context, q *sql.Conn, runID string, seq int64) error {
	if err := execStatements(ctx, q, []any{sql.Named("run_id", runID), sql.Named("seq", seq)}, storeFlagsSQL...); err != nil {
		return i18n.Wrap(err, "run.err.store_flags")
	}
	return nil
}
