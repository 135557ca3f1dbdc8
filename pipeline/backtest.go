package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/groundtruth"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

// BacktestOptions are the settings of a backtest that are not configuration.
type BacktestOptions struct {
	From, To time.Time // screen as of every day from From to To, both included; zero To is the
	// latest date in the data not after Today, zero From 364 days before To
	// Today is the day the backtest happens; zero for today's date by the clock in the config's
	// time zone. Records dated after it are quarantined, and To may not be after it.
	Today    time.Time
	Truth    string   // ground-truth CSV (see internal/groundtruth); "" for none
	Reporter Reporter // nil for none
	// Progress, when set, is called after each screened day with the days done and in all.
	Progress func(done, total int)
}

// Backtest loads the config's input into a scratch database (the production database is not
// opened), screens it as of every day in the range with the configured rules, and scores the
// daily flags against the ground truth when one is given. Each day costs one case-state build
// and one query per rule; nothing is loaded twice.
func Backtest(ctx context.Context, plan *Plan, opts BacktestOptions) (*BacktestResult, error) {
	started := time.Now()
	cfg, rs := plan.Config, plan.Rules
	rep := orQuiet(opts.Reporter)
	today := runDay(opts.Today, cfg.TimeZone)
	opts.From, opts.To = dateOf(opts.From), dateOf(opts.To)
	if opts.To.After(today) {
		return nil, &ConfigError{Err: i18n.Errorf("run.err.to_future", day(opts.To), day(today), cfg.TimeZone)}
	}
	var truth []groundtruth.Event
	if opts.Truth != "" {
		var err error
		if truth, err = groundtruth.Read(opts.Truth); err != nil {
			return nil, err
		}
	}
	scratch, err := os.MkdirTemp("", "earlywarn-backtest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	path := filepath.Join(scratch, "backtest.duckdb")
	ses, err := plan.open(ctx, path, nil, today)
	if err != nil {
		return nil, err
	}
	defer ses.close(ctx)
	if err := ses.createSchema(ctx, path); err != nil {
		return nil, err
	}
	pool, conn, inputs := ses.db, ses.conn, ses.inputs
	// No reject-rate limit: it guards the production database, and a backtest screens what loads.
	if _, _, err := load(ctx, conn, "backtest", inputs, nil, 1, cfg.Linking, rep); err != nil {
		return nil, err
	}
	if plan.category != nil {
		if _, err := classifyCategories(ctx, conn, plan.category, cfg.Text, rep); err != nil {
			return nil, err
		}
	}
	if _, err := plan.extractPlaces(ctx, conn, rep); err != nil {
		return nil, err
	}
	if err := db.Exec(ctx, conn, backtestTablesSQL...); err != nil {
		return nil, err
	}
	first, latest, err := dataDates(ctx, conn, today)
	if err != nil {
		return nil, err
	}
	toLatest := opts.To.IsZero()
	switch {
	case toLatest:
		opts.To = latest
	case opts.To.Before(first):
		// Every day of the range precedes the data. A range that merely starts before it is
		// fine: the default one often does.
		return nil, &ConfigError{Err: i18n.Errorf("run.err.to_before_data", day(opts.To), day(first))}
	}
	if opts.From.IsZero() {
		opts.From = opts.To.AddDate(0, 0, -364)
	}
	if opts.To.Before(opts.From) {
		key := "run.err.from_after_to"
		if toLatest {
			key = "run.err.from_after_data"
		}
		return nil, &ConfigError{Err: i18n.Errorf(key, opts.From.Format(time.DateOnly), opts.To.Format(time.DateOnly))}
	}
	total := int(opts.To.Sub(opts.From).Hours()/24) + 1
	if err := plan.keepLetters(ctx, conn, opts.From, opts.To); err != nil {
		return nil, err
	}
	rep.Step("run.step.backtest_days", total)
	// Each day is a few small queries: one DuckDB thread per connection and a connection per core
	// waste less on coordination than every core on each query (measured: 30 days in 15 s
	// instead of 26 s on 2 cores).
	if err := db.Exec(ctx, conn, "SET threads = 1"); err != nil {
		return nil, err
	}
	if err := screenDays(ctx, pool, rs, cfg.Clocks, cfg.Watchlist, opts.From, total, opts.Progress); err != nil {
		return nil, err
	}
	if err := loadTruth(conn, truth); err != nil {
		return nil, err
	}
	res := &BacktestResult{From: opts.From.Format(time.DateOnly), To: opts.To.Format(time.DateOnly), Days: total, HasTruth: opts.Truth != ""}
	if err := conn.QueryRowContext(ctx, matterDaysSQL).Scan(&res.MatterDays); err != nil {
		return nil, err
	}
	if res.Rows, err = scoreBacktest(ctx, conn, rs, opts.From); err != nil {
		return nil, err
	}
	if res.Daily, err = dailyFlags(ctx, conn); err != nil {
		return nil, err
	}
	if d := cfg.Watchlist.DueSoonDays; d > 0 {
		if res.DueSoon, err = dueSoonBacktest(ctx, conn, d); err != nil {
			return nil, i18n.Wrap(err, "run.err.score_due_soon")
		}
	}
	res.Seconds = time.Since(started).Seconds()
	return res, nil
}

// screenDays screens total days from the first, on as many connections as there are cores.
func screenDays(ctx context.Context, pool *sql.DB, rs []*rules.Rule, clocks rules.Clocks, w configs.Watchlist, first time.Time, total int, progress func(done, total int)) error {
	g, ctx := errgroup.WithContext(ctx)
	days := make(chan time.Time)
	var mu sync.Mutex
	done := 0
	for range min(runtime.NumCPU(), total) {
		g.Go(func() error {
			conn, err := pool.Conn(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			for day := range days {
				if err := screenDay(ctx, conn, rs, clocks, w, day); err != nil {
					return err
				}
				mu.Lock()
				done++
				if progress != nil {
					progress(done, total)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(days)
		for i := range total {
			select {
			case days <- first.AddDate(0, 0, i):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return g.Wait()
}

// screenDay builds the case state as of day and records every rule's flagged matters that are
// live that day (as a run would list them; see flagLiveness), and the cases due soon or first
// overdue that day (when w.DueSoonDays is not 0).
func screenDay(ctx context.Context, q *sql.Conn, rs []*rules.Rule, clocks rules.Clocks, w configs.Watchlist, day time.Time) error {
	if err := rules.Exec(ctx, q, rules.PrepareSQL(clocks, day)); err != nil {
		return i18n.Wrap(err, "run.err.case_state", day.Format(time.DateOnly))
	}
	d := sql.Named("bt_day", day.Format(time.DateOnly))
	if _, err := q.ExecContext(ctx, backtestOpenSQL, d); err != nil {
		return err
	}
	if w.DueSoonDays > 0 {
		if _, err := q.ExecContext(ctx, backtestDueSQL, d, sql.Named("due_soon_days", w.DueSoonDays)); err != nil {
			return err
		}
	}
	for _, r := range rs {
		err := r.Materialize(ctx, q, day)
		if err == nil {
			err = flagLiveness(ctx, q, r, w, day, nil)
		}
		if err == nil {
			_, err = q.ExecContext(ctx, backtestFlagsSQL, d, sql.Named("bt_rule", r.ID), sql.Named("bt_family", r.Family))
		}
		if err != nil {
			return i18n.Wrap(err, "run.err.rule_day", r.ID, day.Format(time.DateOnly))
		}
	}
	return nil
}

func loadTruth(q *sql.Conn, truth []groundtruth.Event) error {
	return rules.AppendTemp(q, backtestTruthTable, func(add func(...driver.Value) error) error {
		for _, e := range truth {
			first, err1 := time.Parse(time.DateOnly, e.FirstDate)
			peak, err2 := time.Parse(time.DateOnly, e.PeakDate)
			if err := errors.Join(err1, err2); err != nil {
				return i18n.Wrap(err, "run.err.truth_dates", e.ID, e.FirstDate, e.PeakDate)
			}
			for _, c := range e.CaseIDs {
				if err := add(e.ID, e.Family, e.Kind, c, first, peak); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// scoreBacktest computes one row per rule and per family; see BacktestRow for the definitions.
func scoreBacktest(ctx context.Context, q *sql.Conn, rs []*rules.Rule, from time.Time) ([]BacktestRow, error) {
	scored, err := db.Collect(ctx, q, backtestScoreSQL, []any{sql.Named("from", from.Format(time.DateOnly))},
		func(rows *sql.Rows) (BacktestRow, error) {
			var r BacktestRow
			var lead sql.NullFloat64
			err := rows.Scan(&r.Scope, &r.Name, &r.Family, &r.Events, &r.Detected, &r.Alerts, &r.FalseAlerts, &lead)
			r.MedianLeadDays = leadDays(lead)
			return r, err
		})
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.score")
	}
	got := map[string]BacktestRow{}
	for _, r := range scored {
		got[r.Scope+"/"+r.Name] = r
	}
	kinds, err := scoreKinds(ctx, q, from)
	if err != nil {
		return nil, err
	}
	// Every family and rule gets a row, in config order, even when it never fired; each family
	// is followed by the kinds of planted event it covers.
	var out []BacktestRow
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Family] {
			seen[r.Family] = true
			row, ok := got["family/"+r.Family]
			if !ok {
				row = BacktestRow{Scope: "family", Name: r.Family, Family: r.Family}
			}
			out = append(out, row)
			for _, k := range kinds {
				if k.Family == r.Family {
					out = append(out, k)
				}
			}
		}
	}
	for _, r := range rs {
		row, ok := got["rule/"+r.ID]
		if !ok {
			row = BacktestRow{Scope: "rule", Name: r.ID, Family: r.Family}
		}
		out = append(out, row)
	}
	return out, nil
}

// scoreKinds scores detection per kind of planted event, by any rule of the event's family.
func scoreKinds(ctx context.Context, q *sql.Conn, from time.Time) ([]BacktestRow, error) {
	out, err := db.Collect(ctx, q, backtestKindsSQL, []any{sql.Named("from", from.Format(time.DateOnly))},
		func(rows *sql.Rows) (BacktestRow, error) {
			r := BacktestRow{Scope: "kind"}
			var lead sql.NullFloat64
			err := rows.Scan(&r.Name, &r.Family, &r.Events, &r.Detected, &lead)
			r.MedianLeadDays = leadDays(lead)
			return r, err
		})
	if err != nil {
		return nil, i18n.Wrap(err, "run.err.score_kinds")
	}
	return out, nil
}

// leadDays is a median lead time, nil when nothing was detected.
func leadDays(lead sql.NullFloat64) *float64 {
	if !lead.Valid {
		return nil
	}
	v := lead.Float64
	return &v
}

func dailyFlags(ctx context.Context, q *sql.Conn) ([]DailyFlags, error) {
	return db.Collect(ctx, q, backtestDailySQL, nil, func(rows *sql.Rows) (DailyFlags, error) {
		var d DailyFlags
		err := rows.Scan(&d.Day, &d.Family, &d.Matters)
		return d, err
	})
}

// dueSoonBacktest scores the due-soon list over the screened days (see DueSoonBacktest).
func dueSoonBacktest(ctx context.Context, q *sql.Conn, days int) (*DueSoonBacktest, error) {
	r := &DueSoonBacktest{Days: days}
	var ahead sql.NullFloat64
	if err := q.QueryRowContext(ctx, backtestDueScore, sql.Named("due_soon_days", days)).Scan(&r.BecameOverdue, &r.ListedBefore, &ahead); err != nil {
		return nil, err
	}
	r.MedianAhead = leadDays(ahead)
	return r, nil
}
