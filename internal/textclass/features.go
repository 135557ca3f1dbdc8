package textclass

import (
	"hash/fnv"
	"math"
	"slices"

	"github.com/earlywarn/earlywarn/internal/copydetect"
)

// Features says how a text becomes a vector: the character n-grams of its normal form
// (copydetect.Normalize: full-width folded, lower-cased, numbers masked, everything but letters
// dropped), of orders MinN to MaxN, counted, then weighted.
type Features struct {
	MinN int `json:"min_n"`
	MaxN int `json:"max_n"`
	// Buckets > 0 hashes the n-grams into that many buckets (FNV-1a); 0 keeps a vocabulary of
	// the n-grams seen in at least MinDF training texts, and drops the others.
	Buckets int `json:"buckets,omitempty"`
	MinDF   int `json:"min_df,omitempty"`
	// Weighting: "raw" counts (multinomial naive Bayes), or "tfidf": log(1+count) × the
	// n-gram's inverse document frequency, the vector scaled to length 1.
	Weighting string `json:"weighting"`
}

// The weightings.
const (
	WeightRaw   = "raw"
	WeightTFIDF = "tfidf"
)

// vector is a sparse vector: feature indices in ascending order and their values.
type vector struct {
	idx []int32
	val []float64
}

// grams returns the n-grams of text's normal form, of orders f.MinN to f.MaxN, in order.
func (f Features) grams(text string) []string {
	runes := []rune(copydetect.Normalize(text))
	var out []string
	for n := f.MinN; n <= f.MaxN; n++ {
		for i := 0; i+n <= len(runes); i++ {
			out = append(out, string(runes[i:i+n]))
		}
	}
	return out
}

// bucket is the hashed feature of an n-gram.
func bucket(g string, buckets int) int32 {
	h := fnv.New64a()
	h.Write([]byte(g))
	return int32(h.Sum64() % uint64(buckets))
}

// counts returns text's n-gram counts as a sparse vector over the model's features, leaving out
// n-grams the vocabulary lacks.
func (m *Model) counts(text string) vector {
	c := map[int32]float64{}
	for _, g := range m.Features.grams(text) {
		if m.Features.Buckets > 0 {
			c[bucket(g, m.Features.Buckets)]++
		} else if i, ok := m.index[g]; ok {
			c[i]++
		}
	}
	return sparse(c)
}

// sparse turns a map of counts into a vector, in index order (deterministic sums).
func sparse(c map[int32]float64) vector {
	v := vector{idx: make([]int32, 0, len(c))}
	for i := range c {
		v.idx = append(v.idx, i)
	}
	slices.Sort(v.idx)
	v.val = make([]float64, len(v.idx))
	for k, i := range v.idx {
		v.val[k] = c[i]
	}
	return v
}

// weigh applies the model's weighting to a vector of counts, in place.
func (m *Model) weigh(v vector) vector {
	if m.Features.Weighting != WeightTFIDF {
		return v
	}
	var norm float64
	for k, i := range v.idx {
		v.val[k] = math.Log1p(v.val[k]) * float64(m.IDF[i])
		norm += v.val[k] * v.val[k]
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for k := range v.val {
			v.val[k] /= norm
		}
	}
	return v
}

// vectorize is text as the model's classifier sees it.
func (m *Model) vectorize(text string) vector { return m.weigh(m.counts(text)) }

// fitFeatures sets the model's vocabulary (unless hashed) and inverse document frequencies from
// the training texts, and returns their count vectors.
func (m *Model) fitFeatures(texts []string) []vector {
	f := m.Features
	if f.Buckets == 0 {
		df := map[string]int{}
		for _, t := range texts {
			seen := map[string]bool{}
			for _, g := range f.grams(t) {
				if !seen[g] {
					seen[g] = true
					df[g]++
				}
			}
		}
		m.Vocabulary = m.Vocabulary[:0]
		for g, n := range df {
			if n >= max(f.MinDF, 1) {
				m.Vocabulary = append(m.Vocabulary, g)
			}
		}
		slices.Sort(m.Vocabulary)
		m.buildIndex()
	}
	vs := make([]vector, len(texts))
	for i, t := range texts {
		vs[i] = m.counts(t)
	}
	if f.Weighting == WeightTFIDF {
		df := make([]float64, m.dims())
		for _, v := range vs {
			for _, i := range v.idx {
				df[i]++
			}
		}
		n := float64(len(texts))
		m.IDF = make([]float32, len(df))
		for i, d := range df {
			m.IDF[i] = round(math.Log((1+n)/(1+d)) + 1) // smoothed, as scikit-learn's
		}
	}
	return vs
}

// dims is the number of features.
func (m *Model) dims() int {
	if m.Features.Buckets > 0 {
		return m.Features.Buckets
	}
	return len(m.Vocabulary)
}

func (m *Model) buildIndex() {
	m.index = make(map[string]int32, len(m.Vocabulary))
	for i, g := range m.Vocabulary {
		m.index[g] = int32(i)
	}
}

// round keeps 4 significant digits, so that the model file stays small and a model read back
// from it predicts exactly as the one trained.
func round(x float64) float32 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return float32(x)
	}
	e := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(x))))
	return float32(math.Round(x*e) / e)
}
