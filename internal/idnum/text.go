package idnum

import (
	"regexp"
	"strings"
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
	// optionally a space or dash, 4 digits. Text it does not match needs no masking.
	MaskPrefilter = `[0-9]{3}[ -]?[0-9]{4}`
)

var (
	idNumberInText = regexp.MustCompile(IDNumberInText)
	phoneInText    = regexp.MustCompile(PhoneInText)
	maskPrefilter  = regexp.MustCompile(MaskPrefilter)
	idNumberDigits = regexp.MustCompile(asDigits(idNumberPatterns))
	phoneDigits    = regexp.MustCompile(asDigits(phonePatterns))
)

// minMaskedDigits is the fewest digits a masked number has (a landline's 10).
const minMaskedDigits = 10

// MaskText returns s with every resident id number replaced by MarkIDNumber and every phone
// number by MarkPhone, each replacing twice (see IDNumberInText); s itself when it holds none.
func MaskText(s string) string {
	if !hasDigits(s, minMaskedDigits) || !maskPrefilter.MatchString(s) {
		return s
	}
	for _, m := range [...]struct {
		re   *regexp.Regexp
		mark string
	}{{idNumberInText, MarkIDNumber}, {phoneInText, MarkPhone}} {
		repl := "${1}" + m.mark + "${2}"
		s = m.re.ReplaceAllString(m.re.ReplaceAllString(s, repl), repl)
	}
	return s
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
