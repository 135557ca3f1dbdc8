// Package places finds mentions of places and organisations in Chinese text.
//
// A mention is found in one of two ways:
//
//   - by its suffix: a word ending in one of the suffixes of the lexicon (…小区, …村, …路,
//     …学院, …公司 …), whose name is the run of characters written just before the suffix;
//   - by the gazetteer: a name or alias of an Entry the office knows, matched anywhere
//     (Aho-Corasick over the normalised text).
//
// The hard part is the left edge of a suffix match, since Chinese is written without spaces.
// From the suffix the extractor walks left over name characters (Han, ASCII letters and
// digits) and stops at:
//
//   - anything else: punctuation, brackets, line breaks (spaces are dropped, not boundaries);
//   - a stop word ending there: function words and particles (的 是 在 了 与 及 对 把 被 从 …),
//     pronouns and determiners (我们 这个 该 本 …), verbs of petitioning and living (反映 投诉
//     举报 位于 住在 购买 …), time words (年 月 日 现在 …) and role nouns (业主 居民 村民 …);
//     a few characters that are stop words but also begin common names (和 向 同 全 东 …: 和平路,
//     向阳村) stop the walk only once the name has two characters;
//   - a cap on the length of a name (maxLeft, longer for companies), past which the candidate
//     is kept only when a district prefix cuts it short (A市A3区…), else dropped.
//
// The span so found is then split at administrative markers, left to right:
//
//   - 省 市 县 区 (not 小区, 社区, 校区, 园区 …; not 超市, 市场 …) end a district prefix: it
//     becomes the mention's Context, never a mention ("A市A3区丽发新城小区" → Context "A市A3区",
//     Name "丽发新城小区");
//   - 镇 乡 街道 社区 (and 村 before a 组) end a nested place: it becomes a mention of its own
//     and part of the inner mention's Context ("A市A3区黄花镇新桥村" → 黄花镇 with Context
//     "A市A3区", and 新桥村 with Context "A市A3区黄花镇"). Two mentions, because a message
//     about a village is also about its township, and the hot-issue rule groups by either.
//     When the inner name would be empty (黄花镇中学, A3区人民医院) the span stays one mention.
//
// A candidate is dropped when its name (without the suffix) is shorter than two characters,
// is generic (我们小区, 这个小区, 该公司, 其他小区, 老旧小区 …), is only a placeholder
// (XX小区, ***公司, 某某路), or is a common word made with the suffix (农村, 道路, 城镇 …). Person
// names are never part of a mention: a name is cut after a title (书记 经理 主任 …) or after 某
// (张某某), and dropped if nothing remains.
//
// Overlaps are resolved by keeping the longest, except that projects (…项目, …工程) give way
// to any other place they contain, so "丽发新城小区提质改造工程" gives the estate.
//
// The Key unifies spellings of one place: an estate's 小区 is dropped when a name remains
// (丽发新城小区, 丽发新城 → 丽发新城); a company's legal form is shortened (…有限公司 → …公司)
// and a leading province or city (湖南省, 长沙) dropped; and any name or alias of a gazetteer
// entry gives the entry's own Key, so the gazetteer decides when two different names are one
// place (某某学院 / 某某职业技术学院).
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
	KindOther     Kind = "other"     // gazetteer entries of other kinds
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
		c := cand{s: s, e: end, m: Mention{Name: en.Name, Kind: en.Kind, Gazetteer: true}}
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
