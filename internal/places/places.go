// Package places finds mentions of places and organisations in Chinese text.
//
// A mention is found in one of two ways:
//
//   - by its suffix: a word ending in one of the suffixes of the lexicon (…小区, …村, …路,
//     …学院, …公司, …局 …), whose name is the run of characters written just before the suffix;
//   - by the gazetteer: a name or alias of an Entry the office knows, matched anywhere
//     (Aho-Corasick over the normalised text).
//
// Text is normalised first: full-width ASCII folded (as golang.org/x/text/width's Fold does for
// that block, done per character here to avoid allocating), spaces dropped; a line break stays a
// boundary, so a name never runs from a message's subject into its body.
//
// # The left edge
//
// Chinese is written without spaces, and no pure-Go segmenter fit (the package lists offer only
// a cgo binding and an unlicensed port), so the left edge of a suffix match is found from a
// lexicon. From the suffix the extractor walks left over name characters (Han, ASCII letters
// and digits) and stops at:
//
//   - anything else: punctuation, brackets, a line break;
//   - a hard stop word ending there: particles and function words (的 是 在 了 与 及 对 把 被 从 …),
//     pronouns and determiners (我们 这个 该 本 …), verbs of petitioning, moving and living
//     (反映 投诉 举报 位于 住在 购买 …), time words, role nouns (业主 居民 家长 …);
//   - a soft stop word: a word that may be part of an organisation's name (建设 管理 开发: …建设
//     有限公司) stops the walk once the name has two characters; a single character (和 向 同 去 回
//     …) stops it unless the name has exactly one character so far (和平路, 向阳村 keep theirs;
//     去医院, 和小区 name nothing); words of names that begin with such a character (现代, 和顺,
//     项目) are walked through;
//   - a locative (上 下 中 里 …) once the name has two characters (塘下组, 庆和里路 keep theirs).
//
// A stop word met and not stopped at is taken whole (建设北路, not 设北路). The walk goes at
// most maxSpan characters; each kind has a longest name (leftCap), past which the candidate is
// dropped rather than guessed.
//
// # Nested places and context
//
// The span walked is split, left to right, at markers:
//
//   - 省 市 县 区 (not 小区, 校区 …; not 超市, 市场, …市镇) end a district prefix: it becomes the
//     mention's Context, never a mention ("A市A3区丽发新城小区" → Context "A市A3区", Name
//     "丽发新城小区"); a district prefix is cut to its name (取缔A3区 → A3区);
//   - 镇 乡 街道 社区 end a nested place, and so does any place suffix of an estate, village,
//     road or community followed by at least two characters of another name (渔业路万国城小区,
//     洋湖新城和顺路, 花桥村插基塘组: one character is enough before a 组). A nested place
//     becomes a mention of its own and part of the inner mention's Context ("A7县安沙镇花桥村
//     插基塘组" → 安沙镇, 花桥村 and 插基塘组, with Contexts "A7县", "A7县安沙镇" and "A7县安沙镇
//     花桥村"). Two or three mentions, not one, because a message about a village is also about
//     its township, and the hot-issue rule can group by either; a 组's Key holds its village
//     (花桥村插基塘组), since 三组 alone names nothing. When the inner name would be empty or
//     generic (黄花镇中学, 石潭镇水泥厂) the span stays one mention; a name that only ends
//     with a place's suffix (人民路小学, 丽发新城小区) is one mention.
//
// # What is not a place
//
// A candidate is dropped when its name (without the suffix) is shorter than its suffix needs
// (two characters; none for 二中, one for 北二环), is generic (我们小区, 其他小区, 老旧小区,
// 物业公司, 水泥路 …), is only a placeholder (XX小区, ***公司, 某某路), is a common word made with
// the suffix (农村, 道路, 城镇, 布局 …) or a bus route (809路). Person names are never part of a
// mention: a name is cut after a title (书记 经理 主任 …) or after 某 (张某某), and dropped if
// nothing remains; counts (三家, 两所) and list numbers are cut off its start. Public bodies
// every county has (教育局, 人民医院, 第一中学) are kept only with their jurisdiction (A4区教育局,
// 县人民医院). Projects (…项目, …工程) are mostly no name (建设项目, 烂尾工程): they are kept only
// with a district before them or from the gazetteer.
//
// Overlaps are resolved by keeping the longest, except that projects give way to any place they
// contain, and a name that begins inside another place's name, before its own suffix, begins
// after it instead.
//
// # Keys
//
// The Key unifies spellings of one place: an estate's 小区 is dropped when a name remains
// (丽发新城小区, 丽发新城 → 丽发新城); a company's legal form is shortened (…有限公司 → …公司),
// and so is its trade's general word (…科技公司, …实业公司 → …公司);
// and a leading province or city (湖南省, 长沙) dropped; a street office is its street (同升街道办
// → 同升街道); a market's trade and a college's vocation are dropped (嘉春批发市场 → 嘉春市场,
// 望昌职业技术学院 → 望昌学院); an institutional name holds its district (A7县人民医院); and any
// name or alias of a gazetteer entry gives the entry's own Key, so the gazetteer decides when two
// other names are one place (某某大学 / 某某学院).
package places

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// Kind is the kind of a place or organisation.
type Kind string

