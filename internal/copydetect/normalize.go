package copydetect

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/idnum"
)

// Masks that replace numbers in the normal form. They are symbols, which normalisation drops
// from the input, so a mask never collides with text. Which numbers are id numbers and phones
// is idnum's definition (idnum.NumberKind), the one that masks them in stored text; the marker
// of a masked one (idnum.MarkIDNumber, idnum.MarkPhone) normalises to the same mask, so a
// letter compares the same masked or not.
const (
	MaskNumber = '#' // any other run of digits, with its inner separators: amounts, dates, counts
	MaskID     = '§' // a resident id number: 18 digits, or 17 and a final X, or the old 15 digits
	MaskPhone  = '☎' // a mobile (1[3-9] and 9 digits, optionally +86) or landline (0 and 9–11 digits)
)

// markerStart is the first rune of the markers of masked identifiers (idnum.MarkIDNumber,
// idnum.MarkPhone).
const markerStart = '〔'

// Normalize returns the form letters are compared in: full-width forms folded to half-width,
// lower-cased, every id number, phone number and other number replaced by one mask rune, and
// everything that is not a letter (punctuation, spaces, line breaks, symbols) removed.
func Normalize(text string) string {
	return string(appendNormal(nil, nil, text))
}

// appendNormal appends the normal form of text to dst; buf is scratch space, returned grown.
func appendNormal(dst []rune, buf *[]rune, text string) []rune {
	var scratch []rune
	if buf == nil {
		buf = &scratch
	}
	f := (*buf)[:0]
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		f = append(f, fold(r))
	}
	*buf = f
	for i := 0; i < len(f); {
		r := f[i]
		switch {
		case isDigit(r):
			var mask rune
			mask, i = number(f, i)
			dst = append(dst, mask)
		case r == markerStart:
			if mask, next, ok := marker(f, i); ok {
				dst = append(dst, mask)
				i = next
			} else {
				i++
			}
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				dst = append(dst, r)
			}
			i++
		default:
			if unicode.IsLetter(r) {
				dst = append(dst, r)
			}
			i++
		}
	}
	return dst
}

// fold maps full-width ASCII forms and the ideographic space to ASCII and other scripts'
// decimal digits to '0', and lower-cases.
func fold(r rune) rune {
	switch {
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A'
	case r < utf8.RuneSelf:
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ！ to ～
		r -= 0xFEE0
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000: // ideographic space
		return ' '
	case unicode.IsDigit(r): // other scripts' decimal digits: masked like any digit
		return '0'
	}
	return unicode.ToLower(r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// number reads the number starting at f[i] and returns its mask and the index after it.
// Digit groups joined by one separator ('-', ' ', '.', ',', '/') belong to one number, so
// "138 1234 5678", "0571-8888 6666" and "12.5" are one number each. Its digits say what it is
// (idnum.NumberKind).
func number(f []rune, i int) (rune, int) {
	var digits [32]byte
	n := 0
	for i < len(f) {
		r := f[i]
		if isDigit(r) {
			if n < len(digits) {
				digits[n] = byte(r)
			}
			n++
			i++
			continue
		}
		if (r == '-' || r == ' ' || r == '.' || r == ',' || r == '/') && i+1 < len(f) && isDigit(f[i+1]) {
			i++
			continue
		}
		break
	}
	if n > len(digits) {
		return MaskNumber, i
	}
	if n == 17 && i < len(f) && f[i] == 'x' {
		digits[n] = 'x'
		if idnum.NumberKind(digits[:n+1]) == idnum.IDNumber {
			return MaskID, i + 1
		}
	}
	switch idnum.NumberKind(digits[:n]) {
	case idnum.IDNumber:
		return MaskID, i
	case idnum.PhoneNumber:
		return MaskPhone, i
	}
	return MaskNumber, i
}

// markers are the markers that stand for masked identifiers in stored text (see
// idnum.MaskText), as runes, with the mask each normalises to, so that a letter compares the
// same before and after masking.
var markers = [...]struct {
	runes []rune
	mask  rune
}{{[]rune(idnum.MarkIDNumber), MaskID}, {[]rune(idnum.MarkPhone), MaskPhone}}

// marker returns the mask of the marker starting at f[i] and the index after it, or ok false.
func marker(f []rune, i int) (mask rune, next int, ok bool) {
	for _, m := range markers {
		if len(f)-i >= len(m.runes) && slices.Equal(f[i:i+len(m.runes)], m.runes) {
			return m.mask, i + len(m.runes), true
		}
	}
	return 0, i, false
}
