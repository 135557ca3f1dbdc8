package places

import "strings"

const (
	maxSpan = 40 // runes walked left of a suffix at most, district prefixes included
	maxLeft = 10 // runes of a name before its suffix at most (see leftCap)
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
			n, class := lex.stopAt(t.rs, i)
			if n > 0 && i < s && lex.keep[[2]rune{t.rs[i-1], t.rs[i]}] {
				n = 0 // 现代花园, 项目管理公司: a word of a name that begins with a stop
			}
			if n == 1 && i >= 2 && lex.keep[[2]rune{t.rs[i-2], t.rs[i-1]}] {
				n = 0 // 名都小区: a word of a name that ends with a stop
			}
			if n == 1 && t.rs[i-1] == '都' && i == s && i >= 2 && nameEnd(t.rs[i-2]) {
				n = 0 // 金都花园, 碧源都小区: a name that ends with 都 before its suffix
			}
			if n == 1 && class == locative && (i < 2 || lex.flags[idx(t.rs[i-2])]&fName == 0 || strings.ContainsRune("省市县区", t.rs[i-2])) {
				n = 0 // K2区上岭桥镇: a locative after a boundary or a district begins the name
			}
			if n > 0 && stops(class, n, s-i, t.rs[i]) {
				return i, false
			}
			if n > 1 {
				i -= n // a word taken in whole (建设北路: not 设北路)
				continue
			}
		}
		i--
	}
	return 0, false
}

// nameEnd reports whether r, written before 都 right before a suffix (金 of 金都花园), makes 都
// the last character of a name: r is a name's character and no stop word's, nor a numeral.
// Only 都: with 和 (祥和小区) the same exception took far more conjunctions than names in the
// labelled real messages (房屋和高速, 区域和路), and with the other soft stops, verbs and
// prepositions (引入学校, 为学校, 以公司).
func nameEnd(r rune) bool {
	f := lex.flags[idx(r)]
	return f&fName != 0 && f&fStopEnd == 0 && f&fNumeral == 0
}

// stops reports whether a stop word of class and n characters ends the walk when the name has
// got characters so far, the first of them first (see softStops and locatives).
func stops(class uint8, n, got int, first rune) bool {
	switch {
	case class == hard:
		return true
	case class == locative || n > 1:
		return got >= 2
	}
	// 七组和八组: a number is no name for 和 to begin
	return got != 1 || lex.flags[idx(first)]&fNumeral != 0
}

// cut is where a district prefix or a nested place ends inside a span.
type cut struct {
	start, end int  // the segment [start, end) it ends, marker included
	kind       Kind // "" for a district (context only)
}

