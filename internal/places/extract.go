package places

import "strings"

const (
	maxSpan     = 40 // runes walked left of a suffix at most, district prefixes included
	maxLeft     = 10 // runes of a name before its suffix at most
	maxLeftLong = 16 // the same for companies, schools and projects, whose names run longer
)

// walkLeft returns where the name ending with the suffix at rune s begins: the walk goes left
// over name characters and stops at anything else or at a stop word (see the package doc).
// capped reports that it stopped at maxSpan, not at a boundary.
func walkLeft(t *text, s int) (b int, capped bool) {
	i := s
	for i > 0 {
		r := t.rs[i-1]
		f := lex.flags[idx(r)]
		if f&fName == 0 {
			return i, false
		}
		if s-i >= maxSpan {
			return i, true
		}
		if f&fStopEnd != 0 {
			if n, soft := lex.stopAt(t.rs, i); n > 0 {
				if !soft || s-i >= 2 {
					return i, false
				}
			}
		}
		i--
	}
	return 0, false
}

// cut is where a district prefix or a nested place ends inside a span.
type cut struct {
	start, end int  // the segment [start, end) it ends, marker included
	kind       Kind // "" for a district (context only)
}

// markerAt returns the length of an administrative marker ending at rune k (exclusive) of rs,
// when segment [from, k) can be a district or a nested place, and what it is: "" for a
// district, else the nested place's kind. sufKind is the kind of the suffix the span ends with.
func markerAt(rs []rune, from, k int, sufKind Kind) (int, Kind, bool) {
	r := rs[k-1]
	prev := rune(0)
	if k-2 >= from {
		prev = rs[k-2]
	}
	next := rune(0)
	if k < len(rs) {
		next = rs[k]
	}
	seg := k - from // runes, marker included
	switch r {
	case '省', '县':
		return 1, "", seg >= 2
	case '市':
		if strings.ContainsRune("超城门夜菜股集都街", prev) || strings.ContainsRune("场民政", next) {
			return 0, "", false
		}
		return 1, "", seg >= 2
	case '区':
		if prev == '社' {
			return 2, KindCommunity, seg >= 4
		}
		if strings.ContainsRune("小校园景片营厂矿库舍宅活郊禁盲街商业住置", prev) {
			return 0, "", false
		}
		return 1, "", seg >= 2
	case '镇', '乡':
		if seg < 3 || lex.common[string([]rune{prev, r})] {
			return 0, "", false
		}
		if na := lex.notAft[string(r)]; next != 0 && strings.ContainsRune(na, next) {
			return 0, "", false
		}
		return 1, KindTownship, true
	case '道':
		if prev == '街' && seg >= 4 {
			return 2, KindStreet, true
		}
	case '村':
		if sufKind == KindVillage && seg >= 3 && !lex.common[string([]rune{prev, r})] {
			return 1, KindVillage, true
		}
	}
	return 0, "", false
}

// fromSuffix adds the candidates of the suffix at runes [s, j): the mention it ends and the
// nested places of its span.
func (e *Extractor) fromSuffix(cs []cand, t *text, s, j int, kind Kind) []cand {
	b, capped := walkLeft(t, s)
	rs := t.rs
	// split [b, s) at markers
	var cutsBuf [8]cut
	cuts := cutsBuf[:0]
	last := b
	for k := b + 1; k <= s; k++ {
		n, ck, ok := markerAt(rs, last, k, kind)
		if !ok || n == 0 {
			continue
		}
		cuts = append(cuts, cut{start: last, end: k, kind: ck})
		last = k
	}
	if capped {
		if len(cuts) == 0 {
			return cs
		}
		cuts = cuts[1:] // the first segment's start is not known
		if len(cuts) > 0 {
			b = cuts[0].start
		} else {
			b = last
		}
	}
	lc, ok := e.nameStart(rs, last, s, j, kind, cuts)
	if !ok && len(cuts) > 0 && last == s && mergeable(kind) {
		// 黄花镇中学, A3区医院: the suffix names the place of the segment before it
		c := cuts[len(cuts)-1]
		cuts = cuts[:len(cuts)-1]
		last = c.start
		lc, ok = c.start, true
	}
	if !ok {
		return cs
	}
	if s-lc > leftCap(kind) {
		return cs
	}
	ctxStart := b
	for _, c := range cuts {
		if c.kind == "" {
			continue
		}
		name := t.str(c.start, c.end)
		if !e.validNested(rs, c) {
			continue
		}
		cs = append(cs, cand{s: c.start, e: c.end, nested: true,
			m: Mention{Name: name, Kind: c.kind, Context: t.str(ctxStart, c.start)}})
	}
	m := Mention{Name: t.str(lc, j), Kind: kind, Context: t.str(ctxStart, last)}
	if kind == KindVillage && rs[j-1] == '组' && len(cuts) > 0 && cuts[len(cuts)-1].kind == KindVillage {
		c := cuts[len(cuts)-1]
		m.Key = t.str(c.start, c.end) + m.Name
	}
	return append(cs, cand{s: lc, e: j, weak: kind == KindProject, m: m})
}

