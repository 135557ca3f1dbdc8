package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// seg is one piece of a compiled phrase: literal text, or the slot letter when lit is empty.
type seg struct {
	lit  string
	slot byte
}

// lexicon holds every phrase compiled once; pools index into phrases.
type lexicon struct {
	phrases                             [][]seg
	openings, times, attempts, closings []int16
	grievances, demands                 [nCategories][]int16
}

var lex = compileLexicon()

func compileLexicon() *lexicon {
	l := &lexicon{}
	add := func(texts []string) []int16 {
		ids := make([]int16, len(texts))
		for i, t := range texts {
			ids[i] = int16(len(l.phrases))
			l.phrases = append(l.phrases, compilePhrase(t))
		}
		return ids
	}
	l.openings = add(openingPhrases)
	l.times = add(timePhrases)
	l.attempts = add(attemptPhrases)
	l.closings = add(closingPhrases)
	for k := range nCategories {
		l.grievances[k] = add(grievancePhrases[k])
		l.demands[k] = add(demandPhrases[k])
	}
	return l
}

// compilePhrase splits "text{X}text" into literal and slot segments.
func compilePhrase(t string) []seg {
	var out []seg
	for t != "" {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			out = append(out, seg{lit: t})
			break
		}
		if i > 0 {
			out = append(out, seg{lit: t[:i]})
		}
		out = append(out, seg{slot: t[i+1]})
		t = t[i+3:]
	}
	return out
}

// textCtx carries the names a case's text mentions.
type textCtx struct {
	town, gov, village, resident, org string
	year                              int // year of the case's data; {Y} renders earlier years
}

// draft is the phrase plan of one text: which phrases, in which order. Rendering a draft twice
// with different random numbers gives texts that are equal after normalisation.
type draft struct {
	n      int8
	demand int8 // index of the demand phrase; the sentence before it ends with 。
	parts  [10]int16
}

func (d *draft) add(p int16) { d.parts[d.n] = p; d.n++ }

// drawDraft plans a text of category k: an opening, maybe a time phrase, one to four distinct
// grievances, up to two attempts to get help, a demand and maybe a closing.
func drawDraft(r *rand.Rand, k int) draft {
	var d draft
	d.add(lex.openings[r.IntN(len(lex.openings))])
	if r.IntN(2) == 0 {
		d.add(lex.times[r.IntN(len(lex.times))])
	}
	ng := []int{1, 2, 2, 2, 3, 3, 4, 1}[r.IntN(8)]
	for _, i := range distinct(r, len(lex.grievances[k]), ng) {
		d.add(lex.grievances[k][i])
	}
	for _, i := range distinct(r, len(lex.attempts), []int{0, 0, 1, 1, 1, 2}[r.IntN(6)]) {
		d.add(lex.attempts[i])
	}
	d.demand = d.n
	d.add(lex.demands[k][r.IntN(len(lex.demands[k]))])
	if r.IntN(10) < 6 {
		d.add(lex.closings[r.IntN(len(lex.closings))])
	}
	return d
}

