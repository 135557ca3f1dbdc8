// Package damage damages records of delimited text files the ways real exports are damaged,
// for the property tests of the readers: each kind says whether each reader still loads the
// record as written or must quarantine it at its first line.
package damage

import (
	"math/rand/v2"
	"strings"
)

// Kind is one way to damage a record's last field.
type Kind struct {
	Name string
	// Canonical and Profile say whether the record still loads through DuckDB's reader (the
	// canonical path) and through encoding/csv (the profile path, which is strict about quotes
	// and UTF-8 but takes a lone CR as text).
	Canonical, Profile bool
	Apply              func(r *rand.Rand, field string) string
}

// Kinds are the damages the property tests draw from.
var Kinds = []Kind{
	{"quote inside a field", true, false, func(r *rand.Rand, c string) string { return insert(r, c, `"`) }},
	{"NUL byte", true, true, func(r *rand.Rand, c string) string { return insert(r, c, "\x00") }},
	{"multi-line field", true, true, func(r *rand.Rand, c string) string { return `"` + insert(r, c, "\n") + `"` }},
	{"quoted field with quotes and commas", true, true, func(r *rand.Rand, c string) string { return `"` + insert(r, c, `,"",`) + `"` }},
	{"unclosed quote", false, false, func(r *rand.Rand, c string) string { return `"` + c }},
	{"text after a closing quote", false, false, func(r *rand.Rand, c string) string { return `"` + c + `"x` }},
	{"extra field", false, false, func(r *rand.Rand, c string) string { return c + ",extra" }},
	{"lone CR", false, true, func(r *rand.Rand, c string) string { return insert(r, c, "\r") }},
	{"invalid UTF-8", false, false, func(r *rand.Rand, c string) string { return insert(r, c, "\xff\xfe") }},
	{"GB18030 text", false, false, func(r *rand.Rand, c string) string { return "\xb0\xec\xbd\xe1" + c }},
	{"over the record limit", false, false, func(r *rand.Rand, c string) string { return strings.Repeat(c, 3000/len(c)+1) }},
}

// RecordLimit is the record size limit (quarantine.max_record_bytes) the tests set, which
// "over the record limit" exceeds.
const RecordLimit = 2048

// insert inserts s at a random character boundary of c, not at its start.
func insert(r *rand.Rand, c, s string) string {
	runes := []rune(c)
	i := 1 + r.IntN(len(runes)-1)
	return string(runes[:i]) + s + string(runes[i:])
}

// File is a generated file: its text, and for each record, its first line and the damage
// done to it (nil for none).
type File struct {
	Text    string
	Lines   []int
	Damages []*Kind
}

// Write writes a file of n records after header, each made by row from its number and its
// last field, damaging about one in ten and adding a blank line after about one in twenty;
// eol ends every line outside quoted fields.
func Write(r *rand.Rand, header string, n int, eol string, row func(i int, last string) string) File {
	var b strings.Builder
	b.WriteString(header + eol)
	f := File{}
	line := 2
	for i := 1; i <= n; i++ {
		last := "反映东关村土地征收补偿款未发放到位"
		var k *Kind
		if r.IntN(10) == 0 {
			k = &Kinds[r.IntN(len(Kinds))]
			last = k.Apply(r, last)
		}
		rec := row(i, last) + eol
		f.Lines, f.Damages = append(f.Lines, line), append(f.Damages, k)
		b.WriteString(rec)
		line += strings.Count(rec, "\n")
		if r.IntN(20) == 0 {
			b.WriteString(eol)
			line++
		}
	}
	f.Text = b.String()
	return f
}

// Expect returns how many records load and the first lines of those quarantined, by loads.
func (f File) Expect(loads func(*Kind) bool) (loaded int64, quarantined []int) {
	for i, k := range f.Damages {
		if k == nil || loads(k) {
			loaded++
		} else {
			quarantined = append(quarantined, f.Lines[i])
		}
	}
	return loaded, quarantined
}

// Summary counts the damages of the file by kind, for a failure's message.
func (f File) Summary() map[string]int {
	m := map[string]int{}
	for _, k := range f.Damages {
		if k != nil {
			m[k.Name]++
		}
	}
	return m
}