// markerAt returns the length of an administrative marker ending at rune k (exclusive) of rs,
// when segment [from, k) can be a district or a nested place, and what it is: "" for a
// district, else the nested place's kind. sufKind is the kind of the suffix the span ends with.
func markerAt(rs []rune, from, k, end int, sufKind Kind) (int, Kind, bool) {
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
		if strings.ContainsRune("超城门夜菜股集都街", prev) || strings.ContainsRune("场民政镇乡", next) {
			break // 超市, 市场, 石期市镇
		}
		return 1, "", seg >= 2
	case '区':
		if prev == '社' {
			return 2, KindCommunity, seg >= 4
		}
		if strings.ContainsRune("小校园景片营厂矿库舍宅活郊禁盲街商业住置", prev) {
			break // 小区, 校区 …: perhaps a place's suffix, below
		}
		return 1, "", seg >= 2
	case '镇', '乡':
		if seg < 3 || lex.common[string([]rune{prev, r})] {
			break
		}
		if na := lex.notAft[string(r)]; next != 0 && strings.ContainsRune(na, next) {
			break
		}
		return 1, KindTownship, true
	case '道':
		if prev == '街' && seg >= 4 {
			return 2, KindStreet, true
		}
	}
	if sufKind == "" {
		return 0, "", false
	}
	// 渔业路万国城小区, 洋湖新城和顺路, 花桥村插基塘组: a place, then a place in it or on it; the
	// inner name must have two characters (one for a 组), so 人民路小学 and 丽发新城小区 stay one
	sl, kind := lex.suffixAt(rs, k)
	if sl == 0 || seg-sl < 2 {
		return 0, "", false
	}
	switch kind {
	case KindEstate, KindVillage, KindRoad, KindCommunity:
	default:
		return 0, "", false
	}
	if sl == 1 && lex.common[string([]rune{prev, r})] && !(k-3 >= from && nameTail(string([]rune{prev, r}), rs[k-3])) {
		return 0, "", false
	}
	need := 2
	if sufKind == KindVillage {
		need = 1
	}
	if end-k < need {
		return 0, "", false
	}
	return sl, kind, true

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
		n, ck, ok := markerAt(rs, last, k, s, kind)
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
	if !ok && len(cuts) > 0 && (last == s || lex.generic[string(rs[last:s])]) && mergeable(kind) {
		// 黄花镇中学, A3区医院: the suffix names the place of the segment before it
		c := cuts[len(cuts)-1]
		cuts = cuts[:len(cuts)-1]
		last = c.start
		lc, ok = c.start, true
	}
	if !ok && kind == KindRoad && len(cuts) > 0 && cuts[len(cuts)-1].kind == "" && cuts[len(cuts)-1].end == last {
		// A1区北路, K市大道: the anonymiser masked the city's name; the road is named by its
		// masked district and a direction (labelled so)
		c := cuts[len(cuts)-1]
		left := rs[last:s]
		masked := c.end-c.start >= 2 && isASCIIAlnum(rs[c.end-2])
		if masked && (len(left) == 1 && strings.ContainsRune("东南西北", left[0]) || len(left) == 0 && j-s >= 2) {
			cuts = cuts[:len(cuts)-1]
			last = districtStart(rs, c)
			lc, ok = last, true
		}
	}
	if !ok {
		return cs
	}
	ctxStart := b
	if len(cuts) > 0 && cuts[0].kind == "" {
		ctxStart = districtStart(rs, cuts[0])
	}
	for _, c := range cuts {
		if c.kind == "" {
			continue
		}
		st, ok := e.validNested(rs, c)
		if !ok {
			continue
		}
		cs = append(cs, cand{s: st, e: c.end, nested: true,
			m: Mention{Name: t.str(st, c.end), Kind: c.kind, Context: t.str(ctxStart, st)}})
	}
	m := Mention{Name: t.str(lc, j), Kind: kind, Context: t.str(ctxStart, last)}
	if kind == KindProject && m.Context == "" && !namedDevelopment(string(rs[lc:s])) {
		// 建设项目, 交付项目, 烂尾工程: most are no name; a project is kept when a district
		// is written before it (A市XX项目), when it is a named development (东雅商业综合体项目)
		// or when the gazetteer knows it
		return cs
	}
	if core := rs[lc:s]; (kind == KindHospital || kind == KindSchool) && len(core) >= 3 && jurisdiction(core[0]) && lex.institutional[string(core[1:])] ||
		lex.institutional[string(core)] && (kind == KindHospital || kind == KindSchool) {
		// 人民医院, 第一中学: every county has one; its district tells which
		m.Key = lastDistrict(m.Context) + m.Name
	}
	if kind == KindVillage && rs[j-1] == '组' && len(cuts) > 0 && cuts[len(cuts)-1].kind == KindVillage {
		c := cuts[len(cuts)-1]
		m.Key = t.str(c.start, c.end) + m.Name
	}
	return append(cs, cand{s: lc, e: j, ss: s, weak: kind == KindProject, m: m})
}

// leftCap is the longest name (without its suffix) a kind has: a longer candidate has run
// past the start of the name.
func leftCap(k Kind) int {
	switch k {
	case KindTownship, KindStreet:
		return 4
	case KindVillage, KindCommunity:
		return 5
	case KindRoad:
		return 6
	case KindEstate, KindMarket:
		return 8
	case KindHospital:
		return 10
	case KindSchool, KindProject:
		return 12
	case KindCompany:
		return 14
	}
	return maxLeft
}

func mergeable(k Kind) bool {
	switch k {
	case KindSchool, KindHospital, KindMarket, KindCompany, KindOther:
		return true
	}
	return false
}

// validNested reports whether a nested segment names a place: a name of two characters at
// least before its marker, not generic, not a placeholder.
func (e *Extractor) validNested(rs []rune, c cut) (int, bool) {
	n := 1
	if c.kind == KindStreet || c.kind == KindCommunity || c.kind == KindRoad && rs[c.end-1] == '道' {
		n = 2
	}
	st := trimLeft(rs, c.start, c.end-n, c.kind)
	left := rs[st : c.end-n]
	if len(left) < 2 || allPlaceholders(left) || lex.generic[string(left)] || len(left) > leftCap(c.kind) {
		return st, false
	}
	return st, true
}

