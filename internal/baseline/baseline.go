// Package baseline tests a stratum's daily counts of distinct complainants against the
// stratum's own recent past: a rise over the usual level for a place and category is a group
// signal about that matter. Two tests share one window layout:
//
//	... | baseline: BaselineDays | guard: GuardDays | window: WindowDays (ends on day t) |
//
// The window's sum is compared with what the baseline days predict for it; the guard days
// between them keep the start of a rise out of its own baseline.
//
//   - MethodEARS (after CDC's EARS C2/C3): the baseline's daily mean μ and standard deviation σ;
//     the window sum alarms when it exceeds W·μ + K·σ'·√(W·(1+W/B)), where σ' = max(σ, √μ, MinSD)
//     and the factor 1+W/B adds the uncertainty of μ estimated from B baseline days. The
//     √μ floor keeps σ at least Poisson-sized when the baseline happens to be flat; MinSD keeps
//     a sparse stratum with an all-zero baseline from alarming on one or two people.
//   - MethodNegBin: a negative binomial fitted to the baseline days by the method of moments
//     (mean m' = max(m, MinMean), size m'²/(v−m')), Poisson(m') when the variance v ≤ m'; the
//     window sum of W independent days is negative binomial with W times the size (Poisson with
//     W·m'); the variance is first multiplied by 1+W/B for the uncertainty of the fitted mean.
//     The window alarms when its upper-tail probability P(S ≥ observed) is below Alpha.
//
// Both alarm only when the window holds at least MinObserved complainants. Series are dense:
// one count per day, zero-filled, oldest first.
package baseline

