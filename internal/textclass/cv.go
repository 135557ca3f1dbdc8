package textclass

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// ClassScore is one class's figures in a cross-validation.
type ClassScore struct {
	Class                 string
	Examples              int // texts labelled with the class
	Predicted             int // texts predicted as the class
	Precision, Recall, F1 float64
}

// Evaluation is the outcome of a cross-validation: each text's out-of-fold prediction, the
// figures per class, their unweighted mean F1 and the share predicted right.
type Evaluation struct {
	Folds       int
	Seed        uint64
	Predictions []Prediction // per text, by the model trained on the other folds
	Classes     []ClassScore
	MacroF1     float64
	Accuracy    float64
}

// Folds assigns each labelled text to one of k folds, stratified: each class's texts are
// shuffled with seed and dealt out in turn, so every fold holds about 1/k of every class. The
// deal of each class continues where the previous class's ended, so that small classes do not
// all land in the first folds.
func Folds(labels []string, k int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 0x74657874636c61))
	byClass := map[string][]int{}
	for i, l := range labels {
		byClass[l] = append(byClass[l], i)
	}
	fold := make([]int, len(labels))
	next := 0
	for _, c := range slices.Sorted(maps.Keys(byClass)) {
		idx := byClass[c]
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	return fold
}

// Set is labelled texts: Texts[i] is labelled Labels[i].
type Set struct {
	Texts, Labels []string
}

// Add appends a labelled text.
func (s *Set) Add(text, label string) {
	s.Texts, s.Labels = append(s.Texts, text), append(s.Labels, label)
}

// CrossValidate trains on k−1 folds of data (Folds) and extra, which is never predicted (e.g.
// the terms of the office's category scheme), predicts the k-th fold, for each fold, and
// scores the out-of-fold predictions. progress, when not nil, hears of each fold as it starts.
func CrossValidate(data, extra Set, opts Options, k int, seed uint64, progress func(fold int)) (*Evaluation, error) {
	folds := Folds(data.Labels, k, seed)
	ev := &Evaluation{Folds: k, Seed: seed, Predictions: make([]Prediction, len(data.Texts))}
	for f := range k {
		if progress != nil {
			progress(f + 1)
		}
		var train Set
		for i, t := range data.Texts {
			if folds[i] != f {
				train.Add(t, data.Labels[i])
			}
		}
		train.Texts, train.Labels = append(train.Texts, extra.Texts...), append(train.Labels, extra.Labels...)
		m, err := Train(train.Texts, train.Labels, opts)
		if err != nil {
			return nil, err
		}
		for i, t := range data.Texts {
			if folds[i] == f {
				p := m.Predict(t)
				p.truth = slices.Index(m.Classes, data.Labels[i])
				ev.Predictions[i] = p
			}
		}
	}
	ev.score(data.Labels)
	return ev, nil
}

// Calibrate returns the temperature (Model.Temperature) under which the out-of-fold
// predictions' confidences best fit how often they were right (least mean negative
// log-likelihood of the true classes, searched over 10^-3 to 10^5), and recomputes the
// predictions' confidences with it.
func (ev *Evaluation) Calibrate() float64 {
	nll := func(t float64) float64 {
		var sum float64
		for _, p := range ev.Predictions {
			if p.truth >= 0 {
				sum -= math.Log(max(softmaxAt(p.scores, p.truth, t), 1e-300))
			}
		}
		return sum
	}
	// A coarse grid in log t, then golden-section search around its best point.
	best := -3.0
	for x := -3.0; x <= 5; x += 0.25 {
		if nll(math.Pow(10, x)) < nll(math.Pow(10, best)) {
			best = x
		}
	}
	lo, hi := best-0.25, best+0.25
	const g = 0.6180339887498949
	for range 40 {
		a, b := hi-g*(hi-lo), lo+g*(hi-lo)
		if nll(math.Pow(10, a)) < nll(math.Pow(10, b)) {
			hi = b
		} else {
			lo = a
		}
	}
	t := float64(round(math.Pow(10, (lo+hi)/2)))
	for i, p := range ev.Predictions {
		if c := slices.IndexFunc(p.scores, func(s float64) bool { return s == slices.Max(p.scores) }); c >= 0 {
			ev.Predictions[i].Confidence = softmaxAt(p.scores, c, t)
		}
	}
	return t
}

// score fills the figures from the predictions and the true labels.
func (ev *Evaluation) score(labels []string) {
	classes := slices.Compact(slices.Sorted(slices.Values(labels)))
	ev.Classes = make([]ClassScore, len(classes))
	right := 0
	for c, name := range classes {
		s := ClassScore{Class: name}
		var hit int
		for i, l := range labels {
			p := ev.Predictions[i].Class
			if l == name {
				s.Examples++
			}
			if p == name {
				s.Predicted++
				if l == name {
					hit++
				}
			}
		}
		if s.Predicted > 0 {
			s.Precision = float64(hit) / float64(s.Predicted)
		}
		if s.Examples > 0 {
			s.Recall = float64(hit) / float64(s.Examples)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		ev.Classes[c] = s
		ev.MacroF1 += s.F1 / float64(len(classes))
		right += hit
	}
	if len(labels) > 0 {
		ev.Accuracy = float64(right) / float64(len(labels))
	}
}

// AtConfidence returns, for the predictions with at least confidence min, their share of all
// texts and the share of them predicted right.
func (ev *Evaluation) AtConfidence(labels []string, min float64) (coverage, precision float64) {
	var kept, right int
	for i, p := range ev.Predictions {
		if p.Confidence >= min {
			kept++
			if p.Class == labels[i] {
				right++
			}
		}
	}
	if len(labels) > 0 {
		coverage = float64(kept) / float64(len(labels))
	}
	if kept > 0 {
		precision = float64(right) / float64(kept)
	}
	return coverage, precision
}
