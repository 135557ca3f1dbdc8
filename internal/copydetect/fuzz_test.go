package copydetect

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzNormalize: any input normalises without panicking to letters and masks only, and full-width
// forms normalise like their ASCII counterparts.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{base, "身份证11010119900307123X", "+86 138-1234-5678", "１２３ａＢｃ", "1-", "0-0-0-0", "12345678901234567x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		for _, r := range got {
			if r != MaskNumber && r != MaskID && r != MaskPhone && !unicode.IsLetter(r) {
				t.Fatalf("Normalize(%q) = %q holds %q", s, got, r)
			}
		}
		wide := strings.Map(func(r rune) rune {
			if r > ' ' && r <= '~' {
				return r + 0xFEE0
			}
			return r
		}, s)
		if w := Normalize(wide); w != got {
			t.Fatalf("Normalize(%q) = %q but its full-width form gives %q", s, got, w)
		}
	})
}
