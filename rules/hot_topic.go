package rules

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Topics within a place. A case's text becomes a vector of its character 2- and 3-grams (runs of
// letters only: digits, punctuation and spaces cut the text, and so do the place names it
// writes, which are masked so that two messages about one place are not alike for naming it),
// hashed into topicBuckets, weighted by (1 + log tf) × idf with the document frequencies of every
// message in the screened period: a template phrase (尊敬的领导, 希望相关部门尽快处理) is in
// many messages and weighs little; n-grams in more than templateShare of them weigh nothing.

const (
	topicBuckets  = 1 << 20
	templateShare = 0.05
)

// topicText is a case's text reduced for the n-grams: lower-cased letters, full-width folded,
// with every other rune, and each place name given, turned into a cut (a space).
func topicText(text string, names []string) string {
	text = foldWidth(text)
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// foldWidth turns full-width ASCII forms and the ideographic space into their ASCII forms.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// ngramCounts are a text's hashed n-grams with their counts, sorted by hash.
type ngramCounts struct {
	h []uint32
	n []uint16
}

// countNgrams hashes the 2- and 3-grams of each run of letters of a topicText.
func countNgrams(t string) ngramCounts {
	var hs []uint32
	for _, run := range strings.Fields(t) {
		rs := []rune(run)
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(rs); i++ {
				hs = append(hs, hashRunes(rs[i:i+n]))
			}
		}
	}
	slices.Sort(hs)
	var c ngramCounts
	for i, h := range hs {
		if i > 0 && hs[i-1] == h {
			c.n[len(c.n)-1]++
			continue
		}
		c.h = append(c.h, h)
		c.n = append(c.n, 1)
	}
	return c
}

// hashRunes is FNV-1a over the runes, folded into topicBuckets.
func hashRunes(rs []rune) uint32 {
	h := uint32(2166136261)
	for _, r := range rs {
		h ^= uint32(r)
		h *= 16777619
	}
	return h & (topicBuckets - 1)
}

// docFreq counts in how many texts each hashed n-gram is.
type docFreq struct {
	df   []int32
	docs int
}

func newDocFreq() *docFreq { return &docFreq{df: make([]int32, topicBuckets)} }

func (d *docFreq) add(c ngramCounts) {
	d.docs++
	for _, h := range c.h {
		d.df[h]++
	}
}

// idf is the inverse document frequency of a hashed n-gram; 0 for a template n-gram.
func (d *docFreq) idf(h uint32) float64 {
	df := float64(d.df[h])
	if df > templateShare*float64(d.docs) && d.docs >= 100 {
		return 0
	}
	return math.Log((float64(d.docs) + 1) / (df + 1))
}

// sparse is a unit-length vector: hashed n-grams (sorted) and their weights. N-grams in one
// text only are left out (they match nothing) but count towards the length.
type sparse struct {
	h []uint32
	w []float32
}

func (d *docFreq) vector(c ngramCounts) sparse {
	var v sparse
	var norm float64
	for i, h := range c.h {
		w := (1 + math.Log(float64(c.n[i]))) * d.idf(h)
		if w == 0 {
			continue
		}
		norm += w * w
		if d.df[h] > 1 {
			v.h = append(v.h, h)
			v.w = append(v.w, float32(w))
		}
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range v.w {
			v.w[i] *= inv
		}
	}
	return v
}

// centroid is the sum of a topic's vectors.
type centroid struct {
	w     map[uint32]float32
	norm2 float64 // squared length of the sum
	n     int
}

func (c *centroid) dot(v sparse) float64 {
	var s float64
	for i, h := range v.h {
		s += float64(v.w[i] * c.w[h])
	}
	return s
}

func (c *centroid) add(v sparse, dot float64) {
	var vv float64
	for i, h := range v.h {
		c.w[h] += v.w[i]
		vv += float64(v.w[i] * v.w[i])
	}
	c.norm2 += 2*dot + vv
	c.n++
}

