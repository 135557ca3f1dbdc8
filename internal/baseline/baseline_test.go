package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// scenarios: Poisson and negative binomial size 2 (variance m + m²/2) are the event-free
// strata the bound is asserted on; size 1 (variance m + m², bursts of several people on one day
// without any event) is a stress case that is reported, not asserted.
var scenarios = func() []scenario {
	var out []scenario
	for _, rate := range []float64{0.05, 0.2, 0.5, 1, 2, 5} {
		out = append(out,
			scenario{fmt.Sprintf("poisson %.2f/day", rate), rate, 0},
			scenario{fmt.Sprintf("negbin size 2 %.2f/day", rate), rate, 2},
			scenario{fmt.Sprintf("negbin size 1 %.2f/day", rate), rate, 1})
	}
	return out
}()

func stress(sc scenario) bool { return sc.size == 1 }

const (
	strata     = 300 // per scenario
	daysTested = 365
)

// TestFalseAlarmRate runs both methods at their defaults over strata without events, a year of
// tested days each, and asserts at most 2 alarm days per 1,000 stratum-days in every scenario.
func TestFalseAlarmRate(t *testing.T) {
	for _, p := range []Params{DefaultEARS(), DefaultNegBin()} {
		worst := 0.0
		for i, sc := range scenarios {
			r := rand.New(rand.NewPCG(uint64(i)+1, 99))
			alarms, tested := 0, 0
			for range strata {
				s := series(r, sc, p.Span()-1+daysTested)
				got, err := Detect(s, p)
				if err != nil {
					t.Fatal(err)
				}
				alarms += len(got)
				tested += daysTested
			}
			rate := 1000 * float64(alarms) / float64(tested)
			if stress(sc) {
				t.Logf("%s %-24s %6.3f alarms per 1,000 stratum-days (%d in %d; stress case, not asserted)", p.Method, sc.name, rate, alarms, tested)
				continue
			}
			worst = max(worst, rate)
			t.Logf("%s %-24s %6.3f alarms per 1,000 stratum-days (%d in %d)", p.Method, sc.name, rate, alarms, tested)
			if rate > 2 {
				t.Errorf("%s, %s: %.3f false alarms per 1,000 stratum-days, more than 2", p.Method, sc.name, rate)
			}
		}
		t.Logf("%s: worst asserted scenario %.3f per 1,000 stratum-days", p.Method, worst)
	}
}

// TestDetectionPower injects a wave of extra complainants over 3 days (2, 2 and 4 for +8) into
// event-free strata and reports how often an alarm fires by the wave's last day. It asserts the
// power the defaults keep: a +8 wave is caught at least 80% of the time in strata of up to 0.2
// complainants a day. In busier strata the same wave is within normal variation (see the log).
func TestDetectionPower(t *testing.T) {
	waves := []int{5, 8, 12}
	for _, p := range []Params{DefaultEARS(), DefaultNegBin()} {
		for i, sc := range scenarios {
			if stress(sc) {
				continue
			}
			line := fmt.Sprintf("%s %-24s", p.Method, sc.name)
			for _, extra := range waves {
				r := rand.New(rand.NewPCG(uint64(i)+1, uint64(extra)))
				caught := 0
				const trials = 400
				for range trials {
					s := series(r, sc, p.Span()+60)
					start := p.Span() + r.IntN(50)
					add := []int{extra / 3, extra / 3, extra - 2*(extra/3)} // +8: 2, 2, 4
					for d, a := range add {
						s[start+d] += a
					}
					got, err := Detect(s, p)
					if err != nil {
						t.Fatal(err)
					}
					for _, a := range got {
						if a.Day >= start && a.Day <= start+2 {
							caught++
							break
						}
					}
				}
				power := float64(caught) / trials
				line += fmt.Sprintf("  +%d: %.2f", extra, power)
				if extra == 8 && sc.rate <= 0.2 && power < 0.8 {
					t.Errorf("%s, %s: a +8 wave is caught with probability %.2f, want at least 0.8", p.Method, sc.name, power)
				}
			}
			t.Log(line)
		}
	}
}

