package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// found returns the value a field with Extract or Dictionary finds in text, and the words
// that matched: the expression's first match (the value is its group "value" if it has one),
// or the dictionary's first name (the longest of overlapping names) and its value; "" when
// nothing is found.
func found(f *field, text string) (value, words string) {
	if f.extract != nil {
		m := f.extract.FindStringSubmatch(text)
		if m == nil {
			return "", ""
		}
		return strings.TrimSpace(m[f.group]), strings.TrimSpace(m[0])
	}
	folded := foldWidth(text)
	if hit := f.dict.Iter(folded).Next(); hit != nil {
		return f.Entries[hit.Pattern()].Value, folded[hit.Start():hit.End()]
	}
	return "", ""
}

// foundJSON encodes fields found in the text (name, words, name, words …) as a JSON object.
func foundJSON(words []string) string {
	m := make(map[string]string, len(words)/2)
	for i := 0; i+1 < len(words); i += 2 {
		m[words[i]] = words[i+1]
	}
	b, _ := json.Marshal(m) // strings only: cannot fail
	return string(b)
}

// foldWidth folds full-width letters, digits and punctuation to their ASCII forms, so that
// "Ａ市" matches "A市".
func foldWidth(s string) string {
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
			return width.Fold.String(s)
		}
	}
	return s
}

// caseKey is the digest of a record's case key: its columns, each normalised when the key
// says so, joined; "" when every column is empty. Only the digest is kept, never the text.
func caseKey(k *field, rec *record, m *mapper) string {
	parts := make([]string, len(k.cols))
	empty := true
	for i, c := range k.cols {
		v := m.column(rec.Values[c])
		if k.Normalise {
			v = normaliseText(v)
		}
		parts[i] = v
		empty = empty && v == ""
	}
	if empty {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(sum[:16])
}

// normaliseText folds full-width characters, lower-cases letters and drops spaces,
// punctuation and symbols, so that "关于XX小区 停水的问题！" and "关于xx小区停水的问题" are one.
func normaliseText(s string) string {
	s = foldWidth(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
