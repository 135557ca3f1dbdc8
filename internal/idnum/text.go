package idnum

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Identifiers written in free text (a letter's content) are masked where they are stored: a
// resident id number or a phone number is replaced by a marker. Names cannot be told from other
// words and stay as written.
//
// The patterns below are the one definition of what counts as an id number or a phone number
// in text. They are RE2 syntax, which Go's regexp and DuckDB's regexp functions both implement,
// so the canonical files' load masks in SQL with the same strings (pipeline/ingest, sql/
// mask_text.sql) as MaskText does in Go; the copied-letters detector classifies a number's
// digits by the same patterns (NumberKind).

// The markers that replace identifiers in stored text. They are stored data, the same in every
// language, not text of the interface; they hold no digit, so masking twice changes nothing.
const (
	MarkIDNumber = "〔身份证号〕"
	MarkPhone    = "〔电话〕"
)

// numberPattern is how an identifier is written: digit groups, which text may separate (sep),
// after an optional prefix (prefix in text, prefixDigits as digits alone).
type numberPattern struct {
	prefix, prefixDigits string
	groups               []string
	sep                  string
}

// text is the pattern as the number may be written in text.
func (p numberPattern) text() string { return p.prefix + strings.Join(p.groups, p.sep) }

// digits is the pattern of the number's digits alone.
func (p numberPattern) digits() string { return p.prefixDigits + strings.Join(p.groups, "") }

var (
	// Resident id numbers: 18 characters (17 digits and a digit or X), or the old 15 digits,
	// optionally spaced as area, birth date and sequence.
	idNumberPatterns = []numberPattern{
		{groups: []string{`[0-9]{6}`, `[0-9]{8}`, `[0-9]{3}[0-9Xx]`}, sep: ` ?`},
		{groups: []string{`[1-9][0-9]{5}`, `[0-9]{6}`, `[0-9]{3}`}, sep: ` ?`},
	}
	// Phone numbers: a mainland mobile (1[3-9] and 9 more digits, optionally after +86, 0086
	// or 86, spaced or dashed 3-4-4), or a landline with its area code (0 and 2 or 3 digits,
	// then 7 or 8 digits, e.g. 0371-12345678, (0371)12345678).
	phonePatterns = []numberPattern{
		{prefix: `(?:(?:\+|00)?86[ -]?)?`, prefixDigits: `(?:(?:00)?86)?`,
			groups: []string{`1[3-9][0-9]`, `[0-9]{4}`, `[0-9]{4}`}, sep: `[ -]?`},
		{groups: []string{`0[1-9][0-9]{1,2}`, `[0-9]{7,8}`}, sep: `[)）]?[ -]?`},
	}
)

// inText is the pattern of any of ps in text, not touching another digit: group 1 is the
// character before it (or nothing at the start), group 2 the one after it (or nothing at the
// end).
func inText(ps []numberPattern) string {
	alts := make([]string, len(ps))
	for i, p := range ps {
		alts[i] = p.text()
	}
	return `(^|[^0-9])(?:` + strings.Join(alts, "|") + `)([^0-9]|$)`
}

// asDigits is the anchored pattern of any of ps as digits alone.
func asDigits(ps []numberPattern) string {
	alts := make([]string, len(ps))
	for i, p := range ps {
		alts[i] = p.digits()
	}
	return `^(?:` + strings.Join(alts, "|") + `)$`
}

// The patterns of identifiers in text (RE2). A match includes the character on either side of
// the number (groups 1 and 2), which a replacement puts back. Since that character may be the
// one before the next number ("13812345678,13912345678"), a single pass of replacing every
// match misses every second number of such a list: MaskText and the SQL replace twice.
var (
	IDNumberInText = inText(idNumberPatterns)
	PhoneInText    = inText(phonePatterns)
	// MaskPrefilter matches every text either pattern matches, and little else: 3 digits,
	// optionally a space or dash, 4 digits. Text it does not match needs no masking; the SQL
	// replaces only in text it matches (MaskText in Go looks at each region's digits instead).
	MaskPrefilter = `[0-9]{3}[ -]?[0-9]{4}`
)

var (
	idNumberInText = regexp.MustCompile(IDNumberInText)
	phoneInText    = regexp.MustCompile(PhoneInText)
	idNumberDigits = regexp.MustCompile(asDigits(idNumberPatterns))
	phoneDigits    = regexp.MustCompile(asDigits(phonePatterns))
)

// minMaskedDigits is the fewest digits a masked number has (a landline's 10), minIDDigits the
// fewest an id number has (the old 15).
const (
	minMaskedDigits = 10
	minIDDigits     = 15
)

// MaskText returns s with every resident id number replaced by MarkIDNumber and every phone
// number by MarkPhone, each pattern replacing twice (see IDNumberInText); s itself when it
// holds none. The result is that of the replacements over the whole of s, as the SQL does, but
// they run only over the stretches of s a match could touch (see regions) that hold enough
// digits, which keeps the cost of a letter without identifiers to a scan of its bytes.
func MaskText(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b, or nothing is when b is empty
	for start, end := range regions(s) {
		part := s[start:end]
		if !hasDigits(part, minMaskedDigits) {
			continue
		}
		masked := maskAll(part)
		if masked == part {
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString(masked)
		done = end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// maskAll replaces each pattern twice over the whole of s. A pass is skipped where it cannot
// change anything: over text with fewer digits than the pattern's numbers have, and a second
// pass after a first that changed nothing.
func maskAll(s string) string {
	for _, m := range [...]struct {
		re     *regexp.Regexp
		mark   string
		digits int
	}{{idNumberInText, MarkIDNumber, minIDDigits}, {phoneInText, MarkPhone, minMaskedDigits}} {
		repl := "${1}" + m.mark + "${2}"
		for range 2 {
			if !hasDigits(s, m.digits) {
				break
			}
			masked := m.re.ReplaceAllString(s, repl)
			if masked == s {
				break
			}
			s = masked
		}
	}
	return s
}

// inNumber says whether r may stand inside a match of the patterns, besides the character
// either side of it: digits, separators, the country code's +, an area code's closing
// parenthesis and an id number's X.
func inNumber(r rune) bool {
	return r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '+' || r == ')' || r == '）' || r == 'X' || r == 'x'
}

// regions yields the stretches [start, end) of s that the patterns may match in, each a run of
// characters inNumber with the character either side of it, runs one other character apart
// joined into one. Two characters in a row that are not inNumber separate regions: a match
// (one character, the number, one character) can take at most one of them, and the match that
// takes the first cannot reach the second, so replacing over each region gives what replacing
// over the whole of s does.
func regions(s string) func(yield func(int, int) bool) {
	return func(yield func(int, int) bool) {
		start, end := -1, 0 // the region being built: s[start:end], its last run ending at end
		prev := 0           // where the character before i starts
		for i, r := range s {
			if !inNumber(r) {
				if start >= 0 && i > end {
					// The second character in a row outside a number: the region ends with the
					// first.
					if !yield(start, i) {
						return
					}
					start = -1
				}
				prev = i
				continue
			}
			if start < 0 {
				start = prev // with the character before the run, if any
				if i == 0 {
					start = 0
				}
			}
			end = i + utf8.RuneLen(r)
		}
		if start >= 0 {
			yield(start, len(s))
		}
	}
}

// hasDigits says whether s holds at least n ASCII digits.
func hasDigits(s string, n int) bool {
	for i := 0; i < len(s) && n > 0; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n--
		}
	}
	return n == 0
}

// Kind is what a number is.
type Kind int

// Kinds of number.
const (
	OtherNumber Kind = iota
	IDNumber
	PhoneNumber
)

// NumberKind says what a number written as digits alone (an id number's final X may be
// either case) is: an id number, a phone number or another number.
func NumberKind(digits []byte) Kind {
	if len(digits) < minMaskedDigits {
		return OtherNumber
	}
	switch {
	case idNumberDigits.Match(digits):
		return IDNumber
	case phoneDigits.Match(digits):
		return PhoneNumber
	}
	return OtherNumber
}