// distinct returns k distinct ints below n in random order (k is small).
func distinct(r *rand.Rand, n, k int) []int {
	out := make([]int, 0, k)
	for len(out) < k {
		x := r.IntN(n)
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// render appends the text of d for ctx, drawing every number from r.
func render(b []byte, d *draft, ctx *textCtx, r *rand.Rand) []byte {
	for i := range d.n {
		if i == d.demand {
			b = endSentence(b)
		}
		for _, s := range lex.phrases[d.parts[i]] {
			if s.slot == 0 {
				b = append(b, s.lit...)
				continue
			}
			b = appendSlot(b, s.slot, ctx, r)
		}
	}
	return b
}

// endSentence turns a trailing "，" into "。".
func endSentence(b []byte) []byte {
	if n := len(b) - len("，"); n >= 0 && string(b[n:]) == "，" {
		return append(b[:n], "。"...)
	}
	return b
}

func appendSlot(b []byte, slot byte, ctx *textCtx, r *rand.Rand) []byte {
	switch slot {
	case 'T':
		return append(b, ctx.town...)
	case 'U':
		return append(b, ctx.gov...)
	case 'V':
		return append(b, ctx.village...)
	case 'H':
		return append(b, ctx.resident...)
	case 'O':
		return append(b, ctx.org...)
	case 'Y':
		return strconv.AppendInt(b, int64(ctx.year-1-r.IntN(15)), 10)
	case 'M':
		return strconv.AppendInt(b, int64(1+r.IntN(12)), 10)
	case 'n':
		return strconv.AppendInt(b, int64(2+r.IntN(8)), 10)
	case 'N':
		return strconv.AppendInt(b, int64(2+r.IntN(59)), 10)
	case 'a':
		return strconv.AppendInt(b, int64(100*(1+r.IntN(29))), 10)
	case 'A':
		return strconv.AppendInt(b, int64(100*(10+r.IntN(990))), 10)
	case 'W':
		b = strconv.AppendInt(b, int64(1+r.IntN(300)), 10)
		if r.IntN(2) == 0 {
			b = append(b, '.')
			b = strconv.AppendInt(b, int64(1+r.IntN(9)), 10)
		}
		return b
	case 'S':
		b = strconv.AppendInt(b, int64(r.IntN(25)), 10)
		b = append(b, '.')
		return strconv.AppendInt(b, int64(1+r.IntN(9)), 10)
	case 'K':
		return strconv.AppendInt(b, int64(2+r.IntN(35)), 10)
	case 'L':
		return strconv.AppendInt(b, int64(1+r.IntN(20)), 10)
	case 'P':
		return strconv.AppendInt(b, int64(3+r.IntN(118)), 10)
	case 'G':
		return strconv.AppendInt(b, int64(45+r.IntN(44)), 10)
	}
	panic("synth: unknown slot {" + string(slot) + "}")
}

// normKey hashes a text as the copied-letter rule compares texts: only Unicode letters kept
// (digits, punctuation, symbols and spaces dropped), lower-cased. Equal normal forms give equal
// keys; a rare false equality only makes the generator draw another text.
func normKey(b []byte) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(b); {
		r, size := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		i += size
		switch {
		case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs: letters, no case
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case 'a' <= r && r <= 'z':
		case r < utf8.RuneSelf || !unicode.IsLetter(r):
			continue
		default:
			r = unicode.ToLower(r)
		}
		h = (h ^ uint64(r)) * prime
	}
	return h
}

// texts draws case content whose normal form (see normKey) no other text in the data has.
type texts struct {
	r    *rand.Rand
	seen map[uint64]struct{}
	buf  []byte
}

const (
	minTextRunes = 50
	maxTextRunes = 300
	// A copied letter's numbers and spacing differ from the group text's, so the group text
	// keeps a margin inside the bounds of every text.
	minCopiedRunes = 70
	maxCopiedRunes = 240
	maxTextTries   = 1000
)

var errTextSpace = i18n.Errorf("synth.text_space")

// unique returns a fresh text of category k for ctx. The slice is reused by the next call.
func (t *texts) unique(k int, ctx *textCtx) ([]byte, error) {
	for range maxTextTries {
		d := drawDraft(t.r, k)
		t.buf = render(t.buf[:0], &d, ctx, t.r)
		if n := utf8.RuneCount(t.buf); n < minTextRunes || n > maxTextRunes {
			continue
		}
		if t.claim(t.buf) {
			return t.buf, nil
		}
	}
	return nil, errTextSpace
}

// claim records the normal form of b and reports whether it was new.
func (t *texts) claim(b []byte) bool {
	k := normKey(b)
	if _, dup := t.seen[k]; dup {
		return false
	}
	t.seen[k] = struct{}{}
	return true
}

// copiedText is the shared text of one group of copied letters.
type copiedText struct {
	d   draft
	ctx textCtx
}

// newCopiedText draws and claims a group text of category k; every letter of the group
// normalises to it, and no other text does.
func (t *texts) newCopiedText(k int, ctx textCtx) (copiedText, error) {
	for range maxTextTries {
		c := copiedText{d: drawDraft(t.r, k), ctx: ctx}
		t.buf = render(t.buf[:0], &c.d, &c.ctx, t.r)
		if n := utf8.RuneCount(t.buf); n < minCopiedRunes || n > maxCopiedRunes {
			continue
		}
		if t.claim(t.buf) {
			return c, nil
		}
	}
	return copiedText{}, errTextSpace
}

// letter appends one copy of the group text: the same phrases and names, its own numbers, and
// punctuation and spacing varied (full-width or ASCII marks, added spaces and line breaks).
func (c *copiedText) letter(b []byte, r *rand.Rand) []byte {
	start := len(b)
	if r.IntN(3) == 0 {
		b = append(b, "　　"...)
	}
	b = render(b, &c.d, &c.ctx, r)
	text := string(b[start:])
	b = b[:start]
	for _, ch := range text {
		switch u := r.IntN(20); {
		case ch == '，' && u < 3:
			b = append(b, ',')
		case ch == '，' && u < 5:
			b = append(b, "， "...)
		case ch == '。' && u < 2:
			b = append(b, '.')
		case ch == '。' && u < 5:
			b = append(b, "。\n"...)
		case ch == '：' && u < 6:
			b = append(b, ": "...)
		default:
			b = utf8.AppendRune(b, ch)
		}
	}
	return b
}
