package rules

// Topics within a place, from the vectors of hot_topic.go: the place's cases merged into topics
// by the cosine of their centroids (splitTopics).

import (
	"container/heap"
	"math"
	"slices"
	"sort"
)

// centroid is the sum of a topic's vectors: its n-grams (numbered within the place, ascending)
// and, for each, where in that n-gram's postings the topic's weight is.
type centroid struct {
	grams []int32 // ascending
	pos   []int32 // pos[k]: index of the topic's weight in the postings of grams[k]
	norm2 float64 // squared length of the sum
	n     int     // cases
}

// posting is a topic whose centroid has an n-gram, with its weight there.
type posting struct {
	topic int32
	w     float32
}

// mergeAt is the cosine at which two topics merge, the smaller of which has n cases: threshold
// for a single case, threshold/√2 for topics of two or more, whose centroids average out their
// cases' own wording and keep what they share.
func mergeAt(threshold float64, n int) float64 {
	return threshold / math.Sqrt(float64(min(n, 2)))
}

// topicPair is two topics whose centroids have a cosine of cos, as of their versions.
type topicPair struct {
	cos        float64
	a, b       int
	verA, verB int
}

type pairHeap []topicPair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].cos != h[j].cos {
		return h[i].cos > h[j].cos
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(topicPair)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// splitTopics splits a place's cases, given in order of their first contact, into topics and
// returns each case's topic (0, 1, …, numbered in order of their first case). It is
// agglomerative clustering by the cosine of the topics' centroids (the sums of their cases'
// vectors): starting from one topic per case, the two most alike topics merge while their
// centroids' cosine is at least threshold. A centroid sums what a topic's cases share and
// averages out their own wording, so a case whose words only partly match any one other joins a
// topic of several, while unrelated topics, sharing only template phrases of little weight,
// stay apart. A case with no vector (a text of template phrases and place names only) joins the
// place's largest topic: it says nothing against belonging to it.
func splitTopics(vs []sparse, threshold float64) []int {
	// Number the place's n-grams 0, 1, … in order of hash, for postings in a slice: a vector's
	// hashes are ascending, and so are its n-grams' numbers.
	var all []uint32
	for _, v := range vs {
		all = append(all, v.h...)
	}
	sortHashes(all)
	all = slices.Compact(all)
	local := make([][]int32, len(vs))
	for i, v := range vs {
		local[i] = make([]int32, len(v.h))
		at := 0
		for k, f := range v.h {
			at += sort.Search(len(all)-at, func(j int) bool { return all[at+j] >= f })
			local[i][k] = int32(at)
		}
	}
	cs := make([]*centroid, len(vs))
	ver := make([]int, len(vs))
	inv := make([][]posting, len(all)) // n-gram → the topics whose centroid has it (dead ones too)
	h := &pairHeap{}
	acc := make([]float64, len(vs))
	seen := make([]bool, len(vs))
	var touched []int32
	// pairs pushes topic a's pairs with the live topics that share an n-gram with it and have
	// index below limit (all when limit < 0).
	pairs := func(a, limit int) {
		ca := cs[a]
		for k, f := range ca.grams {
			ps := inv[f]
			w := ps[ca.pos[k]].w
			for _, p := range ps {
				b := int(p.topic)
				if b != a && cs[b] != nil && (limit < 0 || b < limit) {
					if !seen[b] {
						seen[b] = true
						touched = append(touched, p.topic)
					}
					acc[b] += float64(w * p.w)
				}
			}
		}
		for _, t := range touched {
			b, d := int(t), acc[t]
			acc[t], seen[t] = 0, false
			c := math.Round(d/math.Sqrt(ca.norm2*cs[b].norm2)*1e9) / 1e9
			if c >= mergeAt(threshold, min(ca.n, cs[b].n)) {
				x, y := min(a, b), max(a, b)
				heap.Push(h, topicPair{c, x, y, ver[x], ver[y]})
			}
		}
		touched = touched[:0]
	}
	for i, v := range vs {
		if len(v.h) == 0 {
			continue
		}
		c := &centroid{grams: local[i], pos: make([]int32, len(v.h)), n: 1}
		for k, f := range local[i] {
			c.pos[k] = int32(len(inv[f]))
			inv[f] = append(inv[f], posting{int32(i), v.w[k]})
			c.norm2 += float64(v.w[k] * v.w[k])
		}
		cs[i] = c
		pairs(i, i)
	}
	parent := make([]int, len(vs))
	for i := range parent {
		parent[i] = i
	}
	for h.Len() > 0 {
		p := heap.Pop(h).(topicPair)
		if cs[p.a] == nil || cs[p.b] == nil || ver[p.a] != p.verA || ver[p.b] != p.verB {
			continue
		}
		a, b := cs[p.a], cs[p.b]
		dot := p.cos * math.Sqrt(a.norm2*b.norm2)
		mergeCentroid(a, b, int32(p.a), inv)
		a.norm2 += 2*dot + b.norm2
		a.n += b.n
		cs[p.b] = nil
		parent[p.b] = p.a
		ver[p.a]++
		pairs(p.a, -1)
	}
	return numberTopics(vs, parent)
}

// mergeCentroid adds centroid b's weights to topic a's (centroid ca): an n-gram both have adds
// to a's posting, one only b has gets a posting of a's.
func mergeCentroid(ca, b *centroid, a int32, inv [][]posting) {
	grams := make([]int32, 0, len(ca.grams)+len(b.grams))
	pos := make([]int32, 0, cap(grams))
	i, j := 0, 0
	for i < len(ca.grams) || j < len(b.grams) {
		switch {
		case j == len(b.grams) || i < len(ca.grams) && ca.grams[i] < b.grams[j]:
			grams, pos = append(grams, ca.grams[i]), append(pos, ca.pos[i])
			i++
		case i == len(ca.grams) || b.grams[j] < ca.grams[i]:
			f := b.grams[j]
			grams, pos = append(grams, f), append(pos, int32(len(inv[f])))
			inv[f] = append(inv[f], posting{a, inv[f][b.pos[j]].w})
			j++
		default:
			f := ca.grams[i]
			inv[f][ca.pos[i]].w += inv[f][b.pos[j]].w
			grams, pos = append(grams, f), append(pos, ca.pos[i])
			i++
			j++
		}
	}
	ca.grams, ca.pos = grams, pos
}

// numberTopics numbers the topics of a merge forest (parent) in order of their first case; a
// case with no vector joins the largest topic.
func numberTopics(vs []sparse, parent []int) []int {
	root := func(t int) int {
		for parent[t] != t {
			t = parent[t]
		}
		return t
	}
	// Number the topics in order of their first case.
	topic := make([]int, len(vs))
	ids := map[int]int{}
	size := map[int]int{}
	largest := -1
	for i, v := range vs {
		if len(v.h) == 0 {
			topic[i] = -1
			continue
		}
		r := root(i)
		if _, ok := ids[r]; !ok {
			ids[r] = len(ids)
		}
		t := ids[r]
		topic[i] = t
		size[t]++
		if largest < 0 || size[t] > size[largest] || size[t] == size[largest] && t < largest {
			largest = t
		}
	}
	for i := range topic {
		if topic[i] < 0 {
			topic[i] = max(largest, 0)
		}
	}
	return topic
}
