package rules

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/baseline"
	"github.com/earlywarn/earlywarn/internal/db"
)

// Defaults of signal wave's test against its group's own recent rate.
//
// A fixed count of distinct complainants means very different things in a quiet group and a
// busy one: where six unrelated people a week is ordinary, six in five days is chance. The
// window's count is therefore tested like the baseline rule's negbin method: against a negative
// binomial fitted to the group's daily distinct complainants over the 56 days (eight whole
// weeks) that end 2 days before the window, its daily mean floored at 0.1 (a group with an
// empty baseline expects 0.5 people in 5 days, so six have a probability of about 1e-5). Alpha
// 0.001 keeps every planted wave of the generator (quiet groups, p ≤ 6e-5) with a wide margin
// and drops windows a group's own rate makes likely; the count min_complainants stays the floor.
const (
	waveBaselineDays = 56
	waveGuardDays    = 2
	waveAlpha        = 0.001
	waveMinMean      = 0.1
	// waveMinBaseDays is the fewest baseline days on record a window is tested on (and at least
	// half of baseline_days); a window with fewer (at the start of the data) is judged by the
	// floor alone.
	waveMinBaseDays = 7
)

// wave is signal wave: SQL finds the windows whose distinct complainants reach the floor, with
// their group's recent daily counts (wave_segments.sql); Go tests each against the group's own
// rate (package baseline) and keeps the unusual ones (wave_tests.sql); SQL makes one flag per
// episode of them (wave.sql).
type wave struct {
	p    WaveParams
	test baseline.Params
	sql  waveStatements
}

type waveStatements struct {
	segments, list, tests, flags string
	// segmentsOf is segments over the groups of RescreenGroups only (see MaterializeGroups).
	segmentsOf string
}

func newWave(at string, p WaveParams) (compiled, error) {
	test := baseline.Params{Method: baseline.MethodNegBin, BaselineDays: p.BaselineDays, GuardDays: p.GuardDays,
		WindowDays: p.WindowDays, MinObserved: p.MinComplainants, Alpha: p.Alpha, MinMean: p.MinMean}
	if err := waveParamsError(at, test); err != nil {
		return compiled{}, err
	}
	if p.Alpha == 1 {
		// Alpha 1 keeps the floor alone; the test still gives the facts their expected count.
		test.Alpha = 0.5
	}
	groupBy := groupBy(p.GroupBy)
	w := &wave{p: p, test: test, sql: waveStatements{
		segments: renderSQL(waveSegmentsSQL, withSwitch(groupBy, "rescreen", false)),
		list:     renderSQL(waveListSQL, nil),
		tests:    renderSQL(waveTestsSQL, nil),
		flags:    renderSQL(waveSQL, groupBy),
	}}
	w.sql.segmentsOf = renderSQL(waveSegmentsSQL, withSwitch(groupBy, "rescreen", true))
	args := []sql.NamedArg{
		sql.Named("window_days", p.WindowDays),
		sql.Named("min_complainants", p.MinComplainants),
		sql.Named("baseline_days", p.BaselineDays),
		sql.Named("guard_days", p.GuardDays),
		sql.Named("alpha", p.Alpha),
		sql.Named("min_mean", p.MinMean),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}
	steps := []string{w.sql.segments, w.sql.list, w.sql.tests, w.sql.flags}
	needs := Needs{GroupBy: p.GroupBy}
	if p.Alpha != 1 {
		// A window ending on day d is tested when its baseline, which ends window + guard days
		// before d, holds minBaseDays days on record (wave.check).
		needs.TestDays = p.WindowDays + p.GuardDays + max(waveMinBaseDays, (p.BaselineDays+1)/2)
	}
	// The screening date and the lookback's start bound the windows (rescreen_groups.sql).
	groups := &byGroup{groups: db.SplitStatements(renderSQL(rescreenGroupsSQL, groupBy)), horizons: []int32{0, int32(p.LookbackDays)},
		window: p.WindowDays, floor: p.MinComplainants, first: w.sql.segmentsOf, eval: func(ctx context.Context, q *sql.Conn, asOf time.Time) error {
			return w.evaluate(ctx, q, asOf, w.sql.segmentsOf)
		}}
	whole := func(ctx context.Context, q *sql.Conn, asOf time.Time) error {
		return w.evaluate(ctx, q, asOf, w.sql.segments)
	}
	return compiled{q: query{args: args, steps: steps}, eval: whole, groups: groups, facts: waveFacts, reason: waveReason, needs: needs}, nil
}