func TestDetectWindows(t *testing.T) {
	p := DefaultEARS()
	flat := make([]int, 40)
	for i := range flat {
		flat[i] = 1
	}
	// Days 0..27 baseline, 28..29 guard, 30..32 window: the first tested day is 32.
	spike := append([]int(nil), flat...)
	spike[32], spike[31], spike[30] = 6, 6, 6
	got, err := Detect(spike, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Day != 32 || got[0].Observed != 18 || got[0].Expected != 3 {
		t.Fatalf("alarms %+v, want the first on day 32 with 18 observed against 3 expected", got)
	}
	// A rise inside the guard band does not enter the baseline of the next tested days.
	guard := append([]int(nil), flat...)
	guard[33], guard[34], guard[35] = 8, 8, 8
	got, _ = Detect(guard, p)
	for _, a := range got {
		if a.Expected != 3 {
			t.Errorf("day %d: expected %.2f, want 3 (the rise must not be in the baseline yet)", a.Day, a.Expected)
		}
	}
	if len(got) == 0 {
		t.Error("a rise from 1 to 8 a day was not flagged")
	}
	// Too short a series has no tested day.
	if got, _ := Detect(flat[:p.Span()-1], p); len(got) != 0 {
		t.Errorf("series shorter than the span gave alarms %+v", got)
	}
}

func TestSparseStrata(t *testing.T) {
	zeros := make([]int, 40)
	for _, p := range []Params{DefaultEARS(), DefaultNegBin()} {
		tests := []struct {
			window []int
			alarm  bool
		}{
			{[]int{0, 1, 1}, false}, // two people in a silent stratum: below MinObserved
			{[]int{1, 1, 1}, false}, // three people in three days: within what MinSD and MinMean allow
			{[]int{2, 2, 1}, false},
			{[]int{2, 2, 2}, true},
			{[]int{0, 0, 6}, true},
		}
		for _, tt := range tests {
			s := append([]int(nil), zeros...)
			copy(s[30:33], tt.window)
			got, err := Detect(s[:33], p)
			if err != nil {
				t.Fatal(err)
			}
			if (len(got) > 0) != tt.alarm {
				t.Errorf("%s: window %v after an all-zero baseline: alarms %+v, want alarm %v", p.Method, tt.window, got, tt.alarm)
			}
		}
	}
}

// TestEARSFloor checks the standard deviation floors on a flat baseline (σ = 0).
func TestEARSFloor(t *testing.T) {
	p := DefaultEARS()
	s := make([]int, 33)
	for i := range 28 {
		s[i] = 4 // mean 4, sd 0: the Poisson floor √4 = 2 applies
	}
	want := 12 + p.K*2*math.Sqrt(3*(1+3.0/28)) // 32.05 at K = 5.5
	for _, obs := range []int{int(want), int(want) + 1} {
		s[30], s[31], s[32] = 4, 4, obs-8
		got, _ := Detect(s, p)
		if (len(got) == 1) != (float64(obs) > want) {
			t.Errorf("window sum %d against threshold %.2f: alarms %+v", obs, want, got)
		}
		if len(got) == 1 && math.Abs(got[0].Threshold-want) > 1e-9 {
			t.Errorf("threshold %.4f, want %.4f", got[0].Threshold, want)
		}
	}
	// An all-zero baseline: MinSD sets the threshold, 5.5·0.5·√(3·(1+3/28)) = 5.01.
	zero := make([]int, 33)
	zero[30], zero[31], zero[32] = 2, 2, 2
	got, _ := Detect(zero, p)
	if len(got) != 1 || math.Abs(got[0].Threshold-p.K*p.MinSD*math.Sqrt(3*(1+3.0/28))) > 1e-9 {
		t.Errorf("all-zero baseline: alarms %+v, want one with threshold %.3f", got, p.K*p.MinSD*math.Sqrt(3*(1+3.0/28)))
	}
}

// TestUpperTail compares the tail sums with one minus the directly summed lower pmf.
func TestUpperTail(t *testing.T) {
	dists := []dist{{lambda: 0.3}, {lambda: 4.5}, {lambda: 15}, fit(1, 3, 0.1, 3), fit(5, 40, 0.1, 3), fit(0.2, 0.5, 0.1, 3)}
	for _, d := range dists {
		lower := 0.0
		for s := 0; s < 60; s++ {
			want := 1 - lower
			got := d.upperTail(s)
			if math.Abs(got-want) > 1e-9 {
				t.Errorf("%+v: P(S ≥ %d) = %.12g, want %.12g", d, s, got, want)
			}
			lower += math.Exp(d.logPMF(s))
		}
	}
	// Known values: Poisson(2): P(S ≥ 5) = 0.0526530173437111; NB(size 3, p 0.5): P(S ≥ 6) =
	// 1 − I_0.5(3, 6) = 0.14453125.
	if got := (dist{lambda: 2}).upperTail(5); math.Abs(got-0.0526530173437111) > 1e-12 {
		t.Errorf("Poisson(2) P(S ≥ 5) = %.15g", got)
	}
	if got := (dist{size: 3, prob: 0.5}).upperTail(6); math.Abs(got-0.14453125) > 1e-12 {
		t.Errorf("NB(3, 0.5) P(S ≥ 6) = %.15g", got)
	}
}

func TestNegBinFit(t *testing.T) {
	// Under-dispersed baseline → Poisson with the window's mean.
	if d := fit(2, 1.5, 0.1, 3); d.size != 0 || d.lambda != 6 {
		t.Errorf("fit(2, 1.5) = %+v, want Poisson(6)", d)
	}
	// Overdispersed: mean 2, variance 6 → size 1 per day, 3 for the window, same prob 1/3.
	d := fit(2, 6, 0.1, 3)
	if math.Abs(d.size-3) > 1e-12 || math.Abs(d.prob-1.0/3) > 1e-12 || math.Abs(d.mean()-6) > 1e-12 || math.Abs(d.variance()-18) > 1e-12 {
		t.Errorf("fit(2, 6) = %+v (mean %.3f, variance %.3f), want size 3, prob 1/3, mean 6, variance 18", d, d.mean(), d.variance())
	}
	// Empty baseline → floor.
	if d := fit(0, 0, 0.1, 3); d.size != 0 || math.Abs(d.lambda-0.3) > 1e-12 {
		t.Errorf("fit(0, 0) = %+v, want Poisson(0.3)", d)
	}
}

func TestParamsValidate(t *testing.T) {
	for _, p := range []Params{DefaultEARS(), DefaultNegBin()} {
		if err := p.Validate(); err != nil {
			t.Fatalf("defaults invalid: %v", err)
		}
	}
	tests := []struct {
		name string
		p    Params
		edit func(*Params)
		want string
	}{
		{"method", DefaultEARS(), func(p *Params) { p.Method = "cusum" }, `method = cusum: method "cusum" does not exist`},
		{"short baseline", DefaultEARS(), func(p *Params) { p.BaselineDays = 3 }, "baseline_days = 3"},
		{"negative guard", DefaultEARS(), func(p *Params) { p.GuardDays = -1 }, "guard_days = -1"},
		{"no window", DefaultNegBin(), func(p *Params) { p.WindowDays = 0 }, "window_days = 0"},
		{"k", DefaultEARS(), func(p *Params) { p.K = 0 }, "k = 0"},
		{"k NaN", DefaultEARS(), func(p *Params) { p.K = math.NaN() }, "k = NaN"},
		{"min sd", DefaultEARS(), func(p *Params) { p.MinSD = 0 }, "min_sd = 0"},
		{"alpha", DefaultNegBin(), func(p *Params) { p.Alpha = 1 }, "alpha = 1: must be in (0, 1)"},
		{"min mean", DefaultNegBin(), func(p *Params) { p.MinMean = -1 }, "min_mean = -1"},
		{"min observed", DefaultNegBin(), func(p *Params) { p.MinObserved = 0 }, "min_observed = 0"},
	}
	for _, tt := range tests {
		p := tt.p
		tt.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if _, err := Detect(make([]int, 50), p); err == nil {
			t.Errorf("%s: Detect accepted invalid params", tt.name)
		}
	}
	if _, err := Detect([]int{1, -2}, DefaultEARS()); err == nil || !strings.Contains(err.Error(), "count of day 1 is -2") {
		t.Errorf("negative count: error %v", err)
	}
}
