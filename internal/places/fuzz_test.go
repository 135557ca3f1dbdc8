package places

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// checkInvariants fails t unless ms are valid mentions of text: offsets within the text on rune
// boundaries, Start < End, in order of Start without overlaps, a known kind, a non-empty name
// and key, and a name that is the text at the offsets, normalised (for a gazetteer match: one
// of the entry's names, so only non-empty).
func checkInvariants(t testing.TB, text string, ms []Mention) {
	t.Helper()
	bound := map[int]bool{len(text): true} // where a character begins, as Go decodes the text
	for i := 0; i < len(text); {
		bound[i] = true
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	end := 0
	for i, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("%q: mention %d %+v: bad offsets", text, i, m)
		}
		if m.Start < end {
			t.Fatalf("%q: mention %d %+v overlaps or precedes the one before", text, i, m)
		}
		end = m.End
		if !bound[m.Start] || !bound[m.End] {
			t.Fatalf("%q: mention %d %+v: offsets inside a character", text, i, m)
		}
		if !ValidKind(m.Kind) || m.Name == "" || m.Key == "" {
			t.Fatalf("%q: mention %d %+v: empty name, key or bad kind", text, i, m)
		}
		if !m.Gazetteer && Normalise(text[m.Start:m.End]) != m.Name {
			t.Fatalf("%q: mention %d %+v: name is not the text at its offsets (%q)", text, i, m, text[m.Start:m.End])
		}
		if strings.Contains(m.Name, "\n") || strings.Contains(m.Context, "\n") {
			t.Fatalf("%q: mention %d %+v spans a line break", text, i, m)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"我是丽发新城小区的业主",
		"反映A市A3区万家丽路与人民路交汇处",
		"A9市北盛镇对泉水村塘下组土地征收",
		"Ａ市Ａ３区丽发 新城小区",
		"反映A市洋湖新城和顺路洋湖壹号小区路段",
		"张某某在丽发新城小区门口，王书记村",
		"某某学院\n华盛新城小区，\xff路",
		"村村村村组组路路小区小区",
		"",
	} {
		f.Add(s)
	}
	e := MustNew([]Entry{
		{Name: "西地省某某职业技术学院", Aliases: []string{"某某学院"}, Kind: KindSchool},
		{Name: "华盛世纪新城", Aliases: []string{"华盛新城", "华盛"}, Kind: KindEstate},
		{Name: "A", Kind: KindOther},
	})
	f.Fuzz(func(t *testing.T, text string) {
		checkInvariants(t, text, e.Extract(text))
	})
}