// waveParamsError validates the test's parameters as package baseline does, under the rule's
// keys; alpha may also be 1 (the floor alone).
func waveParamsError(at string, test baseline.Params) error {
	var keep []error
	for _, e := range configs.Flatten(test.Validate()) {
		var pe *baseline.ParamError
		if errors.As(e, &pe) && pe.Key == "alpha" && test.Alpha == 1 {
			continue
		}
		keep = append(keep, e)
	}
	if len(keep) == 0 {
		return nil
	}
	return baselineFieldError(at, errors.Join(keep...))
}

// waveTest is the outcome of one window's test.
type waveTest struct {
	expected, pValue any // float64, or nil when the window was not tested
	needed           int // the smallest unusual count, at least MinComplainants
}

// evaluate runs the three steps, the first as segments (w.sql.segments or segmentsOf); the
// temporary tables are dropped once the flags are made.
func (w *wave) evaluate(ctx context.Context, q *sql.Conn, asOf time.Time, segments string) error {
	defer db.DropTemp(context.WithoutCancel(ctx), q, db.WaveSegments, db.WaveTests)
	_, err := q.ExecContext(ctx, segments,
		sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("window_days", w.p.WindowDays), sql.Named("min_complainants", w.p.MinComplainants),
		sql.Named("baseline_days", w.p.BaselineDays), sql.Named("guard_days", w.p.GuardDays),
		sql.Named("lookback_days", w.p.LookbackDays))
	if err != nil {
		return err
	}
	type kept struct {
		seg int64
		t   waveTest
	}
	var keep []kept
	err = db.Query(ctx, q, w.sql.list, nil, func(rows *sql.Rows) error {
		var seg int64
		var b waveBaseline
		if err := rows.Scan(&seg, &b.n, &b.days, &b.allSum, &b.allSq, &b.usualSum, &b.usualSq, &b.busyDays); err != nil {
			return err
		}
		if t, ok := w.check(b); ok {
			keep = append(keep, kept{seg, t})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := db.Exec(ctx, q, w.sql.tests); err != nil {
		return err
	}
	err = AppendTemp(q, db.WaveTests, func(add func(...driver.Value) error) error {
		for _, k := range keep {
			if err := add(k.seg, k.t.expected, k.t.pValue, int32(k.t.needed)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, w.sql.flags, sql.Named("window_days", w.p.WindowDays),
		sql.Named("min_complainants", w.p.MinComplainants), sql.Named("skip_resolved", w.p.SkipResolved))
	return err
}

// waveBaseline is a window of n distinct complainants (n at least the floor) and its group's
// activity before it: the windows ending on days baseline days on record, the sum and the sum
// of squares of their counts (all), of those below the floor (usual), and the number of those
// at or above it (busy).
type waveBaseline struct {
	n, days, busyDays                int
	allSum, allSq, usualSum, usualSq float64
}

// check tests a window against its group's activity before it and reports whether the window
// is unusual. The windows of an earlier wave (at or above the floor) are left out while they are
// at most a quarter of the baseline, so that one wave does not hide the next; a group above the
// floor more often than that is busy, and all its windows count. With fewer than half the
// baseline days on record (the start of the data), the window is not tested: the floor alone
// decides. The count is tested as the sum of WindowDays days, each with a W-th of the windows'
// mean and variance (package baseline, negbin), so that the fitted window sum has their mean and
// variance.
func (w *wave) check(b waveBaseline) (waveTest, bool) {
	t := waveTest{needed: w.p.MinComplainants}
	if b.days < max(waveMinBaseDays, (w.p.BaselineDays+1)/2) {
		return t, true
	}
	sum, sq, days := b.allSum, b.allSq, b.days
	if 4*b.busyDays <= b.days && b.days-b.busyDays >= waveMinBaseDays {
		sum, sq, days = b.usualSum, b.usualSq, b.days-b.busyDays
	}
	mean := sum / float64(days)
	variance := max(0, (sq-sum*mean)/float64(days-1))
	test := w.test
	test.BaselineDays = days
	per := float64(w.p.WindowDays)
	a, alarm := test.Test(b.n, mean/per, variance/per)
	t.expected, t.pValue = math.Round(a.Expected*10)/10, significant(a.PValue, 2)
	if w.p.Alpha == 1 {
		return t, true
	}
	if alarm {
		t.needed = max(t.needed, int(a.Threshold))
	}
	return t, alarm
}

// significant rounds x to digits significant digits.
func significant(x float64, digits int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	if err != nil {
		return x
	}
	return r
}
