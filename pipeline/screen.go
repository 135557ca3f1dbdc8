package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/rules"
)

// RuleResult is what one rule found in a run.
type RuleResult struct {
	Family  string  `json:"family"`
	Flags   int64   `json:"flags"`
	Seconds float64 `json:"seconds"`
}

// screen builds the case state as of asOf, runs every rule and writes its flags, with reasons
// in every language, for runID.
func screen(ctx context.Context, q *sql.Conn, runID string, rs []*rules.Rule, clocks rules.Clocks, asOf time.Time, rep Reporter) (map[string]RuleResult, error) {
	for _, st := range rules.PrepareSQL(clocks, asOf) {
		if _, err := q.ExecContext(ctx, st.SQL, st.Args...); err != nil {
			return nil, fmt.Errorf("screening tables: %w", err)
		}
	}
	results := make(map[string]RuleResult, len(rs))
	for _, r := range rs {
		start := time.Now()
		rep.Step("规则 "+r.ID, "rule "+r.ID)
		n, err := runRule(ctx, q, runID, r, asOf)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		results[r.ID] = RuleResult{Family: r.Family, Flags: n, Seconds: time.Since(start).Seconds()}
	}
	if err := writeReasons(ctx, q, runID, rs); err != nil {
		return nil, err
	}
	return results, nil
}

func runRule(ctx context.Context, q *sql.Conn, runID string, r *rules.Rule, asOf time.Time) (int64, error) {
	if err := r.Materialize(ctx, q, asOf); err != nil {
		return 0, err
	}
	cols := strings.Join(rules.FlagColumns, ", ")
	stmt := fmt.Sprintf(`INSERT INTO flags (run_id, rule_id, family, weight, min_tier, %s)
SELECT $flag_run_id, $flag_rule_id, $flag_family, $flag_weight, $flag_min_tier, %s
FROM %s`, cols, cols, rules.FlagsTable)
	args := []any{
		sql.Named("flag_run_id", runID), sql.Named("flag_rule_id", r.ID), sql.Named("flag_family", r.Family),
		sql.Named("flag_weight", r.Weight), sql.Named("flag_min_tier", r.MinTier)}
	res, err := q.ExecContext(ctx, stmt, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// writeReasons renders each flag's reason from its facts in every language, on all cores.
func writeReasons(ctx context.Context, q *sql.Conn, runID string, rs []*rules.Rule) error {
	if err := execAll(ctx, q, "CREATE OR REPLACE TEMP TABLE flag_reasons (rule_id VARCHAR, matter_id VARCHAR, zh VARCHAR, en VARCHAR)"); err != nil {
		return err
	}
	byID := make(map[string]*rules.Rule, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
	}
	type reason struct{ rule, matter, facts, zh, en string }
	var out []reason
	rows, err := q.QueryContext(ctx, "SELECT rule_id, matter_id, facts::VARCHAR FROM flags WHERE run_id = $1", runID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r reason
		if err := rows.Scan(&r.rule, &r.matter, &r.facts); err != nil {
			rows.Close()
			return err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
				r := &out[i]
				var err error
				if r.zh, err = byID[r.rule].Reason("zh", r.facts); err == nil {
					r.en, err = byID[r.rule].Reason("en", r.facts)
				}
				if err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	err = rules.AppendTemp(q, "flag_reasons", func(add func(...driver.Value) error) error {
		for _, r := range out {
			if err := add(r.rule, r.matter, r.zh, r.en); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reasons: %w", err)
	}
	_, err = q.ExecContext(ctx, `UPDATE flags SET reason_zh = r.zh, reason_en = r.en
FROM flag_reasons r WHERE flags.run_id = $1 AND flags.rule_id = r.rule_id AND flags.matter_id = r.matter_id`, runID)
	return err
}