// trimLeft returns where a name written in runes [from, to) begins once what cannot be part of
// it is cut off its start: a person's name or title (王书记, 张某某), a lone district or place
// character referring to one named before (本市…, 该镇…: the walk stops at 本 and 该), a count
// (三家, 两所) or a number (a list's 1, an amount's 24).
func trimLeft(rs []rune, from, to int, kind Kind) int {
	lc := from
	for _, ti := range lex.titles {
		if p := lastIndexRunes(rs[lc:to], ti); p >= 0 {
			lc += p + len(ti)
		}
	}
	for {
		switch {
		case to-lc >= 4 && containerWords[string(rs[lc:lc+2])]:
			lc += 2 // 小区钻石新村: the walk took in the end of a generic word
			continue
		case to-lc >= 3 && strings.ContainsRune("镇乡村组", rs[lc]),
			to-lc >= 3 && kind != KindOther && kind != KindSchool && kind != KindHospital && strings.ContainsRune("省市县区", rs[lc]):
			// (市规划局, 县人民医院: for a public body the level is part of its name)
			lc++
			continue
		}
		break
	}
	if p := lc; p < to && lex.flags[idx(rs[p])]&fNumeral != 0 {
		for p < to && lex.flags[idx(rs[p])]&fNumeral != 0 {
			p++
		}
		switch {
		case p < to && strings.ContainsRune(quantifiers, rs[p]):
			lc = p + 1
		case p < to && isASCIIDigit(rs[lc]) && isHan(rs[p]) && to-p >= 2:
			lc = p
			if strings.ContainsRune("号栋楼幢期", rs[lc]) {
				lc++
			}
		}
	}
	return lc
}

// nameStart returns where the name of the mention ending with the suffix [s, j) begins, at
// last or after it (past a person's title), and whether the name is a place at all.
func (e *Extractor) nameStart(rs []rune, last, s, j int, kind Kind, cuts []cut) (int, bool) {
	lc := trimLeft(rs, last, s, kind)
	left := rs[lc:s]
	if ml, ok := minLeft[string(rs[s:j])]; ok && ml < 2 {
		// B市二中, 北二环: a short name, or none; not a placeholder nor a common word
		return lc, len(left) >= ml && len(left) <= 2 && !allPlaceholders(left) && !lex.common[string(rs[max(lc, s-1):j])]
	}
	if len(left) == 0 || allPlaceholders(left) {
		return lc, false
	}
	sufLen := j - s
	suf := string(rs[s:j])
	if numbered[suf] && allNumerals(left) {
		return lc, true
	}
	if kind == KindVillage && rs[j-1] == '组' && sufLen == 1 {
		if len(cuts) == 0 || cuts[len(cuts)-1].kind != KindVillage && cuts[len(cuts)-1].kind != KindEstate || len(left) < 2 {
			return lc, false
		}
	}
	if len(left) < 2 || len(left) > leftCap(kind) {
		return lc, false
	}
	ls := string(left)
	if jurisdiction(left[0]) && len(left) >= 3 {
		ls = string(left[1:]) // 市规划局, 县人民医院: judged without the level
	}
	if bodies[suf] || (kind == KindSchool || kind == KindHospital) && lex.institutional[ls] {
		// 教育局, 人民医院: every county has one; named only with its jurisdiction
		if !jurisdiction(left[0]) && !hasDistrict(cuts) {
			return lc, false
		}
	}
	if kind == KindRoad {
		if lex.genericRoad[ls] { // 水泥路, 公交线路; but 建设路, 人民路, 文化路 are names
			return lc, false
		}
	} else if lex.generic[ls] {
		return lc, false
	}
	if containerWords[ls] {
		return lc, false
	}
	if tail := string(rs[s-1 : j]); lex.common[tail] && !(len(left) >= 2 && nameTail(tail, left[len(left)-2])) ||
		s >= 2 && lex.common[string(rs[s-2:j])] {
		return lc, false
	}
	if allNumerals(left) && kind != KindVillage {
		return lc, false
	}
	if kind == KindRoad && isASCIIDigit(left[len(left)-1]) {
		return lc, false // 809路: a bus route
	}
	return lc, true
}

// nameTails are the common words that also end names after a name's character: 黄山村 and
// 工人新村 are villages, 山村 and 新村 alone are not, nor 小山村 or 偏远山村.
var nameTails = map[string]bool{"山村": true, "新村": true}

// nameTail reports whether common word w, written after rune before, ends a name (see
// nameTails).
func nameTail(w string, before rune) bool {
	return nameTails[w] && nameEnd(before) && !strings.ContainsRune("小大老偏穷", before)
}

// bodies are the suffixes of public bodies that every county has (教育局, 人民法院).
var bodies = map[string]bool{"局": true, "法院": true, "检察院": true}

func jurisdiction(r rune) bool { return strings.ContainsRune("省市县区镇乡", r) }

func hasDistrict(cuts []cut) bool {
	for _, c := range cuts {
		if c.kind == "" {
			return true
		}
	}
	return false
}

