// Package title gives a matter a title people can read: its place, category and target
// organisation, and the gist of its content (a short excerpt, cut where a clause ends).
//
// The content it reads is the stored one, whose resident id numbers and phone numbers were
// masked on load (internal/idnum); names in free text cannot be told from other words and stay
// as written, so the gist leaves out the clauses where a writer introduces themselves (我叫…,
// 本人系…村民) and any clause holding a mask, and never reaches past the first substantive
// clause or two.
package title

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/internal/placeholder"
)

// MaxGist is the most characters a gist has, counting a Chinese character (or any other wide
// one) as one and a letter, digit or space of the Latin alphabet as a half: an English gist may
// run to twice as many characters, about as wide on the page.
const MaxGist = 24

// maxSubject is the longest first line taken as a message's subject (a message board writes
// its subject on the first line).
const maxSubject = 40

// Facts are what a title is made of; any may be empty.
type Facts struct {
	Township, Village string
	// MoreTownships follows Township when the matter's cases lie in several townships (as
	// "等3个乡镇街道"); the village, of one of them, is then left out.
	MoreTownships string
	// MoreTargets follows Target when the matter's cases name several target organisations.
	MoreTargets string
	// Place is a place the text names (a hot issue's place); it stands for the village.
	Place            string
	Category, Target string
	Content          string
	// Lang is the language of the run the title is for: "en" puts an English colon before the
	// gist (": "), any other the Chinese one (GistSep).
	Lang string
}

// Separators of a title's parts: between place, category and target, and before the gist (in
// a Chinese run; see Facts.Lang).
const (
	PartSep = " · "
	GistSep = "："
)

// Of is the title of a matter with facts f: "place · category · target：gist", without the
// parts that are empty (and without the target when the gist names it and it is the only one);
// "" when all are.
func Of(f Facts) string {
	t, _ := Compose(f)
	return t
}

// Compose is Of's title of f, and whether it is bare: it says nothing of what the matter is
// about, having no category, target organisation nor gist (its place, and a day, at most).
func Compose(f Facts) (title string, bare bool) {
	for _, s := range []*string{&f.Township, &f.Village, &f.Place, &f.Category, &f.Target} {
		*s = strings.Join(strings.Fields(*s), " ") // an export's runs of spaces ("EAST   88 STREET") read as one
	}
	g := Gist(f.Content)
	var parts []string
	if p := place(f); p != "" {
		parts = append(parts, p)
	}
	c, t := strings.TrimSpace(f.Category), strings.TrimSpace(f.Target)
	hasCategory, hasTarget := c != "" && !unknown(c), t != "" && !unknown(t)
	if hasCategory {
		parts = append(parts, c)
	}
	if hasTarget && (f.MoreTargets != "" || !strings.Contains(g, t)) {
		parts = append(parts, t+f.MoreTargets)
	}
	bare = !hasCategory && !hasTarget && g == ""
	head := strings.Join(parts, PartSep)
	switch {
	case g == "":
		return head, bare
	case head == "":
		return g, bare
	}
	if f.Lang == "en" {
		return head + ": " + g, bare
	}
	return head + GistSep + g, bare
}

// place is the township with the village, or with the place the text names when there is one
// (unless that name already holds the township); for cases in several townships, the first
// with MoreTownships, unless the text names the place.
func place(f Facts) string {
	t := strings.TrimSpace(f.Township)
	if unknown(t) {
		t = ""
	}
	v := strings.TrimSpace(f.Village)
	if p := strings.TrimSpace(f.Place); p != "" {
		v = p
	} else if f.MoreTownships != "" && t != "" {
		return t + f.MoreTownships
	}
	switch {
	case v == "":
		return t
	case t == "" || strings.Contains(v, t):
		return v
	}
	if latinStart(v) && (latinEnd(t) || strings.IndexFunc(v, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) >= 0) {
		return t + " " + v // BROOKLYN 742 MONTGOMERY STREET, not BROOKLYN742; 波士顿 2 Camelot Ct
	}
	return t + v
}

// latinEnd and latinStart report whether s ends or starts with a letter or digit of ASCII:
// two such names written together need a space between them, as does a Latin name after a
// Chinese one; Chinese ones, and numbers after them (城关镇3组), do not.
func latinEnd(s string) bool   { return s != "" && isLatin(s[len(s)-1]) }
func latinStart(s string) bool { return s != "" && isLatin(s[0]) }

