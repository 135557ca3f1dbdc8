package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/baseline"
	"github.com/earlywarn/earlywarn/internal/db"
)

// SignalBaseline: a stratum's daily distinct complainants rise above what its own recent past
// predicts (see package baseline).
const SignalBaseline = "baseline"

// BaselineParams configure signal baseline. Strata are the cases' GroupBy fields; each day's
// count is the distinct people who contacted the office about the stratum's cases that day,
// zero-filled. K and MinSD apply to method ears, Alpha and MinMean to negbin.
type BaselineParams struct {
	Signal          string   `mapstructure:"signal"`
	GroupBy         []string `mapstructure:"group_by"`
	Method          string   `mapstructure:"method"`
	BaselineDays    int      `mapstructure:"baseline_days"`
	GuardDays       int      `mapstructure:"guard_days"`
	WindowDays      int      `mapstructure:"window_days"`
	MinComplainants int      `mapstructure:"min_complainants"`
	K               float64  `mapstructure:"k"`
	MinSD           float64  `mapstructure:"min_sd"`
	Alpha           float64  `mapstructure:"alpha"`
	MinMean         float64  `mapstructure:"min_mean"`
	LookbackDays    int      `mapstructure:"lookback_days"`
	SkipResolved    bool     `mapstructure:"skip_resolved"`
}

// baselineFacts: from and to span the episode's days; peak_from and peak_to are the window of its
// strongest alarm, whose daily distinct complainants summed are observed (against expected)
// and whose distinct complainants are peak_complainants.
var baselineFacts = []string{"complainants", "unnamed", "cases", "observed", "expected", "window_days",
	"baseline_days", "from", "to", "group", "method", "peak_from", "peak_to", "peak_complainants"}

var methodKeys = map[string][]string{baseline.MethodEARS: {"k", "min_sd"}, baseline.MethodNegBin: {"alpha", "min_mean"}}

