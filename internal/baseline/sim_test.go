package baseline

import (
	"math"
	"math/rand/v2"
)

// Simulated strata without events: daily counts of distinct complainants at a mean rate with a
// weekly pattern (busier early in the week, quiet at weekends), Poisson or negative binomial
// (a gamma-mixed Poisson with the given size; smaller is more overdispersed).

// weekly multiplies the rate Monday to Sunday; it averages 1.
var weekly = [7]float64{1.25, 1.15, 1.1, 1.1, 1.05, 0.7, 0.65}

type scenario struct {
	name string
	rate float64 // mean complainants per stratum-day
	size float64 // negative binomial size; 0 for Poisson
}

// series returns days counts for one stratum, starting on a random weekday.
func series(r *rand.Rand, sc scenario, days int) []int {
	out := make([]int, days)
	dow := r.IntN(7)
	for i := range out {
		lambda := sc.rate * weekly[(dow+i)%7]
		if sc.size > 0 {
			lambda = gamma(r, sc.size) * lambda / sc.size
		}
		out[i] = poisson(r, lambda)
	}
	return out
}

// poisson draws by inversion (rates here are small).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	u := r.Float64()
	p := math.Exp(-lambda)
	k, cdf := 0, p
	for u > cdf && k < 1000 {
		k++
		p *= lambda / float64(k)
		cdf += p
	}
	return k
}

// gamma draws Gamma(shape, 1) (Marsaglia and Tsang; boosted below shape 1).
func gamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