func isLatin(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// unknown reports whether a field's value says it is not known (a profile's default such as
// 未注明区县 or 未分类, an export's Unspecified) or nothing in particular (其他): no part of a
// title.
func unknown(s string) bool {
	return placeholder.Is(s) || strings.TrimSpace(s) == "其他"
}

// clauseEnd matches the punctuation that ends a clause or sentence, and line breaks.
var clauseEnd = regexp.MustCompile(`[，。；！？!?;,\n\r]+|：|:\s`)

// Gist is a short excerpt of content: its subject line when the first of several lines is
// short, otherwise its first clauses that are not boilerplate, up to MaxGist characters, cut
// where a clause ends (or, for a single long clause or one after a dangling clause, at
// MaxGist-1 characters and "…"). "" when content has none.
func Gist(content string) string {
	content = strings.TrimSpace(content)
	if content == "" {
		return ""
	}
	if first, rest, ok := strings.Cut(content, "\n"); ok && strings.TrimSpace(rest) != "" {
		if s := strings.TrimSpace(dropNames(dropDottedNames(first))); s != "" && utf8.RuneCountInString(s) <= maxSubject && usable(s) {
			return cut(s)
		}
	}
	if len(content) > maxGistSource {
		// The gist lies in the first clauses: the expressions below need not read the rest.
		end := maxGistSource
		for end > 0 && !utf8.RuneStart(content[end]) {
			end--
		}
		content = content[:end]
	}
	content = recordHeader.ReplaceAllString(content, "") // 【来电记录】
	content = dropAccountAndName(dropDottedNames(content))
	content = dropWriterAsides(content)
	if strings.ContainsAny(content, "：:") {
		// A label opening the content (诉求：…), or anywhere in a form (姓名：… 诉求：…).
		within := content
		if !formStart.MatchString(content) {
			within = content[:min(len(content), 40)]
		}
		if loc := substanceLabel.FindStringIndex(within); loc != nil && strings.TrimSpace(content[loc[1]:]) != "" &&
			(utf8.RuneCountInString(content[:loc[0]]) <= 4 || within != content[:len(within)] || len(within) == len(content) || formStart.MatchString(content)) {
			content = content[loc[1]:] // 姓名：… 性别：… 诉求：要求补发优抚金: the request
		}
	}
	var kept []string
	n := 0
	intro := false // past a name and its particulars: short clauses (农民, 初中文化) are more of them
	for rest, more := content, true; more; {
		// Clause by clause, as far as the gist goes: splitting the whole content costs.
		var c string
		if loc := clauseEnd.FindStringIndex(rest); loc != nil {
			c, rest = rest[:loc[0]], rest[loc[1]:]
		} else {
			c, more = rest, false
		}
		raw := strings.TrimSpace(dropOpeningName(dropNames(strings.TrimSpace(c))))
		c = raw
		if startsWith(raw, writerRoles) {
			c = writerPrefix.ReplaceAllString(raw, "")
		}
		c = afterReport(c)
		if after, ok := strings.CutPrefix(c, "称"); ok && after != "" {
			c = strings.TrimPrefix(after, "其") // 来访人马志强，男，…，称其在…: what they said
		}
		if c != raw || slices.ContainsFunc(reportVerbs, func(v string) bool { return strings.HasSuffix(strings.Trim(raw, " :："), v) }) {
			intro = false // what follows a report verb is what was reported
		}
		masked := hidden(c)
		account := len(c) >= 5 && accountLike.MatchString(strings.TrimSpace(c))
		if strings.IndexByte(c, '@') >= 0 {
			c = email.ReplaceAllString(c, "") // zhang.san@example.com 小区路灯不亮: the lamps
		}
		c = strings.TrimFunc(c, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '“' && r != '”' })
		c = dropRedacted(c)
		if !masked && utf8.RuneCountInString(c) < 2 {
			continue // 好 after 市领导; 我, what an aside with its name left: nothing, and no end
		}
		boiler, particulars := boilerplateOf(c)
		if !boiler && particularTokens(c) {
			boiler, particulars = true, true
		}
		if intro && !boiler && !masked {
			if fields := strings.Fields(c); len(fields) > 1 {
				// 东城街道向阳社区 现住县城建设路88号 我在…: the values before the last field
				for len(fields) > 1 && utf8.RuneCountInString(fields[0]) <= 10 &&
					(particularWords.MatchString(fields[0]) || placeEnd.MatchString(fields[0])) {
					fields = fields[1:]
				}
				c = strings.Join(fields, " ")
			}
			if n := utf8.RuneCountInString(c); n <= 5 || n <= 16 && placeValue.MatchString(c) {
				boiler, particulars = true, true // 农民; 三里铺镇曹家湾村三组 (a label's value)
			}
		}
		if particulars && (len(kept) == 0 || nameLike(kept)) {
			intro = true
		}
		if masked && usable(c) && !boiler && !hiddenMask(c) {
			masked = false // what was left of a clause once its email went
		}
		masked = masked || account
		if masked || !usable(c) || boiler || len(kept) == 0 && startsWith(c, continuations) {
			if len(kept) > 0 {
				if (masked || particulars) && nameLike(kept) {
					kept, n, intro = nil, 0, true // 王小明，男，…: a name, not a gist
					continue
				}
				break // the gist is one run of clauses
			}
			continue
		}
		intro = false
		l := width(c)
		if len(kept) > 0 && n+2+l > 2*MaxGist && !dangling(kept[len(kept)-1]) {
			break
		}
		kept = append(kept, c)
		n += l + 2
		if n > 2*MaxGist || n >= MaxGist && !dangling(c) {
			break
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return cut(strings.Join(kept, "，"))
}

// dangling reports whether clause c says when, why or despite what, and leaves what happened
// to the clause after it (校车线路取消后, 由于…): a gist does not end with one, but goes on into
// the next clause, cut with "…" when it is too long.
func dangling(c string) bool {
	for _, end := range []string{"后", "时", "以来", "期间", "过程中", "工作中", "改造中", "施工中", "建设中", "装修中", "拆迁中", "征收中", "审批中", "办理中"} {
		if strings.HasSuffix(c, end) {
			return true
		}
	}
	return startsWith(c, []string{"因为", "由于", "虽然", "尽管", "自从", "如果", "随着", "为了"})
}

// continuations are the words that open a clause going on from the one before it: no gist
// starts with one.
var continuations = []string{"但", "可是", "然而", "却", "而且", "并且", "也", "还", "之后", "后来", "并", "又"}

func startsWith(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// usable reports whether clause c may be part of a gist: it has a Chinese character or a
// letter, no mask of an identifier, and is not mostly redaction marks (a publisher's XXXX for
// names, places and dates: XXXX XXXX / XXXX XXXX says nothing).
func usable(c string) bool {
	if c == "" || strings.Contains(c, idnum.MarkIDNumber) || strings.Contains(c, idnum.MarkPhone) {
		return false
	}
	if strings.IndexFunc(c, func(r rune) bool { return unicode.Is(unicode.Han, r) || unicode.IsLetter(r) }) < 0 {
		return false
	}
	words, marks := 0, 0
	for _, w := range strings.Fields(c) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue // a slash or dash between words
		}
		words++
		if redactionMark.MatchString(w) {
			marks++
		}
	}
	return marks*2 < words || words == 0
}

// redactionMark is a word a publisher blanked: XX, XXXX, XX/XX/XXXX, {$XXXX.00}.
var redactionMark = regexp.MustCompile(`^\W*X{2,}(\W+X+)*(\.\d+)?\W*$`)

// width is how wide s is in half characters: a Latin letter, digit, space or sign 1, any other
// character (Chinese, full-width) 2. MaxGist characters are 2 × MaxGist.
func width(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	if r < 0x2000 {
		return 1
	}
	return 2
}

// cut shortens s to MaxGist characters (see width): at the last 、 or space that keeps at least
// half, else at MaxGist-1 characters and "…", never inside a number (35万 is not cut to 3… nor
// to 35…).
func cut(s string) string {
	if width(s) <= 2*MaxGist {
		return s
	}
	r := []rune(s)
	k, w := 0, 0 // r[:k] is the longest start of s at most MaxGist-1 characters wide
	for k < len(r) && w+runeWidth(r[k]) <= 2*(MaxGist-1) {
		w += runeWidth(r[k])
		k++
	}
	for i, wi := k, w; i > 0 && wi >= MaxGist; i-- {
		if r[i] == '、' || r[i] == ' ' {
			return string(r[:i]) + "…"
		}
		wi -= runeWidth(r[i-1])
	}
	for k > 1 && width(string(r[:k])) > MaxGist && isNumeric(r[k-1]) && (isNumeric(r[k]) || strings.ContainsRune("万千百亿", r[k])) {
		k--
	}
	return strings.TrimRight(string(r[:k]), " ") + "…"
}

// dropRedacted drops the words a publisher blanked (XXXX, WI-XXXX) from the start of clause c:
// XXXX AGAIN HAS FAILED is AGAIN HAS FAILED.
func dropRedacted(c string) string {
	for {
		w, rest, _ := strings.Cut(c, " ")
		if !strings.Contains(w, "XX") || rest == "" {
			return c
		}
		c = strings.TrimSpace(rest)
	}
}

func isNumeric(r rune) bool { return unicode.IsDigit(r) || r == '.' }