// The kinds of places.
const (
	KindEstate    Kind = "estate"    // 小区 花园 家园 新城 苑 公寓 …
	KindVillage   Kind = "village"   // 村 组
	KindCommunity Kind = "community" // 社区
	KindStreet    Kind = "street"    // 街道 (subdistrict)
	KindTownship  Kind = "township"  // 镇 乡
	KindRoad      Kind = "road"      // 路 街 大道 巷
	KindSchool    Kind = "school"    // 学校 小学 中学 学院 大学 幼儿园
	KindHospital  Kind = "hospital"  // 医院 卫生院
	KindCompany   Kind = "company"   // 公司 厂 集团
	KindMarket    Kind = "market"    // 市场 商场
	KindProject   Kind = "project"   // 项目 工程
	KindOther     Kind = "other"     // gazetteer entries of other kinds; public bodies and facilities (局 派出所 法院 公园 收费站 …)
)

// Kinds lists every Kind, in the order above.
var Kinds = []Kind{KindEstate, KindVillage, KindCommunity, KindStreet, KindTownship, KindRoad,
	KindSchool, KindHospital, KindCompany, KindMarket, KindProject, KindOther}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k Kind) bool { return slices.Contains(Kinds, k) }

// Mention is one place or organisation named in a text.
type Mention struct {
	Name      string // as written, normalised (full-width folded, spaces dropped), e.g. "丽发新城小区"; a gazetteer match gives the entry's name
	Key       string // grouping key: the same place written differently gives the same Key ("丽发新城小区", "丽发新城" → "丽发新城")
	Kind      Kind
	Context   string // district or city prefix written just before it, e.g. "A市A3区"; "" when none
	Start     int    // byte offsets of the mention in the text given to Extract
	End       int
	Gazetteer bool // found through the gazetteer
}

// Entry is a gazetteer entry: a place the office knows, with the other names it goes by.
type Entry struct {
	Name    string
	Aliases []string
	Kind    Kind
}

// EntryError is the error New returns for a gazetteer entry it cannot use: Index is the
// entry's position in the slice given to New, Reason one of the Reason codes.
type EntryError struct {
	Index  int
	Reason Reason
	Name   string // the offending name or alias, normalised
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("places: gazetteer entry %d: %s: %q", e.Index, e.Reason, e.Name)
}

// Extractor finds mentions; safe for concurrent use.
type Extractor struct {
	entries []Entry           // normalised
	names   []string          // the gazetteer's patterns, normalised
	pattern []int             // entry of each pattern
	keyOf   map[string]string // Key of any name or alias of an entry (by its own Key) → the entry's Key
	dict    *ahocorasick.AhoCorasick
	pool    sync.Pool
}

// New returns an Extractor with the given gazetteer (which may be empty). It fails with an
// *EntryError when an entry has no name, an unknown kind, or a name or alias that another
// entry also uses.
func New(gazetteer []Entry) (*Extractor, error) {
	e := &Extractor{keyOf: map[string]string{}}
	e.pool.New = func() any { return new(work) }
	owner := map[string]int{}
	for i, g := range gazetteer {
		n := Entry{Name: Normalise(g.Name), Kind: g.Kind}
		if n.Kind == "" {
			n.Kind = KindOther
		}
		if !ValidKind(n.Kind) {
			return nil, &EntryError{Index: i, Reason: ReasonKind, Name: string(g.Kind)}
		}
		if n.Name == "" {
			return nil, &EntryError{Index: i, Reason: ReasonNoName}
		}
		key := keyFor(n.Name, n.Kind)
		for j, a := range append([]string{g.Name}, g.Aliases...) {
			a = Normalise(a)
			if a == "" {
				continue
			}
			if j > 0 {
				n.Aliases = append(n.Aliases, a)
			}
			if o, ok := owner[a]; ok {
				if o == i {
					continue
				}
				return nil, &EntryError{Index: i, Reason: ReasonDuplicate, Name: a}
			}
			owner[a] = i
			e.names = append(e.names, a)
			e.pattern = append(e.pattern, len(e.entries))
			e.keyOf[keyFor(a, n.Kind)] = key
			e.keyOf[a] = key
		}
		e.entries = append(e.entries, n)
	}
	if len(e.names) > 0 {
		b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
		ac := b.Build(e.names)
		e.dict = &ac
	}
	return e, nil
}

// MustNew is New for a gazetteer known to be valid; it panics otherwise.
func MustNew(gazetteer []Entry) *Extractor {
	e, err := New(gazetteer)
	if err != nil {
		panic(err)
	}
	return e
}

// work is the scratch space of one Extract call, pooled.
type work struct {
	t     text
	cands []cand
	norm  []byte
	at    []int32 // rune index of each byte of norm
}

// cand is a mention found, with rune offsets into the normalised text.
type cand struct {
	m      Mention
	s, e   int // rune offsets
	ss     int // where its suffix starts; e for a gazetteer match
	weak   bool
	nested bool
}