import (
	"errors"
	"fmt"
	"math"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Methods.
const (
	MethodEARS   = "ears"
	MethodNegBin = "negbin"
)

// Params configure a test. Start from DefaultEARS or DefaultNegBin.
type Params struct {
	Method       string
	BaselineDays int     // days the expectation is estimated from
	GuardDays    int     // days skipped between baseline and window
	WindowDays   int     // days summed and tested, ending on the tested day
	MinObserved  int     // smallest window sum that may alarm
	K            float64 // ears: standard deviations of the window sum above its expectation
	MinSD        float64 // ears: floor of the daily standard deviation
	Alpha        float64 // negbin: upper-tail probability below which the window alarms
	MinMean      float64 // negbin: floor of the daily mean
}

// DefaultEARS: 28 baseline days, 2 guard days, a 3-day window, at least 3 complainants,
// K = 5.5 and MinSD = 0.5. K is high because the normal approximation underestimates the upper
// tail of small, skewed counts and a 28-day spread is noisy: on simulated event-free strata
// (TestFalseAlarmRate: Poisson and negative binomial size 2, 0.05–5 a day, weekly pattern) the
// worst scenario gives 3.9 alarm days per 1,000 stratum-days at K = 4.5, 1.95 at K = 5 (no
// margin) and about 1.1 at K = 5.5.
func DefaultEARS() Params {
	return Params{Method: MethodEARS, BaselineDays: 28, GuardDays: 2, WindowDays: 3, MinObserved: 3, K: 5.5, MinSD: 0.5}
}

// DefaultNegBin: the same windows, Alpha = 0.0002 and MinMean = 0.2. The nominal tail is far
// below the bound of 2 per 1,000 because the weekly pattern and the noise of a 28-day fit make
// real tails heavier than fitted: the worst simulated scenario gives 2.0 alarm days per 1,000 at
// Alpha = 0.0003, 1.6 at 0.0002 and 1.1 at 0.0001.
func DefaultNegBin() Params {
	return Params{Method: MethodNegBin, BaselineDays: 28, GuardDays: 2, WindowDays: 3, MinObserved: 3, Alpha: 0.0002, MinMean: 0.2}
}

// ParamError is a parameter that makes no sense: its config key, its value, and why, as a
// message key of the catalogue (internal/i18n) with its arguments.
type ParamError struct {
	Key   string
	Value any
	Msg   string
	Args  []any
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("baseline: %s = %v: %s", e.Key, e.Value, i18n.T("en", e.Msg, e.Args...))
}

// Validate reports every parameter that makes no sense, each a *ParamError naming its config
// key.
func (p Params) Validate() error {
	var errs []error
	bad := func(key string, v any, msg string, args ...any) {
		errs = append(errs, &ParamError{Key: key, Value: v, Msg: msg, Args: args})
	}
	if p.BaselineDays < 7 {
		bad("baseline_days", p.BaselineDays, "rules.baseline.baseline_days", p.BaselineDays)
	}
	if p.GuardDays < 0 {
		bad("guard_days", p.GuardDays, "rules.negative", p.GuardDays)
	}
	if p.WindowDays < 1 {
		bad("window_days", p.WindowDays, "config.at_least_one", p.WindowDays)
	}
	if p.MinObserved < 1 {
		bad("min_observed", p.MinObserved, "config.at_least_one", p.MinObserved)
	}
	switch p.Method {
	case MethodEARS:
		if !(p.K > 0) || math.IsInf(p.K, 0) {
			bad("k", p.K, "rules.baseline.k", p.K)
		}
		if !(p.MinSD > 0) || math.IsInf(p.MinSD, 0) {
			bad("min_sd", p.MinSD, "rules.baseline.floor", p.MinSD)
		}
	case MethodNegBin:
		if !(p.Alpha > 0 && p.Alpha < 1) {
			bad("alpha", p.Alpha, "rules.baseline.alpha", p.Alpha)
		}
		if !(p.MinMean > 0) || math.IsInf(p.MinMean, 0) {
			bad("min_mean", p.MinMean, "rules.baseline.floor", p.MinMean)
		}
	default:
		bad("method", p.Method, "rules.baseline.method", p.Method, MethodEARS, MethodNegBin)
	}
	return errors.Join(errs...)
}

// Span is the number of days before a first test: BaselineDays + GuardDays + WindowDays.
func (p Params) Span() int { return p.BaselineDays + p.GuardDays + p.WindowDays }

// Alarm is one day whose window rose above its baseline.
type Alarm struct {
	Day       int     // index in the series of the window's last day
	Observed  int     // complainants in the window (sum of its days)
	Expected  float64 // the baseline's prediction for the window sum
	Statistic float64 // (Observed − Expected) / standard deviation of the window sum
	PValue    float64 // negbin: P(S ≥ Observed) under the fit; NaN for ears
	Threshold float64 // ears: the sum to exceed; negbin: the smallest sum that alarms
}

// Detect tests every day t with a full baseline (t ≥ Span()−1) and returns the alarms in day
// order. Counts must not be negative.
func Detect(counts []int, p Params) ([]Alarm, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for i, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("baseline: count of day %d is %d; counts of complainants cannot be negative", i, c)
		}
	}
	B, W := p.BaselineDays, p.WindowDays
	var alarms []Alarm
	// Running sums over the baseline (counts and squares) and the window.
	var sum, sq, win float64
	for t := p.Span() - 1; t < len(counts); t++ {
		b0 := t - p.Span() + 1 // first baseline day
		if t == p.Span()-1 {
			for _, c := range counts[b0 : b0+B] {
				sum += float64(c)
				sq += float64(c) * float64(c)
			}
			for _, c := range counts[t-W+1 : t+1] {
				win += float64(c)
			}
		} else {
			out, in := float64(counts[b0-1]), float64(counts[b0+B-1])
			sum += in - out
			sq += in*in - out*out
			win += float64(counts[t]) - float64(counts[t-W])
		}
		obs := int(win + 0.5)
		if obs < p.MinObserved {
			continue
		}
		mean := sum / float64(B)
		variance := max(0, (sq-sum*mean)/float64(B-1))
		if a, ok := test(p, obs, mean, variance); ok {
			a.Day = t
			alarms = append(alarms, a)
		}
	}
	return alarms, nil
}