// splitTopics splits a place's cases, given in order of their first contact, into topics and
// returns each case's topic (0, 1, …, in order of first case). A case joins the topic whose
// centroid (the sum of its cases' vectors) is the most alike, at a cosine of at least
// threshold, else starts its own; then topics whose centroids are at least threshold alike merge,
// the most alike first, until none are. A case with no vector (a text of template phrases and
// place names only) joins the place's largest topic: it says nothing against belonging to it.
func splitTopics(vs []sparse, threshold float64) []int {
	topic := make([]int, len(vs))
	var cs []*centroid
	inv := map[uint32][]int{} // n-gram → the topics whose centroid has it
	acc := map[int]float64{}
	var empty []int
	for i, v := range vs {
		if len(v.h) == 0 {
			empty = append(empty, i)
			topic[i] = -1
			continue
		}
		clear(acc)
		for k, h := range v.h {
			for _, t := range inv[h] {
				acc[t] += float64(v.w[k] * cs[t].w[h])
			}
		}
		best, bestCos, bestDot := -1, threshold, 0.0
		for t, d := range acc {
			c := d / math.Sqrt(cs[t].norm2)
			if c > bestCos || c == bestCos && best >= 0 && t < best {
				best, bestCos, bestDot = t, c, d
			}
		}
		if best < 0 {
			best = len(cs)
			cs = append(cs, &centroid{w: map[uint32]float32{}})
		}
		for _, h := range v.h {
			if _, ok := cs[best].w[h]; !ok {
				inv[h] = append(inv[h], best)
			}
		}
		cs[best].add(v, bestDot)
		topic[i] = best
	}
	// Merge alike topics: union-find over the topics, most alike pair first, repeated until no
	// pair of current topics is alike enough.
	parent := make([]int, len(cs))
	for i := range parent {
		parent[i] = i
	}
	var root func(int) int
	root = func(t int) int {
		for parent[t] != t {
			parent[t] = parent[parent[t]]
			t = parent[t]
		}
		return t
	}
	for {
		type pair struct {
			a, b int
			cos  float64
		}
		var pairs []pair
		// Dot products of the current topics that share an n-gram, through an index of them.
		byGram := map[uint32][]int{}
		for a := range cs {
			if root(a) == a {
				for h := range cs[a].w {
					byGram[h] = append(byGram[h], a)
				}
			}
		}
		for a := range cs {
			if root(a) != a {
				continue
			}
			clear(acc)
			for h, w := range cs[a].w {
				for _, b := range byGram[h] {
					if b > a {
						acc[b] += float64(w * cs[b].w[h])
					}
				}
			}
			for b, d := range acc {
				if c := d / math.Sqrt(cs[a].norm2*cs[b].norm2); c >= threshold {
					pairs = append(pairs, pair{a, b, c})
				}
			}
		}
		if len(pairs) == 0 {
			break
		}
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].cos != pairs[j].cos {
				return pairs[i].cos > pairs[j].cos
			}
			return pairs[i].a < pairs[j].a || pairs[i].a == pairs[j].a && pairs[i].b < pairs[j].b
		})
		merged := false
		for _, p := range pairs {
			a, b := root(p.a), root(p.b)
			if a != p.a || b != p.b {
				continue // one of them merged already this round; compare again next round
			}
			parent[b] = a
			for h, w := range cs[b].w {
				cs[a].w[h] += w
			}
			cs[a].norm2 = norm2(cs[a].w)
			cs[a].n += cs[b].n
			merged = true
		}
		if !merged {
			break
		}
	}
	// Number the topics in order of their first case.
	ids := map[int]int{}
	largest, size := -1, map[int]int{}
	for i := range topic {
		if topic[i] < 0 {
			continue
		}
		r := root(topic[i])
		if _, ok := ids[r]; !ok {
			ids[r] = len(ids)
		}
		topic[i] = ids[r]
		size[topic[i]]++
		if largest < 0 || size[topic[i]] > size[largest] || size[topic[i]] == size[largest] && topic[i] < largest {
			largest = topic[i]
		}
	}
	for _, i := range empty {
		if largest < 0 {
			largest = 0
		}
		topic[i] = largest
	}
	return topic
}

func norm2(w map[uint32]float32) float64 {
	var s float64
	for _, x := range w {
		s += float64(x * x)
	}
	return s
}