// Extract returns the mentions in text in order of Start, without overlaps (the longest wins),
// never a person's name, never a generic phrase (我们小区, 这个小区, 该公司 …).
func (e *Extractor) Extract(text string) []Mention {
	w := e.pool.Get().(*work)
	defer e.pool.Put(w)
	w.t.load(text)
	w.cands = w.cands[:0]
	t := &w.t
	n := len(t.rs)
	for j := 1; j <= n; j++ {
		if lex.flags[idx(t.rs[j-1])]&fSuffixEnd == 0 {
			continue
		}
		sl, kind := lex.suffixAt(t.rs, j)
		if sl == 0 {
			continue
		}
		w.cands = e.fromSuffix(w.cands, t, j-sl, j, kind)
	}
	if e.dict != nil {
		w.cands = e.fromGazetteer(w, w.cands)
	}
	if len(w.cands) == 0 {
		return nil
	}
	return e.resolve(w.cands, t)
}

// resolve keeps the candidates that do not overlap a better one, in order of Start, and sets
// their byte offsets and keys.
func (e *Extractor) resolve(cs []cand, t *text) []Mention {
	if e.dict != nil {
		// 星沙泉塘泉星小区 with 泉星小区 in the gazetteer: the gazetteer knows where a name
		// begins, so a suffix's name that ends where a shorter gazetteer name ends gives way
		n := 0
		for _, x := range cs {
			if !x.m.Gazetteer && givesWay(x, cs) {
				continue
			}
			cs[n] = x
			n++
		}
		cs = cs[:n]
	}
	// 洋湖新城和顺路洋湖壹号小区: a name that begins inside another place's name, before its own
	// suffix, begins after it when two characters are left (洋湖壹号小区 after 和顺路)
	for a := range cs {
		x := &cs[a]
		for b := range cs {
			y := &cs[b]
			if y.s < x.s && y.e > x.s && x.ss-y.e >= 2 && !y.weak && !x.m.Gazetteer {
				x.s = y.e
				x.m.Name = t.str(x.s, x.e)
				x.m.Context = ""
				x.m.Key = ""
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool {
		x, y := &cs[a], &cs[b]
		if x.weak != y.weak {
			return !x.weak
		}
		if lx, ly := x.e-x.s, y.e-y.s; lx != ly {
			return lx > ly
		}
		if x.m.Gazetteer != y.m.Gazetteer {
			return x.m.Gazetteer
		}
		return x.s < y.s
	})
	kept := make([]cand, 0, len(cs))
	for _, c := range cs {
		ok := true
		for _, k := range kept {
			if c.s < k.e && k.s < c.e {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].s < kept[b].s })
	out := make([]Mention, len(kept))
	for i, c := range kept {
		m := c.m
		m.Start = int(t.start[c.s])
		m.End = int(t.end[c.e-1])
		if m.Key == "" {
			m.Key = keyFor(m.Name, m.Kind)
		}
		if k, ok := e.keyOf[m.Key]; ok {
			m.Key = k
		} else if k, ok := e.keyOf[m.Name]; ok {
			m.Key = k
		}
		out[i] = m
	}
	return out
}

// givesWay reports whether a suffix's candidate x ends where a shorter gazetteer match of cs
// ends.
func givesWay(x cand, cs []cand) bool {
	for _, y := range cs {
		if y.m.Gazetteer && y.e == x.e && y.s > x.s {
			return true
		}
	}
	return false
}

// fromGazetteer adds the gazetteer's matches in the normalised text.
func (e *Extractor) fromGazetteer(w *work, cs []cand) []cand {
	t := &w.t
	w.norm = w.norm[:0]
	w.at = w.at[:0]
	for i, r := range t.rs {
		before := len(w.norm)
		w.norm = appendRune(w.norm, r)
		for range len(w.norm) - before {
			w.at = append(w.at, int32(i))
		}
	}
	it := e.dict.IterByte(w.norm)
	for m := it.Next(); m != nil; m = it.Next() {
		s := int(w.at[m.Start()])
		end := int(w.at[m.End()-1]) + 1
		en := e.entries[e.pattern[m.Pattern()]]
		c := cand{s: s, e: end, ss: end, m: Mention{Name: en.Name, Kind: en.Kind, Gazetteer: true}}
		c.m.Context = contextBefore(t, s)
		c.m.Key = keyFor(en.Name, en.Kind)
		cs = append(cs, c)
	}
	return cs
}

// Reason is the code of a problem with a gazetteer, for the caller to turn into a message.
type Reason string

// The problems ReadGazetteer and New report.
const (
	ReasonCSV       Reason = "csv"       // the line is not valid CSV
	ReasonHeader    Reason = "header"    // the first row is not name,aliases,kind
	ReasonColumns   Reason = "columns"   // a row does not have three columns
	ReasonNoName    Reason = "no_name"   // the name is empty
	ReasonKind      Reason = "kind"      // the kind is not one of the Kind values
	ReasonDuplicate Reason = "duplicate" // a name or alias is given twice
	ReasonEncoding  Reason = "encoding"  // the line is not valid UTF-8
)
