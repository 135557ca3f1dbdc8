package places

import (
	"iter"
	"sort"
	"strings"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// LearnOptions are the options of Learn.
type LearnOptions struct {
	// MinCount is the number of texts a name must be written in with its suffix to be learnt;
	// 0 means 2.
	MinCount int
	// Known is the office's own gazetteer: a name or alias it holds is not learnt again, so
	// that New(append(known, learnt...)) does not fail on a duplicate.
	Known []Entry
}

// Learn returns gazetteer entries for the places an office's own texts name with their suffix
// at least MinCount times (in as many texts), so that New(append(gazetteer, learnt...)) finds
// them where they are written bare: an estate written 梅溪青秀小区 in some messages is the same
// place as 梅溪青秀 in others, a market 步步高超市 the same as 步步高.
//
// Each entry's Name is the place's most frequent spelling, its Kind the suffix's; its Aliases
// are its other spellings with the same Key (丽发新城 for 丽发新城小区) and its bare form when
// that is distinctive:
//
//   - the name without its suffix (…小区, …村, …社区, …学校, …超市, …商场, …商城; a company
//     without its legal form and province or city, 湖南美顺建设有限公司 → 美顺建设);
//   - at least three characters, not a generic word (物业, 房地产开发 …), not itself ending
//     with a suffix (和顺路 of 和顺路小区 is a road), not beginning or ending with a stop word or
//     an administrative marker, not numbers or placeholders;
//   - not a common word of the texts: written bare in no more than BareRatio times as many
//     texts as with its suffix (美的城 of 美的城小区 is also the start of 美的城市);
//   - claimed by one place only.
//
// Roads, townships, streets and schools other than …学校 give no bare form: 人民路 bare is
// 人民, and a township's name is mostly two characters. Persons are never learnt: Extract cuts
// them off. A name of the gazetteer also makes the extractor prefer the gazetteer's left edge to
// its own (see Extract), so a learnt name also fixes the garbled context before it
// (星沙泉塘泉星小区 → 泉星小区 when 泉星小区 is learnt).
//
// texts is ranged over twice: once to extract, once to count the bare forms.
func Learn(texts iter.Seq[string], opts LearnOptions) []Entry {
	k := opts.MinCount
	if k <= 0 {
		k = 2
	}
	known := map[string]bool{}
	for _, g := range opts.Known {
		known[Normalise(g.Name)] = true
		for _, a := range g.Aliases {
			known[Normalise(a)] = true
		}
	}
	e := MustNew(nil)
	type group struct {
		kind     Kind
		texts    int
		spelling map[string]int // spelling → texts
	}
	groups := map[string]*group{} // by kind and key
	seen := map[string]bool{}
	for t := range texts {
		clear(seen)
		ms := e.Extract(t)
		for _, m := range ms {
			if known[m.Name] || !learnable(m) {
				continue
			}
			gk := string(m.Kind) + "\t" + m.Key
			g := groups[gk]
			if g == nil {
				g = &group{kind: m.Kind, spelling: map[string]int{}}
				groups[gk] = g
			}
			if !seen[gk] {
				seen[gk] = true
				g.texts++
			}
			if !seen[gk+"\t"+m.Name] {
				seen[gk+"\t"+m.Name] = true
				g.spelling[m.Name]++
			}
		}
	}
	// Every spelling, with the texts it is written in: a name that ends with another place's
	// name written at least as often is that place with a word stuck before it (疏通龙隆花园,
	// 复南溪山村, 水岸明珠6期兴龙房地产公司), not a place of its own.
	spelt := map[string]int{}
	for _, g := range groups {
		for s, n := range g.spelling {
			spelt[s] += n
		}
	}
	var out []Entry
	var bare []string // the bare form of each entry, "" when none
	for _, g := range groups {
		if g.texts < k {
			continue
		}
		names := make([]string, 0, len(g.spelling))
		for s := range g.spelling {
			names = append(names, s)
		}
		sort.Slice(names, func(a, b int) bool {
			x, y := names[a], names[b]
			if g.spelling[x] != g.spelling[y] {
				return g.spelling[x] > g.spelling[y]
			}
			return x < y
		})
		if genericName(names[0], g.kind) || endsWithPlace(names[0], g.texts, spelt) {
			continue
		}
		en := Entry{Name: names[0], Kind: g.kind}
		for _, a := range names[1:] {
			if !known[a] {
				en.Aliases = append(en.Aliases, a)
			}
		}
		out = append(out, en)
		bare = append(bare, bareForm(names[0], g.kind))
	}
	// a bare form that is a common word of the texts: written bare far more often than with
	// its suffix
	counts := countBare(texts, out, bare)
	for i := range out {
		b := bare[i]
		if b == "" || known[b] {
			continue
		}
		if c := counts[b]; c.alone > BareRatio*max(c.suffixed, 1) {
			continue
		}
		out[i].Aliases = append(out[i].Aliases, b)
	}
	return dedupe(out)
}

// BareRatio is how many times as many texts a bare form may be written in alone as with its
// suffix before Learn takes it for a common word.
const BareRatio = 3

type bareCount struct{ alone, suffixed int }

// countBare counts, for each bare form, the texts where it is written alone and those where it
// is written with its entry's suffix.
func countBare(texts iter.Seq[string], es []Entry, bare []string) map[string]bareCount {
	var pats []string
	var owner []int
	for i, b := range bare {
		if b != "" {
			pats = append(pats, b)
			owner = append(owner, i)
		}
	}
	counts := map[string]bareCount{}
	if len(pats) == 0 {
		return counts
	}
	bld := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
	ac := bld.Build(pats)
	alone, suffixed := map[string]bool{}, map[string]bool{}
	for t := range texts {
		t = Normalise(t)
		clear(alone)
		clear(suffixed)
		for _, m := range ac.FindAll(t) {
			en := es[owner[m.Pattern()]]
			b := pats[m.Pattern()]
			with := false // inside one of the entry's spellings
			for _, s := range append([]string{en.Name}, en.Aliases...) {
				if i := strings.Index(s, b); i >= 0 && i <= m.Start() && strings.HasPrefix(t[m.Start()-i:], s) {
					with = true
					break
				}
			}
			if with {
				suffixed[b] = true
			} else {
				alone[b] = true
			}
		}
		for b := range alone {
			c := counts[b]
			c.alone++
			counts[b] = c
		}
		for b := range suffixed {
			c := counts[b]
			c.suffixed++
			counts[b] = c
		}
	}
	return counts
}

// bareSuffixes are the suffixes whose name is written without them (梅溪青秀 for 梅溪青秀小区).
var bareSuffixes = map[Kind][]string{
	KindEstate:    {"小区"},
	KindVillage:   {"村"},
	KindCommunity: {"社区"},
	KindSchool:    {"学校"},
	KindMarket:    {"超市", "商场", "商城"},
	KindCompany:   {"有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团"},
}

// bareForm returns the distinctive bare form of a name of kind k, "" when it has none (see
// Learn).
func bareForm(name string, k Kind) string {
	var b string
	for _, s := range bareSuffixes[k] {
		if rest, ok := strings.CutSuffix(name, s); ok {
			b = rest
			break
		}
	}
	if b == "" {
		return ""
	}
	if k == KindCompany {
		for _, p := range []string{"湖南省", "湖南", "长沙市", "长沙"} {
			if rest, ok := strings.CutPrefix(b, p); ok && len([]rune(rest)) >= 3 {
				b = rest
				break
			}
		}
	}
	rs := []rune(b)
	if len(rs) < 3 || lex.generic[b] || allNumerals(rs) || strings.ContainsAny(b, placeholders) {
		return ""
	}
	for _, r := range rs {
		if !isHan(r) {
			return "" // A1区北, 3栋: masked or numbered, no name of its own
		}
	}
	if n, _ := lex.suffixAt(rs, len(rs)); n > 0 {
		return "" // 和顺路 of 和顺路小区
	}
	if strings.ContainsRune("省市县区镇乡村组", rs[len(rs)-1]) {
		return ""
	}
	if n, c := lex.stopAt(rs, len(rs)); n > 0 && c == hard {
		return ""
	}
	if n, c := lex.stopAt(rs, 1); n > 0 && c == hard {
		return ""
	}
	for _, w := range genericEnds {
		if strings.HasSuffix(b, w) && len([]rune(b))-len([]rune(w)) < 2 {
			return "" // 新物业, 大建设: a generic word with a character before it
		}
	}
	return b
}

// endsWithPlace reports whether name ends with another spelling (of three characters or more)
// written in at least as many texts as name's place (texts).
func endsWithPlace(name string, texts int, spelt map[string]int) bool {
	rs := []rune(name)
	for i := 1; i+3 <= len(rs); i++ {
		if n, ok := spelt[string(rs[i:])]; ok && n >= texts {
			return true
		}
	}
	return false
}

// genericName reports whether a name of kind k is generic: without its suffix (and a company
// without its legal form), and without the generic words it ends with, fewer than two
// characters are left (物业公司, 花园小区, 国际小区, 电子科技有限公司, 城区小学, 水果市场).
func genericName(name string, k Kind) bool {
	rs := []rune(name)
	if n, _ := lex.suffixAt(rs, len(rs)); n > 0 && n < len(rs) {
		rs = rs[:len(rs)-n]
	}
	for _, s := range bareSuffixes[k] {
		if rest, ok := strings.CutSuffix(string(rs), s); ok {
			rs = []rune(rest)
			break
		}
	}
	for cut := true; cut && len(rs) >= 2; {
		cut = false
		for _, w := range learnGeneric {
			if rest, ok := strings.CutSuffix(string(rs), w); ok {
				rs, cut = []rune(rest), true
				break
			}
		}
	}
	if len(rs) < 2 || lex.generic[string(rs)] {
		return true
	}
	// A name that begins with a verb or a word of description is a phrase (不顾小区, 进出小区,
	// 责怪橄榄佳苑小区, 偏远山村), and one that begins with 期 the tail of a numbered phase (6期物业…).
	for _, w := range learnPhraseStarts {
		if strings.HasPrefix(name, w) {
			return true
		}
	}
	return false
}

// learnPhraseStarts are the words a learnt name does not begin with.
var learnPhraseStarts = strings.Fields(`不顾 进出 违反 征求 责怪 符合 划分 开办 修建 疏通 清运 安装 拨打 形成 偏远
要求 希望 解决 反映 投诉 举报 关于 位于 属于 包括 针对 购买 入住 搬进 住在 居住 进入 离开 到达 前往 经过 期`)

// learnGeneric are the words a learnt name needs two characters of its own besides: a trade, a
// quality or a kind of place, but no name.
var learnGeneric = append(strings.Fields(`国际 名都 花园 电子 发展 城区 地方 水果 茶叶 蔬菜 休闲 文化 体育 农贸 商贸
贸易 物流 劳务 建材 食品 物业 管理 科技 房地产 地产 置业 建设 开发 投资 实业 服务 工程 有限 小区 广场 市场`),
	genericEnds...)

// genericEnds are the generic words a company's bare form may end with: the bare form needs
// two characters of its own before them.
var genericEnds = []string{"物业", "建设", "房地产", "开发", "置业", "科技", "投资", "实业", "管理", "服务", "工程"}

// dedupe drops the names and aliases claimed by two entries: an alias that is another entry's
// name, an alias of two entries, and the less frequent of two entries of one name (the entries
// come in no order: they are sorted by name first, so the result does not depend on map order).
func dedupe(es []Entry) []Entry {
	sort.Slice(es, func(a, b int) bool {
		if es[a].Name != es[b].Name {
			return es[a].Name < es[b].Name
		}
		return es[a].Kind < es[b].Kind
	})
	names := map[string]int{}
	aliases := map[string]int{}
	var kept []Entry
	for _, en := range es {
		if _, ok := names[en.Name]; ok {
			continue // the same spelling of two kinds (…中心): the first kept
		}
		names[en.Name] = len(kept)
		kept = append(kept, en)
	}
	for _, en := range kept {
		for _, a := range en.Aliases {
			aliases[a]++
		}
	}
	for i := range kept {
		var as []string
		for _, a := range kept[i].Aliases {
			if _, ok := names[a]; ok || aliases[a] > 1 || a == kept[i].Name {
				continue
			}
			as = append(as, a)
		}
		kept[i].Aliases = as
	}
	return kept
}

// learnable reports whether Learn learns a mention's name: a place with a name of its own,
// not a public body or an institution every county has (市公安局, 县人民医院: their Key holds
// the district written before them), not a road (人民路 is in every city), not a numbered
// group or route (一组, 207国道), not masked (XX小区).
func learnable(m Mention) bool {
	switch m.Kind {
	case KindEstate, KindVillage, KindCommunity, KindStreet, KindTownship, KindSchool, KindCompany, KindMarket:
	default:
		return false
	}
	rs := []rune(m.Name)
	if m.Key != keyFor(m.Name, m.Kind) || jurisdiction(rs[0]) || strings.ContainsAny(m.Name, placeholders) {
		return false
	}
	if rs[len(rs)-1] == '组' || lex.flags[idx(rs[0])]&fNumeral != 0 || !isHan(rs[0]) {
		return false
	}
	for i := 2; i < len(rs); i++ {
		if lex.institutional[string(rs[:i])] && (m.Kind == KindSchool || m.Kind == KindHospital) {
			return false
		}
	}
	return true
}