// Test applies p's method to one window sum, observed, given the daily mean and variance of its
// baseline days (p.BaselineDays of them): the Alarm (Day 0) and whether it alarms. MinObserved
// is not applied. The wave rule tests its windows' distinct complainants with it.
func (p Params) Test(observed int, mean, variance float64) (Alarm, bool) {
	return test(p, observed, mean, variance)
}

// test applies p's method to one window sum given the baseline's daily mean and variance.
func test(p Params, obs int, mean, variance float64) (Alarm, bool) {
	w := float64(p.WindowDays)
	a := Alarm{Observed: obs}
	switch p.Method {
	case MethodEARS:
		sd := max(math.Sqrt(variance), math.Sqrt(mean), p.MinSD) * math.Sqrt(w*(1+w/float64(p.BaselineDays)))
		a.Expected = w * mean
		a.Statistic = (float64(obs) - a.Expected) / sd
		a.PValue = math.NaN()
		a.Threshold = a.Expected + p.K*sd
		return a, float64(obs) > a.Threshold
	default:
		d := fit(mean, variance*(1+w/float64(p.BaselineDays)), p.MinMean, w)
		a.Expected = d.mean()
		a.Statistic = (float64(obs) - a.Expected) / math.Sqrt(d.variance())
		a.PValue = d.upperTail(obs)
		if a.PValue >= p.Alpha {
			return a, false
		}
		s := int(math.Ceil(a.Expected))
		for d.upperTail(s) >= p.Alpha {
			s++
		}
		a.Threshold = float64(s)
		return a, true
	}
}

// dist is a count distribution of a window sum: Poisson(lambda) when size is 0, else negative
// binomial with the given size and success probability prob (mean size·(1−prob)/prob).
type dist struct {
	lambda, size, prob float64
}

func fit(mean, variance, minMean, w float64) dist {
	m := max(mean, minMean)
	if variance <= m {
		return dist{lambda: w * m}
	}
	size := m * m / (variance - m)
	return dist{size: w * size, prob: size / (size + m)}
}

func (d dist) mean() float64 {
	if d.size == 0 {
		return d.lambda
	}
	return d.size * (1 - d.prob) / d.prob
}

func (d dist) variance() float64 {
	if d.size == 0 {
		return d.lambda
	}
	return d.size * (1 - d.prob) / (d.prob * d.prob)
}

// logPMF is log P(S = k).
func (d dist) logPMF(k int) float64 {
	kf := float64(k)
	lk, _ := math.Lgamma(kf + 1)
	if d.size == 0 {
		return kf*math.Log(d.lambda) - d.lambda - lk
	}
	a, _ := math.Lgamma(kf + d.size)
	b, _ := math.Lgamma(d.size)
	return a - b - lk + d.size*math.Log(d.prob) + kf*math.Log1p(-d.prob)
}

// ratio is P(S = k+1) / P(S = k).
func (d dist) ratio(k int) float64 {
	kf := float64(k)
	if d.size == 0 {
		return d.lambda / (kf + 1)
	}
	return (kf + d.size) / (kf + 1) * (1 - d.prob)
}

// upperTail is P(S ≥ s). Above the mean it sums the pmf upwards (terms fall geometrically once
// past the mode); at or below, it is one minus the sum of the few terms below s.
func (d dist) upperTail(s int) float64 {
	if s <= 0 {
		return 1
	}
	if float64(s) <= d.mean() {
		lower, term := 0.0, math.Exp(d.logPMF(0))
		for k := 0; k < s; k++ {
			lower += term
			term *= d.ratio(k)
		}
		return max(0, 1-lower)
	}
	term := math.Exp(d.logPMF(s))
	total := 0.0
	for k := s; k < s+1_000_000; k++ {
		total += term
		term *= d.ratio(k)
		if term < total*1e-16 {
			break
		}
	}
	return min(1, total)
}
