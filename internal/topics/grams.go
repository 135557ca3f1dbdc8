package topics

import (
	"strings"
	"unicode"
)

// A gram is one character n-gram of a text: its hash and where it is in the text's Han runes.
type gram struct {
	h     uint64
	start int32 // index in the runes
	n     int8
}

// FNV-1a over the n-gram's runes: each n-gram's hash is the hash of its first n-1 runes
// extended by one more, so a position's 2-, 3- and 4-grams cost one step each.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hanRunes is text's Han characters, full-width forms folded, with a separator (0) between
// runs: n-grams never cross punctuation, digits, Latin letters or spaces. Letters and digits
// name places and dates (A市A3区, 2019年), not topics. Person names are blanked (maskNames).
func hanRunes(text string, buf []rune) []rune {
	buf = buf[:0]
	gap := true
	for _, r := range text {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0 // full-width ASCII: never Han
		}
		if (r >= 0x4E00 && r <= 0x9FFF) || (r > 0x3000 && unicode.Is(unicode.Han, r)) {
			buf = append(buf, r)
			gap = false
		} else if !gap {
			buf = append(buf, 0)
			gap = true
		}
	}
	maskNames(buf)
	return buf
}

// allGrams appends every minN..maxN-gram of runes to out, in order of position, repeats
// included.
func allGrams(runes []rune, minN, maxN int, out []gram) []gram {
	out = out[:0]
	for i := range runes {
		h := uint64(fnvOffset)
		for n := 1; n <= maxN && i+n <= len(runes); n++ {
			r := runes[i+n-1]
			if r == 0 {
				break
			}
			h = (h ^ uint64(r)) * fnvPrime
			if n >= minN {
				out = append(out, gram{h: h, start: int32(i), n: int8(n)})
			}
		}
	}
	return out
}

// joinHan is hanRunes' output as a message's Han text: its Han runs joined by '|', the form
// phrases are looked for in.
func joinHan(runes []rune) string {
	var b strings.Builder
	for _, r := range runes {
		if r == 0 {
			b.WriteByte('|')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