func compileBaseline(at string, params map[string]any) (compiled, error) {
	method, _ := params["method"].(string)
	if method == "" {
		method = baseline.MethodEARS
	}
	def := baseline.DefaultEARS()
	if method == baseline.MethodNegBin {
		def = baseline.DefaultNegBin()
	}
	p := BaselineParams{GroupBy: []string{"township", "category"}, Method: method,
		BaselineDays: def.BaselineDays, GuardDays: def.GuardDays, WindowDays: def.WindowDays,
		MinComplainants: def.MinObserved, K: def.K, MinSD: def.MinSD, Alpha: def.Alpha, MinMean: def.MinMean,
		LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	for m, keys := range methodKeys {
		for _, k := range keys {
			if _, set := params[k]; set && m != p.Method {
				return compiled{}, configs.Fieldf(at+"."+k, "rules.method_only", m, p.Method)
			}
		}
	}
	if err := checkGroupBy(at, p.GroupBy); err != nil {
		return compiled{}, err
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	test := baseline.Params{Method: p.Method, BaselineDays: p.BaselineDays, GuardDays: p.GuardDays,
		WindowDays: p.WindowDays, MinObserved: p.MinComplainants, K: p.K, MinSD: p.MinSD, Alpha: p.Alpha, MinMean: p.MinMean}
	if err := test.Validate(); err != nil {
		return compiled{}, baselineFieldError(at, err)
	}
	b := &baselineRule{p: p, test: test}
	groupBy := groupBy(p.GroupBy)
	b.sql = baselineStatements{
		strata:     renderSQL(baselineStrataSQL, groupBy),
		strataList: renderSQL(baselineStrataListSQL, nil),
		counts:     renderSQL(baselineCountsSQL, groupBy),
		episodes:   renderSQL(baselineEpisodesSQL, nil),
		flags:      renderSQL(baselineFlagsSQL, groupBy),
	}
	args := []sql.NamedArg{sql.Named("method", p.Method), sql.Named("group_by", strings.Join(p.GroupBy, ",")),
		sql.Named("baseline_days", p.BaselineDays), sql.Named("guard_days", p.GuardDays),
		sql.Named("window_days", p.WindowDays), sql.Named("min_complainants", p.MinComplainants),
		sql.Named("lookback_days", p.LookbackDays), sql.Named("skip_resolved", p.SkipResolved)}
	if p.Method == baseline.MethodEARS {
		args = append(args, sql.Named("k", p.K), sql.Named("min_sd", p.MinSD))
	} else {
		args = append(args, sql.Named("alpha", p.Alpha), sql.Named("min_mean", p.MinMean))
	}
	steps := []string{recordsFromStmt, b.sql.strata, b.sql.strataList, b.sql.counts, b.sql.episodes, b.sql.flags}
	return compiled{q: query{args: args, steps: steps}, eval: b.evaluate, facts: baselineFacts, reason: baselineReason, needs: Needs{GroupBy: p.GroupBy}}, nil
}

// checkGroupBy accepts one or more distinct case fields from GroupByFields.
func checkGroupBy(at string, fields []string) error {
	if len(fields) == 0 {
		return configs.Fieldf(at+".group_by", "rules.group_by_empty", strings.Join(GroupByFields, ", "))
	}
	for i, f := range fields {
		if !slices.Contains(GroupByFields, f) {
			return configs.Fieldf(fmt.Sprintf("%s.group_by[%d]", at, i), "rules.group_by_field", f, strings.Join(GroupByFields, ", "))
		}
		if slices.Index(fields, f) != i {
			return configs.Fieldf(fmt.Sprintf("%s.group_by[%d]", at, i), "rules.listed_twice", f)
		}
	}
	return nil
}

// baselineFieldError turns package baseline's validation errors into FieldErrors under at.
func baselineFieldError(at string, err error) error {
	var errs []error
	for _, e := range configs.Flatten(err) {
		var pe *baseline.ParamError
		if !errors.As(e, &pe) {
			errs = append(errs, configs.Fieldf(at, "config.calendar", e.Error()))
			continue
		}
		key := pe.Key
		if key == "min_observed" {
			key = "min_complainants"
		}
		errs = append(errs, configs.Fieldf(at+"."+key, pe.Msg, pe.Args...))
	}
	return errors.Join(errs...)
}

type baselineRule struct {
	p    BaselineParams
	test baseline.Params
	sql  baselineStatements
}

// baselineStatements are the statements a baseline rule runs, in order: the first contact on
// record, the strata and their list, the strata's daily counts, the table of alarm episodes Go
// found and the flags made from it.
type baselineStatements struct {
	strata, strataList, counts, episodes, flags string
}

// episode is a run of alarm days of one stratum, the later ones within a window of the earlier.
type episode struct {
	key                  string
	firstAlarm, from, to time.Time
	peakTo               time.Time // the day of the strongest alarm: its window ends there
	observed             int
	expected, strength   float64
}

// evaluate reads the strata's daily counts, tests every stratum's series and writes one flag per
// alarm episode that touches the lookback, with the contacts of its days as evidence.
func (b *baselineRule) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time) error {
	days := b.p.LookbackDays + b.test.Span() - 1
	start := asOf.AddDate(0, 0, -(days - 1))
	// Days before the records' latest stretch are unknown, not quiet: the series starts there.
	first, err := RecordsFrom(ctx, q, asOf)
	if err != nil {
		return err
	}
	if first.Valid && first.Time.After(start) {
		start = first.Time
		days = int(asOf.Sub(start).Hours()/24) + 1
	}
	if days < 1 {
		return createFlagsTable(ctx, q)
	}
	keys, series, err := b.dailyCounts(ctx, q, start, days)
	if err != nil {
		return err
	}
	firstCurrent := days - b.p.LookbackDays // index of the lookback's first day (may be < 0)
	var eps []episode
	for g, k := range keys {
		if series[g] == nil {
			continue
		}
		alarms, err := baseline.Detect(series[g], b.test)
		if err != nil {
			return err
		}
		for i := 0; i < len(alarms); {
			j := i
			e := episode{key: k, observed: alarms[i].Observed, expected: alarms[i].Expected, strength: alarmStrength(alarms[i])}
			peak := alarms[i].Day
			for j+1 < len(alarms) && alarms[j+1].Day-alarms[j].Day <= b.p.WindowDays {
				j++
				if s := alarmStrength(alarms[j]); s > e.strength {
					e.observed, e.expected, e.strength = alarms[j].Observed, alarms[j].Expected, s
					peak = alarms[j].Day
				}
			}
			if alarms[j].Day >= firstCurrent {
				e.firstAlarm = start.AddDate(0, 0, alarms[i].Day)
				e.from = start.AddDate(0, 0, alarms[i].Day-b.p.WindowDays+1)
				e.to = start.AddDate(0, 0, alarms[j].Day)
				e.peakTo = start.AddDate(0, 0, peak)
				eps = append(eps, e)
			}
			i = j + 1
		}
	}
	if err := b.writeEpisodes(ctx, q, eps); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, b.sql.flags,
		sql.Named("window_days", b.p.WindowDays), sql.Named("baseline_days", b.p.BaselineDays),
		sql.Named("method", b.p.Method), sql.Named("skip_resolved", b.p.SkipResolved))
	return err
}

