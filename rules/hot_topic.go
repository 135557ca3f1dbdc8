package rules

import (
	"container/heap"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Topics within a place. A case's text becomes a vector of its character 2- and 3-grams (runs of
// letters only: digits, punctuation and spaces cut the text, and so do the place names it
// writes, which are masked so that two messages about one place are not alike for naming it),
// hashed into topicBuckets, weighted by (1 + log tf) × idf² with the document frequencies of
// every message in the screened period: a template phrase (尊敬的领导, 希望相关部门尽快处理) is in
// many messages and weighs little; n-grams in more than half of them weigh nothing.

const (
	topicBuckets = 1 << 20
	vectorGrams  = 96
)

// templateShare: n-grams in more than this share of the screened messages weigh nothing.
const templateShare = 0.5

// topicText is a case's text reduced for the n-grams: lower-cased letters, full-width folded,
// with every other rune, and each place name given, turned into a cut (a space). The first line
// break stays: what comes before it is the text's subject (see countNgrams).
func topicText(text string, names []string) string {
	text = foldWidth(text)
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	var b strings.Builder
	b.Grow(len(text))
	subject := true
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\n' && subject:
			b.WriteByte('\n')
			subject = false
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// splitSubject parts a topicText at its first line break: the subject, as a message board's
// first line is, and the body; a text of one line is all body.
func splitSubject(t string) (subject, body string) {
	if s, b, ok := strings.Cut(t, "\n"); ok {
		return s, b
	}
	return "", t
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

// ngramCounts are a text's hashed n-grams, sorted by hash, with how many times each is in the
// body (n) and in the subject (s).
type ngramCounts struct {
	h    []uint32
	n, s []uint16
}

// countNgrams hashes the 2- and 3-grams of each run of letters of a topicText's subject and
// body.
func countNgrams(t string) ngramCounts {
	subject, body := splitSubject(t)
	bh, sh := appendNgrams(nil, body), appendNgrams(nil, subject)
	slices.Sort(bh)
	slices.Sort(sh)
	var c ngramCounts
	add := func(h uint32, inBody bool) {
		if k := len(c.h) - 1; k >= 0 && c.h[k] == h {
			if inBody {
				c.n[k]++
			} else {
				c.s[k]++
			}
			return
		}
		c.h = append(c.h, h)
		if inBody {
			c.n, c.s = append(c.n, 1), append(c.s, 0)
		} else {
			c.n, c.s = append(c.n, 0), append(c.s, 1)
		}
	}
	i, j := 0, 0
	for i < len(bh) || j < len(sh) {
		if j == len(sh) || i < len(bh) && bh[i] <= sh[j] {
			add(bh[i], true)
			i++
		} else {
			add(sh[j], false)
			j++
		}
	}
	return c
}

// appendNgrams appends the hashes of t's 2- and 3-grams.
func appendNgrams(hs []uint32, t string) []uint32 {
	for _, run := range strings.Fields(t) {
		rs := []rune(run)
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(rs); i++ {
				hs = append(hs, hashRunes(rs[i:i+n]))
			}
		}
	}
	return hs
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

// idf is the weight of a hashed n-gram by its document frequency: the square of its inverse
// document frequency, 0 for a template n-gram. Squared, because message boards pad every topic
// with the same complaint phrases (多次向社区反映, 欢迎实地调查, 相关部门互相推诿) in a tenth or a
// fifth of all messages, and a plain idf left them weighing half as much as a topic's words:
// on generated boards, unrelated messages about a busy place then read as one topic.
func (d *docFreq) idf(h uint32) float64 {
	df := float64(d.df[h])
	if df > templateShare*float64(d.docs) && d.docs >= 100 {
		return 0
	}
	idf := math.Log((float64(d.docs) + 1) / (df + 1))
	return idf * idf
}

// subjectShare is the subject's share of a text's vector. A subject says in a few words what
// the message is about; the body says it at length, among much else, and would otherwise outweigh
// it by its length alone: two messages on one matter often share their subject's words and little
// of their bodies (对佳园星城小区垃圾站选址的质疑, 反映井莲路369号佳园星城垃圾站问题: on the real board
// their bodies' cosine is 0.04).
const subjectShare = 0.5

// sparse is a unit-length vector: hashed n-grams (sorted) and their weights. N-grams in one
// text only are left out (they match nothing), and so are all but the vectorGrams heaviest, but
// they count towards the length.
type sparse struct {
	h []uint32
	w []float32
}

// vector weighs a text's n-grams, (1 + log tf) × idf, the subject's and the body's each to unit
// length, then blends them: subjectShare of the subject and the rest of the body (a text without
// a subject is all body).
func (d *docFreq) vector(c ngramCounts) sparse {
	tfIdf := func(n uint16, h uint32) float64 {
		if n == 0 {
			return 0
		}
		return (1 + math.Log(float64(n))) * d.idf(h)
	}
	var bodyNorm, subjNorm float64
	for i, h := range c.h {
		bw, sw := tfIdf(c.n[i], h), tfIdf(c.s[i], h)
		bodyNorm += bw * bw
		subjNorm += sw * sw
	}
	bodyScale, subjScale := 0.0, 0.0
	switch {
	case subjNorm == 0 && bodyNorm > 0:
		bodyScale = 1 / math.Sqrt(bodyNorm)
	case bodyNorm == 0 && subjNorm > 0:
		subjScale = 1 / math.Sqrt(subjNorm)
	case subjNorm > 0:
		bodyScale, subjScale = (1-subjectShare)/math.Sqrt(bodyNorm), subjectShare/math.Sqrt(subjNorm)
	}
	var v sparse
	var norm float64
	for i, h := range c.h {
		w := tfIdf(c.n[i], h)*bodyScale + tfIdf(c.s[i], h)*subjScale
		if w == 0 {
			continue
		}
		norm += w * w
		if d.df[h] > 1 {
			v.h = append(v.h, h)
			v.w = append(v.w, float32(w))
		}
	}
	if len(v.h) > vectorGrams {
		// Keep the heaviest: the topic's words. The rest, common phrases of little weight, add
		// little to any cosine and much to the cost of comparing.
		idx := make([]int, len(v.h))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool {
			if v.w[idx[a]] != v.w[idx[b]] {
				return v.w[idx[a]] > v.w[idx[b]]
			}
			return v.h[idx[a]] < v.h[idx[b]]
		})
		idx = idx[:vectorGrams]
		sort.Ints(idx)
		var t sparse
		for _, i := range idx {
			t.h = append(t.h, v.h[i])
			t.w = append(t.w, v.w[i])
		}
		v = t
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
	n     int     // cases
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
	cs := make([]*centroid, len(vs))
	ver := make([]int, len(vs))
	inv := map[uint32][]int{} // n-gram → the topics whose centroid has it (dead ones too)
	h := &pairHeap{}
	acc := map[int]float64{}
	// pairs pushes topic a's pairs with the live topics that share an n-gram with it and have
	// index below limit (all when limit < 0).
	pairs := func(a, limit int) {
		clear(acc)
		for f, w := range cs[a].w {
			for _, b := range inv[f] {
				if b != a && cs[b] != nil && (limit < 0 || b < limit) {
					acc[b] += float64(w * cs[b].w[f])
				}
			}
		}
		for b, d := range acc {
			c := math.Round(d/math.Sqrt(cs[a].norm2*cs[b].norm2)*1e9) / 1e9
			if c >= mergeAt(threshold, min(cs[a].n, cs[b].n)) {
				x, y := min(a, b), max(a, b)
				heap.Push(h, topicPair{c, x, y, ver[x], ver[y]})
			}
		}
	}
	for i, v := range vs {
		if len(v.h) == 0 {
			continue
		}
		c := &centroid{w: make(map[uint32]float32, len(v.h)), n: 1}
		for k, f := range v.h {
			c.w[f] = v.w[k]
			c.norm2 += float64(v.w[k] * v.w[k])
		}
		cs[i] = c
		pairs(i, i)
		for _, f := range v.h {
			inv[f] = append(inv[f], i)
		}
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
		for f, w := range b.w {
			if _, ok := a.w[f]; !ok {
				inv[f] = append(inv[f], p.a)
			}
			a.w[f] += w
		}
		a.norm2 += 2*dot + b.norm2
		a.n += b.n
		cs[p.b] = nil
		parent[p.b] = p.a
		ver[p.a]++
		pairs(p.a, -1)
	}
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
