package places

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// text is a text made ready for matching: its runes, full-width forms folded and spaces
// dropped, with the byte offsets of each rune in the original text. A line break is kept (as
// '\n'), so that a name never runs from one line into the next.
type text struct {
	rs    []rune
	start []int32
	end   []int32
}

// fold returns r with full-width ASCII forms folded to ASCII (as golang.org/x/text/width's
// Fold does for that block), and whether r is dropped (a space).
func fold(r rune) (rune, bool) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0, false
	case r == ' ' || r == '\u3000' || r == '\u00a0' || r == '\t' || r == '\u200b' || r == '\ufeff':
		return r, true
	case r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029':
		return '\n', false
	case r < 0x80:
		return r, false
	case unicode.IsSpace(r):
		return r, true
	}
	return r, false
}

func (t *text) load(s string) {
	t.rs, t.start, t.end = t.rs[:0], t.start[:0], t.end[:0]
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		r, drop := fold(r)
		if !drop {
			t.rs = append(t.rs, r)
			t.start = append(t.start, int32(i))
			t.end = append(t.end, int32(i+n))
		}
		i += n
	}
}

// str returns the normalised text of runes [a, b).
func (t *text) str(a, b int) string {
	if a >= b {
		return ""
	}
	return string(t.rs[a:b])
}

// Normalise returns s as Extract sees it: full-width letters, digits and punctuation folded to
// ASCII, spaces dropped, line breaks as "\n", surrounding white space trimmed.
func Normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r, drop := fold(r)
		if !drop {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func appendRune(b []byte, r rune) []byte { return utf8.AppendRune(b, r) }