// containerWords are the generic words of places: a name is none of them and does not begin
// with one.
var containerWords = map[string]bool{"小区": true, "社区": true, "街道": true, "公司": true, "学校": true,
	"医院": true, "市场": true, "项目": true, "工程": true, "村委": true, "居委": true}

const quantifiers = "个家所条名位座栋幢间处片户批项次段趟番块摊种道台部张股"

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isASCIIAlnum(r rune) bool {
	return isASCIIDigit(r) || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
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

// districtStart returns where the district name of segment c begins: after what the walk took
// in before it (取缔A3区 → A3区), that is at the run of ASCII letters and digits before the
// marker, or at most three characters before it.
func districtStart(rs []rune, c cut) int {
	m := c.end - 1 // the marker
	p := m
	for p > c.start && rs[p-1] < 0x80 {
		p--
	}
	if p < m {
		return p
	}
	return max(c.start, m-3)
}

// contextBefore returns the district prefix written just before rune s: the run of district
// and nested-place segments that ends at s; "" when what comes before is not one.
func contextBefore(t *text, s int) string {
	b, _ := walkLeft(t, s)
	last := b
	for k := b + 1; k <= s; k++ {
		if n, _, ok := markerAt(t.rs, last, k, s, ""); ok && n > 0 {
			last = k
		}
	}
	if last != s {
		return ""
	}
	return t.str(b, s)
}

// lastDistrict returns the last district of a context (湖南省长沙市开福区 → 开福区), "" when it has
// none.
func lastDistrict(ctx string) string {
	rs := []rune(ctx)
	end, start := -1, 0
	for i, r := range rs {
		if strings.ContainsRune("省市县区", r) {
			if end >= 0 {
				start = end
			}
			end = i + 1
		}
	}
	if end < 0 {
		return ""
	}
	return string(rs[start:end])
}

// developmentWords say what a project builds; a name before them makes a named development
// (东雅商业综合体项目, 辉光安置房项目), a project even without a district written before it.
var developmentWords = []string{"商业综合体", "综合体", "安置房", "安置小区", "安置区", "还建房", "还建小区", "棚改",
	"棚户区改造", "商住楼", "住宅小区", "楼盘", "商业广场"}

// namedDevelopment reports whether a project's name (without 项目) is a name of at least two
// characters followed by one of developmentWords.
func namedDevelopment(core string) bool {
	for _, w := range developmentWords {
		if rest, ok := strings.CutSuffix(core, w); ok && len([]rune(rest)) >= 2 {
			return true
		}
	}
	return false
}

// keyFor returns the grouping key of a name of kind k (see the package doc).
func keyFor(name string, k Kind) string {
	switch k {
	case KindEstate:
		if rest, ok := strings.CutSuffix(name, "小区"); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	case KindStreet:
		for _, f := range []string{"街道办事处", "街道办", "办事处"} {
			if rest, ok := strings.CutSuffix(name, f); ok && rest != "" {
				return rest + "街道"
			}
		}
	case KindProject:
		// 东雅商业综合体项目, 东雅商业综合体项目项目 and 东雅项目: one development, written more
		// or less fully.
		core := name
		for {
			rest, ok := strings.CutSuffix(core, "项目")
			if !ok {
				break
			}
			core = rest
		}
		if core == name || core == "" {
			return name
		}
		for _, w := range developmentWords {
			if rest, ok := strings.CutSuffix(core, w); ok && len([]rune(rest)) >= 2 {
				return rest + "项目"
			}
		}
		return core + "项目"
	case KindMarket:
		// 嘉春批发市场, 嘉春农贸市场 and 嘉春市场 are one market written more or less fully.
		for _, f := range []string{"农副产品批发市场", "农产品批发市场", "批发市场", "农贸市场", "菜市场"} {
			if rest, ok := strings.CutSuffix(name, f); ok && len([]rune(rest)) >= 2 {
				return rest + "市场"
			}
		}
	case KindSchool:
		// 望昌职业技术学院 and 望昌学院: one college, its full name and the one people use.
		for _, f := range []string{"职业技术学院", "职业学院", "技术学院"} {
			if rest, ok := strings.CutSuffix(name, f); ok && len([]rune(rest)) >= 2 {
				return rest + "学院"
			}
		}
	case KindCompany:
		key := name
		for _, f := range []string{"有限责任公司", "股份有限公司", "有限公司"} {
			if rest, ok := strings.CutSuffix(key, f); ok {
				key = rest + "公司"
				break
			}
		}
		// 新雅光电子科技有限公司 and 新雅光电子公司: one company, with and without its trade's
		// general word.
		for _, f := range []string{"科技公司", "实业公司", "发展公司"} {
			if rest, ok := strings.CutSuffix(key, f); ok && len([]rune(rest)) >= 2 {
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
