package rules

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// The n-grams and vectors are computed without allocating runes, with a letter table and a
// quickselect; these tests hold them to the plain forms they replaced, which define them.

func plainTopicText(text string, names []string) string {
	text = foldWidth(text)
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	var b strings.Builder
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

func plainHashes(t string) []uint32 {
	var hs []uint32
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

func plainCountNgrams(t string) ngramCounts {
	subject, body, ok := strings.Cut(t, "\n")
	if !ok {
		subject, body = "", t
	}
	n, s := map[uint32]uint16{}, map[uint32]uint16{}
	for _, h := range plainHashes(body) {
		n[h]++
	}
	for _, h := range plainHashes(subject) {
		s[h]++
	}
	var c ngramCounts
	for h := range n {
		c.h = append(c.h, h)
	}
	for h := range s {
		if n[h] == 0 {
			c.h = append(c.h, h)
		}
	}
	slices.Sort(c.h)
	for _, h := range c.h {
		c.n = append(c.n, n[h])
		if ok && subject != "" {
			c.s = append(c.s, s[h])
		}
	}
	return c
}

// total is each n-gram's count in the whole text, subject and body.
func total(c ngramCounts, i int) uint16 {
	if c.s == nil {
		return c.n[i]
	}
	return c.n[i] + c.s[i]
}

func plainVector(d *docFreq, c ngramCounts) sparse {
	tfIdf := func(n uint16, h uint32) float64 {
		if n == 0 {
			return 0
		}
		return (1 + math.Log(float64(n))) * d.idfOf(h)
	}
	bodyScale, subjScale := 1.0, 0.0
	if c.s != nil {
		var bn, sn float64
		for i, h := range c.h {
			bn += tfIdf(c.n[i], h) * tfIdf(c.n[i], h)
			sn += tfIdf(c.s[i], h) * tfIdf(c.s[i], h)
		}
		switch {
		case sn == 0:
		case bn == 0:
			bodyScale, subjScale = 0, 1
		default:
			bodyScale, subjScale = (1-subjectShare)/math.Sqrt(bn), subjectShare/math.Sqrt(sn)
		}
	}
	var v sparse
	var norm float64
	for i, h := range c.h {
		w := tfIdf(c.n[i], h) * bodyScale
		if c.s != nil {
			w += tfIdf(c.s[i], h) * subjScale
		}
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

// randomText mixes Chinese, full-width and ASCII letters and digits, Greek and Cyrillic (whose
// lower case differs), letters beyond the Basic Multilingual Plane, punctuation, spaces, line
// breaks and invalid UTF-8.
func randomText(rng *rand.Rand, n int) string {
	pools := []string{"丽发新城小区物业收费噪音学位公交反映希望相关部门尽快处理", "ＡＢＣａｂｃ１２３，。！？　",
		"ABCxyz0189", "ΑΒΓΔαβγ", "АБВабв", "𠀀𠀁𝐀𝐁", " \n\t-_/", "İĲǅ"}
	var b strings.Builder
	for range n {
		if rng.IntN(50) == 0 {
			b.WriteString("\xff\xfe")
			continue
		}
		p := []rune(pools[rng.IntN(len(pools))])
		b.WriteRune(p[rng.IntN(len(p))])
	}
	return b.String()
}

func TestTopicTextAndNgramsAsPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		text := randomText(rng, rng.IntN(300))
		names := []string{"丽发新城小区", "丽发新城", "ＡＢＣ"}[:rng.IntN(4)]
		got, want := topicText(text, names), plainTopicText(text, names)
		if got != want {
			t.Fatalf("text %d %q: topicText %q, want %q", i, text, got, want)
		}
		g, w := countNgrams(got), plainCountNgrams(want)
		if !slices.Equal(g.h, w.h) || !slices.Equal(g.n, w.n) || !slices.Equal(g.s, w.s) {
			t.Fatalf("text %d %q: n-grams differ", i, text)
		}
		// The document frequencies' pass reads the whole text, the line break a cut like any
		// other: the subject's n-grams and the body's.
		var r gramRoller
		var hs []uint32
		reduceText(maskNames(text, names), func(c rune) { hs = r.next(hs, c) })
		c := countHashes(hs)
		all := make([]uint16, len(w.h))
		for k := range w.h {
			all[k] = total(w, k)
		}
		if !slices.Equal(c.h, w.h) || !slices.Equal(c.n, all) {
			t.Fatalf("text %d %q: rolled n-grams differ", i, text)
		}
	}
	// Every rune below U+FFFF through the table.
	for r := rune(0); r < 0x10000; r++ {
		s := string(r)
		if got, want := topicText(s, nil), plainTopicText(s, nil); got != want {
			t.Fatalf("rune %U: %q, want %q", r, got, want)
		}
	}
}

func TestVectorAsPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	d := newDocFreq()
	var gs []ngramCounts
	for range 2000 {
		g := countNgrams(topicText(randomText(rng, 50+rng.IntN(800)), nil))
		d.add(g)
		gs = append(gs, g)
	}
	// A counter of repeated hashes counts each text once, as add does.
	c := newDocCounter(newDocFreq())
	for _, g := range gs {
		var hs []uint32
		for i, h := range g.h {
			for range total(g, i) {
				hs = append(hs, h)
			}
		}
		rng.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
		c.add(hs)
	}
	if c.d.docs != d.docs || !slices.Equal(c.d.df, d.df) {
		t.Fatal("docCounter's document frequencies differ from add's")
	}
	for _, weighed := range []bool{false, true} {
		if weighed {
			d.weights(3)
		}
		long := 0
		for i, g := range gs {
			got, want := d.vector(g), plainVector(d, g)
			if !slices.Equal(got.h, want.h) || !slices.Equal(got.w, want.w) {
				t.Fatalf("vector %d (weights %v) differs:\n%v\n%v", i, weighed, got, want)
			}
			if len(want.h) == vectorGrams {
				long++
			}
		}
		if long < 100 {
			t.Fatalf("only %d vectors cut to %d n-grams: the test does not test the cut", long, vectorGrams)
		}
	}
}

func TestSelectFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		n := 1 + rng.IntN(300)
		xs := make([]int, n)
		for i := range xs {
			xs[i] = rng.IntN(50)*1000 + i // distinct, with runs
		}
		k := rng.IntN(n)
		if k == 0 {
			continue
		}
		want := slices.Clone(xs)
		slices.Sort(want)
		selectFirst(xs, k, func(a, b int) bool { return a < b })
		got := slices.Clone(xs[:k])
		slices.Sort(got)
		if !slices.Equal(got, want[:k]) {
			t.Fatalf("n %d k %d: %v, want %v", n, k, got, want[:k])
		}
	}
}

func TestSortHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 500 {
		hs := make([]uint32, rng.IntN(2000))
		for i := range hs {
			hs[i] = rng.Uint32N(topicBuckets)
			if i > 0 && rng.IntN(4) == 0 {
				hs[i] = hs[rng.IntN(i)]
			}
		}
		want := slices.Clone(hs)
		slices.Sort(want)
		sortHashes(hs)
		if !slices.Equal(hs, want) {
			t.Fatalf("%d hashes not sorted", len(hs))
		}
	}
}

// TestFoldWidthBytes checks the byte-level foldWidth against folding rune by rune.
func TestFoldWidthBytes(t *testing.T) {
	plain := func(s string) string {
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
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("ａＡ０９！～＿｀　，。丽发新城小区abc \n\uff00\uff5f\u3001\u30003\uffef\U0001F600")
	for range 5000 {
		rs := make([]rune, rng.IntN(40))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := foldWidth(string(rs)), plain(string(rs)); got != want {
			t.Fatalf("foldWidth(%q) = %q, want %q", string(rs), got, want)
		}
	}
}
