package textclass

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Options are how to train a model.
type Options struct {
	Kind     string
	Features Features
	// Alpha smooths naive Bayes's counts (default 0.1 when 0).
	Alpha float64
	// L2 is logistic regression's penalty on the squared weights, per example (default 1e-4
	// when 0); Iterations its full-batch gradient steps (default 300 when 0).
	L2         float64
	Iterations int
}

// DefaultOptions are the options the measurement on a real office's labelled messages chose
// (see the README): complement naive Bayes on tf-idf weighted character 1- to 3-grams seen in
// at least three texts.
func DefaultOptions() Options {
	return Options{Kind: ComplementNB, Features: Features{MinN: 1, MaxN: 3, MinDF: 3, Weighting: WeightTFIDF}, Alpha: 0.1}
}

func (o Options) withDefaults() Options {
	if o.Kind == "" {
		o.Kind = ComplementNB
	}
	if o.Features.Weighting == "" {
		o.Features.Weighting = WeightTFIDF
		if o.Kind == NaiveBayes {
			o.Features.Weighting = WeightRaw
		}
	}
	if o.Alpha == 0 {
		o.Alpha = 0.1
	}
	if o.L2 == 0 {
		o.L2 = 1e-4
	}
	if o.Iterations == 0 {
		o.Iterations = 300
	}
	return o
}

// ErrTooFewClasses is training data with fewer than two classes.
var ErrTooFewClasses = errors.New("training needs texts of at least two classes")

// Train fits a model to texts and their labels. The same texts, labels and options always give
// the same model: nothing is random, and every sum runs in a fixed order.
func Train(texts, labels []string, opts Options) (*Model, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("%d texts, %d labels", len(texts), len(labels))
	}
	o := opts.withDefaults()
	m := &Model{Format: Format, Version: Version, Kind: o.Kind, Features: o.Features}
	if m.Features.Buckets > 0 {
		m.Features.MinDF = 0
	}
	if err := checkSpec(m.Kind, m.Features); err != nil {
		return nil, err
	}
	y := classIndex(m, labels)
	if len(m.Classes) < 2 {
		return nil, ErrTooFewClasses
	}
	xs := m.fitFeatures(texts)
	for i := range xs {
		xs[i] = m.weigh(xs[i])
	}
	var w [][]float64
	var b []float64
	switch o.Kind {
	case LogReg:
		w, b = logReg(xs, y, len(m.Classes), m.dims(), o.L2, o.Iterations)
	case NaiveBayes, ComplementNB:
		w, b = naiveBayes(xs, y, m.Examples, m.dims(), o.Alpha, o.Kind == ComplementNB)
	}
	m.Bias = make([]float32, len(b))
	m.Weights = make([][]float32, len(w))
	for c := range w {
		m.Bias[c] = round(b[c])
		m.Weights[c] = make([]float32, len(w[c]))
		for i, x := range w[c] {
			m.Weights[c][i] = round(x)
		}
	}
	return m, nil
}

// classIndex sets the model's classes (sorted) and their example counts, and returns each
// label's class index.
func classIndex(m *Model, labels []string) []int {
	m.Classes = slices.Compact(slices.Sorted(slices.Values(labels)))
	m.Examples = make([]int, len(m.Classes))
	y := make([]int, len(labels))
	for i, l := range labels {
		y[i], _ = slices.BinarySearch(m.Classes, l)
		m.Examples[y[i]]++
	}
	return y
}

// naiveBayes fits multinomial naive Bayes (log class priors and log feature probabilities per
// class), or complement naive Bayes (Rennie et al. 2003: each class scored by how unlike the
// other classes' texts a text is, weights normalised per class; no priors).
func naiveBayes(xs []vector, y, examples []int, dims int, alpha float64, complement bool) ([][]float64, []float64) {
	k := len(examples)
	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, dims)
	}
	for j, x := range xs {
		for n, i := range x.idx {
			sums[y[j]][i] += x.val[n]
		}
	}
	w, b := make([][]float64, k), make([]float64, k)
	total := 0
	for _, n := range examples {
		total += n
	}
	for c := range k {
		counts := sums[c]
		if complement {
			counts = make([]float64, dims)
			for d := range k {
				if d != c {
					for i, v := range sums[d] {
						counts[i] += v
					}
				}
			}
		}
		var all float64
		for _, v := range counts {
			all += v
		}
		w[c] = make([]float64, dims)
		var l1 float64
		for i, v := range counts {
			w[c][i] = math.Log((v + alpha) / (all + alpha*float64(dims)))
			l1 += math.Abs(w[c][i])
		}
		if complement {
			for i := range w[c] {
				// The highest score is the least like the other classes; each class's weights
				// scaled to a mean magnitude of 1, which balances the classes (Rennie et al.'s
				// normalisation, times the number of features: the same for every class).
				w[c][i] = -w[c][i] / l1 * float64(dims)
			}
		} else {
			b[c] = math.Log(float64(examples[c]) / float64(total))
		}
	}
	return w, b
}

// logReg fits multinomial logistic regression: the mean cross-entropy plus l2/2 × the squared
// weights, minimised by full-batch gradient descent with Nesterov momentum from zero weights.
func logReg(xs []vector, y []int, k, dims int, l2 float64, iterations int) ([][]float64, []float64) {
	const rate, momentum = 2.0, 0.9
	w, vw := zeros(k, dims), zeros(k, dims)
	b, vb := make([]float64, k), make([]float64, k)
	gw, gb := zeros(k, dims), make([]float64, k)
	ahead, aheadB := zeros(k, dims), make([]float64, k)
	p := make([]float64, k)
	n := float64(len(xs))
	for range iterations {
		for c := range k {
			for i := range dims {
				ahead[c][i] = w[c][i] + momentum*vw[c][i]
				gw[c][i] = l2 * ahead[c][i]
			}
			aheadB[c] = b[c] + momentum*vb[c]
			gb[c] = 0
		}
		for j, x := range xs {
			top := math.Inf(-1)
			for c := range k {
				s := aheadB[c]
				for m, i := range x.idx {
					s += x.val[m] * ahead[c][i]
				}
				p[c] = s
				top = max(top, s)
			}
			var sum float64
			for c := range k {
				p[c] = math.Exp(p[c] - top)
				sum += p[c]
			}
			for c := range k {
				g := p[c] / sum
				if c == y[j] {
					g--
				}
				g /= n
				gb[c] += g
				for m, i := range x.idx {
					gw[c][i] += g * x.val[m]
				}
			}
		}
		for c := range k {
			for i := range dims {
				vw[c][i] = momentum*vw[c][i] - rate*gw[c][i]
				w[c][i] += vw[c][i]
			}
			vb[c] = momentum*vb[c] - rate*gb[c]
			b[c] += vb[c]
		}
	}
	return w, b
}

func zeros(k, dims int) [][]float64 {
	z := make([][]float64, k)
	for c := range z {
		z[c] = make([]float64, dims)
	}
	return z
}