func leftCap(k Kind) int {
	switch k {
	case KindCompany, KindSchool, KindProject:
		return maxLeftLong
	}
	return maxLeft
}

func mergeable(k Kind) bool {
	switch k {
	case KindSchool, KindHospital, KindMarket:
		return true
	}
	return false
}

// validNested reports whether a nested segment names a place: a name of two characters at
// least before its marker, not generic, not a placeholder.
func (e *Extractor) validNested(rs []rune, c cut) bool {
	n := 1
	if c.kind == KindStreet || c.kind == KindCommunity {
		n = 2
	}
	left := rs[c.start : c.end-n]
	if len(left) < 2 || allPlaceholders(left) || lex.generic[string(left)] {
		return false
	}
	for _, ti := range lex.titles {
		if containsRunes(left, ti) {
			return false
		}
	}
	return true
}

// nameStart returns where the name of the mention ending with the suffix [s, j) begins, at
// last or after it (past a person's title), and whether the name is a place at all.
func (e *Extractor) nameStart(rs []rune, last, s, j int, kind Kind, cuts []cut) (int, bool) {
	lc := last
	// a person's name or title ends before the name
	for _, ti := range lex.titles {
		if p := lastIndexRunes(rs[lc:s], ti); p >= 0 {
			lc += p + len(ti)
		}
	}
	left := rs[lc:s]
	if len(left) == 0 {
		return lc, false
	}
	if allPlaceholders(left) {
		return lc, false
	}
	sufLen := j - s
	if kind == KindVillage && rs[j-1] == '组' && sufLen == 1 {
		if allNumerals(left) {
			return lc, true
		}
		if len(cuts) == 0 || cuts[len(cuts)-1].kind != KindVillage || len(left) < 2 {
			return lc, false
		}
	}
	if len(left) < 2 {
		return lc, false
	}
	ls := string(left)
	if lex.generic[ls] {
		return lc, false
	}
	if _, ok := lex.sufWord[ls]; ok {
		return lc, false
	}
	if sufLen == 1 && lex.common[string(rs[s-1:j])] && len(left) < 3 {
		return lc, false
	}
	if allNumerals(left) && kind != KindVillage {
		return lc, false
	}
	return lc, true
}

func allPlaceholders(rs []rune) bool {
	for _, r := range rs {
		if !strings.ContainsRune(placeholders, r) {
			return false
		}
	}
	return true
}

func allNumerals(rs []rune) bool {
	for _, r := range rs {
		if lex.flags[idx(r)]&fNumeral == 0 {
			return false
		}
	}
	return true
}

func containsRunes(a, b []rune) bool { return lastIndexRunes(a, b) >= 0 }

func lastIndexRunes(a, b []rune) int {
	for i := len(a) - len(b); i >= 0; i-- {
		if equal(a[i:i+len(b)], b) {
			return i
		}
	}
	return -1
}

// contextBefore returns the district prefix written just before rune s: the run of district
// and nested-place segments that ends at s; "" when what comes before is not one.
func contextBefore(t *text, s int) string {
	b, _ := walkLeft(t, s)
	last := b
	for k := b + 1; k <= s; k++ {
		if n, _, ok := markerAt(t.rs, last, k, ""); ok && n > 0 {
			last = k
		}
	}
	if last != s {
		return ""
	}
	return t.str(b, s)
}

// keyFor returns the grouping key of a name of kind k (see the package doc).
func keyFor(name string, k Kind) string {
	switch k {
	case KindEstate:
		if rest, ok := strings.CutSuffix(name, "小区"); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	case KindCompany:
		key := name
		for _, f := range []string{"有限责任公司", "股份有限公司", "有限公司"} {
			if rest, ok := strings.CutSuffix(key, f); ok {
				key = rest + "公司"
				break
			}
		}
		for _, p := range []string{"湖南省", "湖南", "长沙市", "长沙"} {
			if rest, ok := strings.CutPrefix(key, p); ok && len([]rune(rest)) >= 4 {
				key = rest
				break
			}
		}
		return key
	}
	return name
}
