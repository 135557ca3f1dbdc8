package rules

import (
	"math"
	"slices"
	"strings"
	"sync"
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
	text = maskNames(text, names)
	var b strings.Builder
	b.Grow(len(text)) // as long as the text but for the rare letter whose lower case is longer
	write := func(r rune) {
		if r == ' ' {
			b.WriteByte(' ')
		} else {
			b.WriteRune(r)
		}
	}
	if subject, body, ok := strings.Cut(text, "\n"); ok {
		reduceText(subject, write)
		b.WriteByte('\n')
		text = body
	}
	reduceText(text, write)
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

// maskNames folds the text's width and turns each place name given into a space.
func maskNames(text string, names []string) string {
	text = foldWidth(text)
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	return text
}

// reduceText calls each with every rune of a topicText: each letter lower-cased, a space for
// every other rune.
func reduceText(text string, each func(rune)) {
	lower := letterTable()
	for _, r := range text {
		if r < 0xFFFF {
			switch l := lower[r]; l {
			case 0:
				each(' ')
			case 0xFFFF:
				each(unicode.ToLower(r))
			default:
				each(rune(l))
			}
			continue
		}
		if unicode.IsLetter(r) {
			each(unicode.ToLower(r))
		} else {
			each(' ')
		}
	}
}

// letterTable maps each rune below U+FFFF to its lower case when it is a letter (0xFFFF when
// that is U+FFFF or beyond) and to 0 when it is not (U+0000 and U+FFFF are no letters): a table
// lookup instead of unicode.IsLetter and ToLower, whose range searches cost more than the rest
// of the n-grams.
var letterTable = sync.OnceValue(func() []uint16 {
	t := make([]uint16, 0xFFFF)
	for r := rune(1); r < 0xFFFF; r++ {
		if unicode.IsLetter(r) {
			t[r] = 0xFFFF
			if l := unicode.ToLower(r); l < 0xFFFF {
				t[r] = uint16(l)
			}
		}
	}
	return t
})

// foldWidth turns full-width ASCII forms (U+FF01–FF5E) and the ideographic space (U+3000) into
// their ASCII forms. It works on the UTF-8 bytes: Chinese text has full-width punctuation in
// nearly every sentence, and decoding every rune to find it cost more than the rest of masking.
func foldWidth(s string) string {
	var b []byte
	last := 0 // s[:last] is in b (when b is not nil)
	for i := 0; i+2 < len(s); i++ {
		c := s[i]
		if c != 0xEF && c != 0xE3 {
			continue
		}
		var ascii byte
		switch {
		case c == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x81 && s[i+2] <= 0xBF: // U+FF01–FF3F
			ascii = s[i+2] - 0x81 + 0x21
		case c == 0xEF && s[i+1] == 0xBD && s[i+2] >= 0x80 && s[i+2] <= 0x9E: // U+FF40–FF5E
			ascii = s[i+2] - 0x80 + 0x60
		case c == 0xE3 && s[i+1] == 0x80 && s[i+2] == 0x80: // U+3000
			ascii = ' '
		default:
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[last:i]...)
		b = append(b, ascii)
		last = i + 3
		i += 2
	}
	if b == nil {
		return s
	}
	b = append(b, s[last:]...)
	return string(b)
}

// ngramCounts are a text's hashed n-grams, sorted by hash, with how many times each is in the
// body (n) and in the subject (s; nil when the text has none).
type ngramCounts struct {
	h    []uint32
	n, s []uint16
}

// countNgrams hashes the 2- and 3-grams of each run of letters of a topicText's subject and
// body.
func countNgrams(t string) ngramCounts {
	var s ngramScratch
	return s.count(t)
}

// ngramScratch holds the buffers of counting n-grams and weighing them, reused from one text to
// the next by one goroutine: what count returns is valid until its next call.
type ngramScratch struct {
	hs, tmp       []uint32 // hashes as they roll, and the radix sort's other half
	body, subject ngramCounts
	both          ngramCounts
	grams, sel    []gram // a vector's n-grams, and a copy to select the heaviest in
}

// count is countNgrams in the scratch's buffers.
func (s *ngramScratch) count(t string) ngramCounts {
	subject, body := splitSubject(t)
	s.body = s.countHashes(s.rollHashes(body), s.body)
	if subject == "" {
		return s.body
	}
	s.subject = s.countHashes(s.rollHashes(subject), s.subject)
	b, sub := s.body, s.subject
	c := ngramCounts{h: s.both.h[:0], n: s.both.n[:0], s: s.both.s[:0]}
	i, j := 0, 0
	for i < len(b.h) || j < len(sub.h) {
		switch {
		case j == len(sub.h) || i < len(b.h) && b.h[i] < sub.h[j]:
			c.h, c.n, c.s = append(c.h, b.h[i]), append(c.n, b.n[i]), append(c.s, 0)
			i++
		case i == len(b.h) || sub.h[j] < b.h[i]:
			c.h, c.n, c.s = append(c.h, sub.h[j]), append(c.n, 0), append(c.s, sub.n[j])
			j++
		default:
			c.h, c.n, c.s = append(c.h, b.h[i]), append(c.n, b.n[i]), append(c.s, sub.n[j])
			i++
			j++
		}
	}
	if c.s == nil {
		c.s = []uint16{} // the text has a subject: s is not nil
	}
	s.both = c
	return c
}

// rollHashes hashes the 2- and 3-grams of each run of letters of t into the scratch's buffer.
func (s *ngramScratch) rollHashes(t string) []uint32 {
	var g gramRoller
	hs := s.hs[:0]
	for _, r := range t {
		hs = g.next(hs, r)
	}
	s.hs = hs
	return hs
}

// countHashes sorts hashes (in place) and counts each into into's buffers.
func (s *ngramScratch) countHashes(hs []uint32, into ngramCounts) ngramCounts {
	s.tmp = sortHashesWith(hs, s.tmp)
	c := ngramCounts{h: into.h[:0], n: into.n[:0]}
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

// rollHashes hashes the 2- and 3-grams of each run of letters of t.
func rollHashes(t string) []uint32 {
	var s ngramScratch
	return s.rollHashes(t)
}

// countHashes sorts hashes (in place) and counts each.
func countHashes(hs []uint32) ngramCounts {
	var s ngramScratch
	return s.countHashes(hs, ngramCounts{})
}

// sortHashes sorts hashes below topicBuckets (2^20) in two passes of a radix sort on 10 bits:
// a text's few hundred n-grams sort in a third of the time slices.Sort takes.
func sortHashes(hs []uint32) {
	sortHashesWith(hs, nil)
}

// sortHashesWith is sortHashes with tmp as the radix sort's other half (grown as needed and
// returned for the next call).
func sortHashesWith(hs, tmp []uint32) []uint32 {
	if len(hs) < 64 {
		slices.Sort(hs)
		return tmp
	}
	if cap(tmp) < len(hs) {
		tmp = make([]uint32, len(hs))
	}
	tmp = tmp[:len(hs)]
	src, dst := hs, tmp
	for shift := 0; shift < 20; shift += 10 {
		var count [1025]int32
		for _, h := range src {
			count[(h>>shift)&1023+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, h := range src {
			d := (h >> shift) & 1023
			dst[count[d]] = h
			count[d]++
		}
		src, dst = dst, src
	}
	// Two passes: the sorted hashes are back in hs.
	return tmp
}

// gramRoller hashes the 2- and 3-grams of a run of letters rune by rune, as hashRunes does:
// FNV-1a of the last one and two runes before the new one, carried over.
type gramRoller struct {
	n      int    // runes of the run so far (up to 2)
	h1, h2 uint32 // FNV-1a, not folded, of the last rune and of the last two
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// next takes the next rune of a topicText (a space cuts the run) and appends the hashes of the
// n-grams it ends to hs.
func (g *gramRoller) next(hs []uint32, r rune) []uint32 {
	if r == ' ' {
		g.n = 0
		return hs
	}
	if g.n >= 1 {
		hs = append(hs, ((g.h1^uint32(r))*fnvPrime)&(topicBuckets-1))
	}
	if g.n >= 2 {
		hs = append(hs, ((g.h2^uint32(r))*fnvPrime)&(topicBuckets-1))
	}
	g.h2 = (g.h1 ^ uint32(r)) * fnvPrime
	g.h1 = (fnvOffset ^ uint32(r)) * fnvPrime
	g.n = min(g.n+1, 2)
	return hs
}

// hashRunes is FNV-1a over the runes, folded into topicBuckets.
func hashRunes(rs []rune) uint32 {
	h := uint32(fnvOffset)
	for _, r := range rs {
		h ^= uint32(r)
		h *= fnvPrime
	}
	return h & (topicBuckets - 1)
}

// docFreq counts in how many texts each hashed n-gram is.
type docFreq struct {
	df   []int32
	docs int
	w    []float64 // idf of each hash, once weights has computed them (the counts are final)
}

func newDocFreq() *docFreq { return &docFreq{df: make([]int32, topicBuckets)} }

func (d *docFreq) add(c ngramCounts) {
	d.docs++
	for _, h := range c.h {
		d.df[h]++
	}
}

// docCounter adds texts to a docFreq, or takes them out, from their n-grams' hashes as they
// come, repeated or not: seen[h] is the number of the last text that had h.
type docCounter struct {
	d    *docFreq
	seen []int32
	n    int32 // texts seen
}

func newDocCounter(d *docFreq) *docCounter {
	return &docCounter{d: d, seen: make([]int32, topicBuckets)}
}

func (c *docCounter) add(hs []uint32) { c.count(hs, 1) }

// sub takes out a text add counted: its counts may go below zero until merged with those that
// counted it.
func (c *docCounter) sub(hs []uint32) { c.count(hs, -1) }

func (c *docCounter) count(hs []uint32, by int32) {
	c.d.docs += int(by)
	c.n++
	for _, h := range hs {
		if c.seen[h] != c.n {
			c.seen[h] = c.n
			c.d.df[h] += by
		}
	}
}

// weights computes every hash's idf once the counts are final, on workers goroutines; idf and
// vector then look them up.
func (d *docFreq) weights(workers int) {
	w := make([]float64, topicBuckets)
	var wg sync.WaitGroup
	part := (topicBuckets + workers - 1) / workers
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for h := k * part; h < min((k+1)*part, topicBuckets); h++ {
				w[h] = d.idfOf(uint32(h))
			}
		}()
	}
	wg.Wait()
	d.w = w
}

// idf is the weight of a hashed n-gram by its document frequency: the square of its inverse
// document frequency, 0 for a template n-gram. Squared, because message boards pad every topic
// with the same complaint phrases (多次向社区反映, 欢迎实地调查, 相关部门互相推诿) in a tenth or a
// fifth of all messages, and a plain idf left them weighing half as much as a topic's words:
// on generated boards, unrelated messages about a busy place then read as one topic.
func (d *docFreq) idf(h uint32) float64 {
	if d.w != nil {
		return d.w[h]
	}
	return d.idfOf(h)
}

func (d *docFreq) idfOf(h uint32) float64 {
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
	var s ngramScratch
	return d.vectorWith(c, &s)
}

// gram is a hashed n-gram and its weight in a vector.
type gram struct {
	h uint32
	w float32
}

// vectorWith is vector with the scratch's buffer for the n-grams' weights.
func (d *docFreq) vectorWith(c ngramCounts, s *ngramScratch) sparse {
	tfIdf := func(n uint16, idf float64) float64 {
		switch n {
		case 0:
			return 0
		case 1:
			return idf
		}
		return (1 + math.Log(float64(n))) * idf
	}
	bodyScale, subjScale := 1.0, 0.0
	if c.s != nil {
		var bodyNorm, subjNorm float64
		for i, h := range c.h {
			idf := d.idf(h)
			bw, sw := tfIdf(c.n[i], idf), tfIdf(c.s[i], idf)
			bodyNorm += bw * bw
			subjNorm += sw * sw
		}
		switch {
		case subjNorm == 0:
		case bodyNorm == 0:
			bodyScale, subjScale = 0, 1
		default:
			bodyScale, subjScale = (1-subjectShare)/math.Sqrt(bodyNorm), subjectShare/math.Sqrt(subjNorm)
		}
	}
	gs := s.grams[:0]
	defer func() { s.grams = gs[:0] }()
	var norm float64
	for i, h := range c.h {
		idf := d.idf(h)
		if idf == 0 {
			continue
		}
		w := tfIdf(c.n[i], idf) * bodyScale
		if c.s != nil {
			w += tfIdf(c.s[i], idf) * subjScale
		}
		if w == 0 {
			continue
		}
		norm += w * w
		if d.df[h] > 1 {
			gs = append(gs, gram{h, float32(w)})
		}
	}
	if len(gs) > vectorGrams {
		// Keep the heaviest: the topic's words. The rest, common phrases of little weight, add
		// little to any cosine and much to the cost of comparing.
		// gs is in order of hash: the kept ones are found in a copy and taken in that order.
		heavier := func(a, b gram) bool { return a.w > b.w || a.w == b.w && a.h < b.h }
		sel := append(s.sel[:0], gs...)
		selectFirst(sel, vectorGrams, heavier)
		last := sel[0] // the lightest kept
		for _, g := range sel[1:vectorGrams] {
			if heavier(last, g) {
				last = g
			}
		}
		s.sel = sel
		kept := gs[:0]
		for _, g := range gs {
			if g == last || heavier(g, last) {
				kept = append(kept, g)
			}
		}
		gs = kept
	}
	v := sparse{h: make([]uint32, len(gs)), w: make([]float32, len(gs))}
	var inv float32 = 1
	if norm > 0 {
		inv = float32(1 / math.Sqrt(norm))
	}
	for i, g := range gs {
		v.h[i] = g.h
		v.w[i] = g.w
		if norm > 0 {
			v.w[i] *= inv
		}
	}
	return v
}

// selectFirst reorders xs so that its first k are the k first in the order of before (a strict
// total order), in no particular order among themselves: quickselect.
func selectFirst[T any](xs []T, k int, before func(a, b T) bool) {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		// Median of three as the pivot, moved to hi.
		mid := lo + (hi-lo)/2
		if before(xs[mid], xs[lo]) {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if before(xs[hi], xs[lo]) {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if before(xs[mid], xs[hi]) {
			xs[mid], xs[hi] = xs[hi], xs[mid]
		}
		pivot := xs[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if before(xs[j], pivot) {
				xs[i], xs[j] = xs[j], xs[i]
				i++
			}
		}
		xs[i], xs[hi] = xs[hi], xs[i]
		switch {
		case i == k || i == k-1:
			return
		case i < k:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
}
