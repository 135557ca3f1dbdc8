// Package textclass classifies short texts (a petition's content) into the categories an office
// labelled its own history with: character n-grams of the text, weighted, and a linear model
// over them (multinomial logistic regression, or multinomial or complement naive Bayes), trained
// deterministically and kept in a small versioned JSON file.
//
// Every model predicts the same way: a score per class, bias + Σ feature × weight, the class
// with the highest score, and a confidence, the softmax of the scores. For logistic regression
// and multinomial naive Bayes that is the model's probability of the class; complement naive
// Bayes's scores are not probabilities, and its confidence only ranks.
package textclass

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/internal/copydetect"
)

// Format names the model file's layout; Version is the only version of it this build reads.
const (
	Format  = "earlywarn-textclass"
	Version = 1
)

// The kinds of model.
const (
	LogReg        = "logreg"
	NaiveBayes    = "nb"
	ComplementNB  = "cnb"
	maxModelBytes = 256 << 20
)

// Kinds lists the kinds of model, the default first.
var Kinds = []string{ComplementNB, LogReg, NaiveBayes}

// Model is a trained classifier, as its file holds it.
type Model struct {
	Format   string   `json:"format"`
	Version  int      `json:"version"`
	Kind     string   `json:"kind"`
	Features Features `json:"features"`
	Classes  []string `json:"classes"`
	// Examples counts the training texts of each class.
	Examples   []int       `json:"examples"`
	Vocabulary []string    `json:"vocabulary,omitempty"` // the features, unless hashed
	IDF        []float32   `json:"idf,omitempty"`        // per feature, with tfidf weighting
	Bias       []float32   `json:"bias"`                 // per class
	Weights    [][]float32 `json:"weights"`              // per class, per feature
	// Temperature scales the scores before the softmax that gives a prediction's confidence
	// (1 when 0): Calibrate fits it to out-of-fold predictions, so that a confidence of 0.8
	// is right about 8 times in 10.
	Temperature float32 `json:"temperature,omitempty"`

	index map[string]int32
}

// Prediction is a model's class for a text and its confidence in it.
type Prediction struct {
	Class      string
	Confidence float64 // the softmax of the classes' scores at Class, in (0, 1]
	// Words are the n-grams of the text that weigh most for Class, at most three, none inside
	// another: what the prediction rests on.
	Words []string

	scores []float64 // per class of the model, before the temperature
	truth  int       // the index of the text's true class among them, -1 when unknown (Calibrate)
}

// Predict classifies text.
func (m *Model) Predict(text string) Prediction {
	v := m.vectorize(text)
	scores := m.scores(v)
	best := 0
	for c := range scores {
		if scores[c] > scores[best] {
			best = c
		}
	}
	return Prediction{Class: m.Classes[best], Confidence: softmaxAt(scores, best, m.temperature()), Words: m.words(text, v, best, 3), scores: scores, truth: -1}
}

func (m *Model) temperature() float64 {
	if m.Temperature == 0 {
		return 1
	}
	return float64(m.Temperature)
}

// softmaxAt is the softmax of t × scores at index i.
func softmaxAt(scores []float64, i int, t float64) float64 {
	var sum float64
	for _, s := range scores {
		sum += math.Exp(t * (s - scores[i]))
	}
	return 1 / sum
}

func (m *Model) scores(v vector) []float64 {
	scores := make([]float64, len(m.Classes))
	for c := range scores {
		s := float64(m.Bias[c])
		w := m.Weights[c]
		for k, i := range v.idx {
			s += v.val[k] * float64(w[i])
		}
		scores[c] = s
	}
	return scores
}

// words returns what in text (as vector v) weighs most for class c, at most n phrases: the n
// n-grams that weigh most, none inside another, each weighed by how much it and the shorter
// n-grams inside it add to c's score over the classes' mean (so that a whole word, 垃圾,
// outweighs its characters); then wherever they occur in the text's normal form, those that
// overlap or touch joined into one phrase (劳动仲, 仲裁委 → 劳动仲裁委), in the order of their
// best n-gram. Hashed features have no n-gram to show.
func (m *Model) words(text string, v vector, c, n int) []string {
	if m.Features.Buckets > 0 {
		return nil
	}
	gain := map[string]float64{}
	for k, i := range v.idx {
		var mean float64
		for d := range m.Classes {
			mean += float64(m.Weights[d][i])
		}
		mean /= float64(len(m.Classes))
		// Masked numbers (copydetect's masks) are no words to show.
		if w := v.val[k] * (float64(m.Weights[c][i]) - mean); w > 0 && !strings.ContainsAny(m.Vocabulary[i], masks) {
			gain[m.Vocabulary[i]] = w
		}
	}
	type part struct {
		gram string
		w    float64
	}
	parts := make([]part, 0, len(gain))
	for g := range gain {
		r := []rune(g)
		var w float64
		for i := range r {
			for j := i + 1; j <= len(r); j++ {
				w += gain[string(r[i:j])]
			}
		}
		parts = append(parts, part{g, w})
	}
	slices.SortFunc(parts, func(a, b part) int {
		if a.w != b.w {
			if a.w > b.w {
				return -1
			}
			return 1
		}
		return strings.Compare(a.gram, b.gram)
	})
	grams := make([]string, len(parts))
	for i, p := range parts {
		grams[i] = p.gram
	}
	return phrases([]rune(copydetect.Normalize(text)), firstApart(grams, n), n)
}