// dailyCounts returns the strata of the screened cases, sorted, and for each that had a contact
// since start its distinct complainants on each of the days from start (nil for the others).
// Rows cross from DuckDB as integers, through its Arrow interface: a stratum's index and a day's
// offset.
func (b *baselineRule) dailyCounts(ctx context.Context, q *sql.Conn, start time.Time, days int) ([]string, [][]int, error) {
	if err := db.Exec(ctx, q, b.sql.strata); err != nil {
		return nil, nil, fmt.Errorf("strata: %w", err)
	}
	defer db.DropTemp(context.WithoutCancel(ctx), q, db.BaselineStrata)
	keys, err := db.Column[string](ctx, q, b.sql.strataList)
	if err != nil {
		return nil, nil, err
	}
	series := make([][]int, len(keys))
	err = db.Records(ctx, q, b.sql.counts, []any{sql.Named("start", start.Format(time.DateOnly))}, func(rec arrow.RecordBatch) error {
		cols, err := db.IntColumns(rec) // g, day, n
		if err != nil {
			return err
		}
		for j := range int(rec.NumRows()) {
			g, _ := cols[0](j)
			day, _ := cols[1](j)
			n, _ := cols[2](j)
			if series[g] == nil {
				series[g] = make([]int, days)
			}
			series[g][day] = int(n)
		}
		return nil
	})
	return keys, series, err
}

// alarmStrength is how far an alarm's window sum went past the sum that alarms.
func alarmStrength(a baseline.Alarm) float64 {
	if a.Threshold <= 0 || math.IsNaN(a.Threshold) {
		return 1
	}
	return math.Max(1, float64(a.Observed)/a.Threshold)
}

func (b *baselineRule) writeEpisodes(ctx context.Context, q *sql.Conn, eps []episode) error {
	if err := db.Exec(ctx, q, b.sql.episodes); err != nil {
		return err
	}
	return AppendTemp(q, db.BaselineEpisodes, func(add func(...driver.Value) error) error {
		for _, e := range eps {
			if err := add(e.key, e.firstAlarm, e.from, e.to, e.peakTo, int32(e.observed), e.expected, e.strength); err != nil {
				return err
			}
		}
		return nil
	})
}

// recordsFromStmt is baseline_start.sql: the first day of the records' latest stretch.
var recordsFromStmt = renderSQL(baselineStartSQL, nil)

// RecordsFrom returns the first day of the records' latest unbroken stretch up to asOf (see
// sql/records_from.sql): the day a baseline may start counting from. Invalid when there is no
// contact up to asOf.
func RecordsFrom(ctx context.Context, q db.Querier, asOf time.Time) (sql.NullTime, error) {
	var first sql.NullTime
	err := q.QueryRowContext(ctx, recordsFromStmt, sql.Named("as_of", asOf.Format(time.DateOnly))).Scan(&first)
	return first, err
}