// masks are the runes copydetect.Normalize puts for numbers.
const masks = string(copydetect.MaskNumber) + string(copydetect.MaskID) + string(copydetect.MaskPhone)

// phrases marks every occurrence of grams in runes with the rank of the best gram covering
// it, and returns the runs of marked runes, each once, by their best rank, at most n.
func phrases(runes []rune, grams []string, n int) []string {
	rank := make([]int, len(runes)) // 1 + the best rank covering the rune; 0 for none
	for r, g := range grams {
		gr := []rune(g)
		for i := 0; i+len(gr) <= len(runes); i++ {
			if slices.Equal(runes[i:i+len(gr)], gr) {
				for j := i; j < i+len(gr); j++ {
					if rank[j] == 0 || rank[j] > r+1 {
						rank[j] = r + 1
					}
				}
			}
		}
	}
	best := map[string]int{}
	for i := 0; i < len(runes); {
		if rank[i] == 0 {
			i++
			continue
		}
		j, top := i, rank[i]
		for j < len(runes) && rank[j] > 0 {
			top = min(top, rank[j])
			j++
		}
		if p := string(runes[i:j]); best[p] == 0 || best[p] > top {
			best[p] = top
		}
		i = j
	}
	out := slices.Collect(maps.Keys(best))
	slices.SortFunc(out, func(a, b string) int {
		if best[a] != best[b] {
			return best[a] - best[b]
		}
		return strings.Compare(a, b)
	})
	return firstApart(out, n)
}

// firstApart returns the first n of list, skipping each that is inside one taken or holds one.
func firstApart(list []string, n int) []string {
	var out []string
	for _, s := range list {
		if len(out) == n {
			break
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.Contains(o, s) || strings.Contains(s, o) }) {
			out = append(out, s)
		}
	}
	return out
}

// Save writes the model as JSON.
func (m *Model) Save(w io.Writer) error {
	enc := json.NewEncoder(w)
	return enc.Encode(m)
}

// ErrNotModel is a file that is not a model file of this package (other JSON, or not JSON).
var ErrNotModel = errors.New("not an earlywarn text classifier model")

// VersionError is a model file of another version than this build reads.
type VersionError struct{ Got, Want int }

func (e *VersionError) Error() string {
	return fmt.Sprintf("model file version %d, this build reads version %d", e.Got, e.Want)
}

// CorruptError is a model file whose parts do not fit together: Reason says which.
type CorruptError struct{ Reason string }

func (e *CorruptError) Error() string { return "corrupt model file: " + e.Reason }

// Load reads a model file. A file that is not a model is ErrNotModel (wrapped); one of
// another version a *VersionError; one whose parts do not fit together a *CorruptError.
func Load(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxModelBytes {
		return nil, &CorruptError{Reason: "larger than 256 MiB"}
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil || head.Format != Format {
		if err != nil && bytes.Contains(b, []byte(`"`+Format+`"`)) {
			return nil, &CorruptError{Reason: err.Error()} // ours, cut short or damaged
		}
		return nil, fmt.Errorf("%w (format %q)", ErrNotModel, head.Format)
	}
	if head.Version != Version {
		return nil, &VersionError{Got: head.Version, Want: Version}
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &CorruptError{Reason: err.Error()}
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	if m.Features.Buckets == 0 {
		m.buildIndex()
	}
	return &m, nil
}

func bad(format string, args ...any) error {
	return &CorruptError{Reason: fmt.Sprintf(format, args...)}
}

// checkSpec reports a kind of model or features that do not exist.
func checkSpec(kind string, f Features) error {
	switch {
	case !slices.Contains(Kinds, kind):
		return fmt.Errorf("unknown kind %q", kind)
	case f.MinN < 1 || f.MaxN < f.MinN || f.MaxN > 8:
		return fmt.Errorf("n-gram orders %d to %d", f.MinN, f.MaxN)
	case f.Weighting != WeightRaw && f.Weighting != WeightTFIDF:
		return fmt.Errorf("unknown weighting %q", f.Weighting)
	case f.Buckets < 0:
		return fmt.Errorf("%d buckets", f.Buckets)
	}
	return nil
}

// check reports a model whose parts do not fit together.
func (m *Model) check() error {
	if err := checkSpec(m.Kind, m.Features); err != nil {
		return &CorruptError{Reason: err.Error()}
	}
	f := m.Features
	switch {
	case len(m.Classes) < 2:
		return bad("%d classes", len(m.Classes))
	case len(m.Examples) != len(m.Classes) || len(m.Bias) != len(m.Classes) || len(m.Weights) != len(m.Classes):
		return bad("%d classes but %d example counts, %d biases, %d weight rows", len(m.Classes), len(m.Examples), len(m.Bias), len(m.Weights))
	case f.Weighting == WeightTFIDF && len(m.IDF) != m.dims():
		return bad("%d features but %d inverse document frequencies", m.dims(), len(m.IDF))
	case f.Buckets > 0 && len(m.Vocabulary) > 0:
		return bad("both hashed and a vocabulary")
	case m.Temperature < 0 || math.IsNaN(float64(m.Temperature)):
		return bad("temperature %g", m.Temperature)
	}
	for c, row := range m.Weights {
		if len(row) != m.dims() {
			return bad("class %q has %d weights for %d features", m.Classes[c], len(row), m.dims())
		}
	}
	if !slices.IsSorted(m.Vocabulary) {
		return bad("vocabulary not sorted")
	}
	return nil
}
