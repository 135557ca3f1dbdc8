package rules

import (
	"sort"
	"strings"
	"unicode"

	"github.com/earlywarn/earlywarn/internal/places"
)

// Topic words: what an episode's messages have in common and others rarely say. The
// candidates are the 2- and 3-grams in at least wordShare of the episode's texts (topicText:
// place names masked), scored by that share times their idf over the screened period (template
// phrases score 0), a gram in the subjects scoring as if it were twice as common; the best are
// taken, each grown by a character either side while most of its
// texts go on with that character (物业收 → 物业收费), none overlapping one taken before and
// none a kind of place alone (小区, 公司: places.IsKindWord).
const (
	wordShare  = 0.3
	growShare  = 0.7
	maxWordLen = 6
)

func topicWords(texts []string, df *docFreq, n int) []string {
	if len(texts) == 0 {
		return nil
	}
	docs, subjects := map[string]int{}, map[string]int{}
	for _, t := range texts {
		seen, inSubject := map[string]bool{}, map[string]bool{}
		subject, _ := splitSubject(t)
		for _, g := range grams(subject) {
			inSubject[g] = true
		}
		for _, g := range grams(t) {
			if !seen[g] {
				seen[g] = true
				docs[g]++
				if inSubject[g] {
					subjects[g]++
				}
			}
		}
	}
	type cand struct {
		g     string
		score float64
	}
	var cs []cand
	for g, d := range docs {
		share := float64(d) / float64(len(texts))
		if share < wordShare || !allHan(g) {
			continue
		}
		if idf := df.idf(hashRunes([]rune(g))); idf > 0 {
			cs = append(cs, cand{g, (share + float64(subjects[g])/float64(len(texts))) * idf})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].g < cs[j].g
	})
	var words []string
	for _, c := range cs {
		if len(words) == n {
			break
		}
		w := trimWord(growWord(c.g, texts))
		if len([]rune(w)) < 2 || overlapsAny(w, words) || places.IsKindWord(w) {
			continue
		}
		words = append(words, w)
	}
	return words
}

// grams are the 2- and 3-grams of each run of letters of t.
func grams(t string) []string {
	var out []string
	for _, run := range strings.Fields(t) {
		rs := []rune(run)
		for k := 2; k <= 3; k++ {
			for i := 0; i+k <= len(rs); i++ {
				out = append(out, string(rs[i:i+k]))
			}
		}
	}
	return out
}

// growWord extends w by one character at a time, right or left, while at least growShare of the
// texts holding it hold the longer string, up to maxWordLen characters, never by a degree
// adverb (中转站很不合理 is 中转站 and what is said of it, not one word).
func growWord(w string, texts []string) string {
	for len([]rune(w)) < maxWordLen {
		holding := 0
		next, prev := map[string]int{}, map[string]int{}
		for _, t := range texts {
			if !strings.Contains(t, w) {
				continue
			}
			holding++
			seenN, seenP := map[string]bool{}, map[string]bool{}
			for rest, at := t, 0; ; {
				i := strings.Index(rest, w)
				if i < 0 {
					break
				}
				abs := at + i
				if r := []rune(t[abs+len(w):]); len(r) > 0 && extends(r[0]) && !seenN[string(r[0])] {
					seenN[string(r[0])] = true
					next[w+string(r[0])]++
				}
				if r := []rune(t[:abs]); len(r) > 0 && extends(r[len(r)-1]) && !seenP[string(r[len(r)-1])] {
					seenP[string(r[len(r)-1])] = true
					prev[string(r[len(r)-1])+w]++
				}
				rest, at = rest[i+len(w):], abs+len(w)
			}
		}
		best, n := "", 0
		for _, m := range []map[string]int{next, prev} {
			for s, c := range m {
				if c > n || c == n && s < best {
					best, n = s, c
				}
			}
		}
		if best == "" || float64(n) < growShare*float64(holding) {
			return w
		}
		w = best
	}
	return w
}

// degreeAdverbs begin what is said of a word (很, 太), never a word.
const degreeAdverbs = "很太挺"

// extends reports whether a word may grow by r: not a space, not a degree adverb.
func extends(r rune) bool { return !unicode.IsSpace(r) && !strings.ContainsRune(degreeAdverbs, r) }

// edgeChars are the function characters a topic word does not begin or end with (垃圾站选址的 →
// 垃圾站选址, 离小区 → 小区); nor does it with a letter that is not Chinese (要求解决a).
const edgeChars = "的了在是和与及离对把被等之也都就又还而或向从于为"

// functionTails are the positional and function words a topic word does not end with (房价之外 →
// 房价: the messages went on "…房价之外，…").
var functionTails = []string{"之外", "以外", "之内", "以内", "之后", "以后", "之前", "以前", "以来", "之间", "期间", "之中", "当中"}

// trimWord is w without the edge characters (edgeChars, letters that are not Chinese) and the
// function tails (functionTails) it begins or ends with.
func trimWord(w string) string {
	for {
		t := strings.TrimFunc(w, func(r rune) bool {
			return !unicode.Is(unicode.Han, r) || strings.ContainsRune(edgeChars, r)
		})
		for _, tail := range functionTails {
			if s, ok := strings.CutSuffix(t, tail); ok {
				t = s
				break
			}
		}
		if t == w {
			return t
		}
		w = t
	}
}

// allHan reports whether g is all Chinese characters: a district's letters (D12市 → d) name no
// topic.
func allHan(g string) bool {
	for _, r := range g {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// overlapsAny reports whether w shares characters in sequence with a word taken: one holds the
// other, one ends with what the other starts with, or both begin or end with the same two
// characters (垃圾站选址, 垃圾站建成).
func overlapsAny(w string, words []string) bool {
	for _, x := range words {
		if strings.Contains(x, w) || strings.Contains(w, x) {
			return true
		}
		if a, b := []rune(w), []rune(x); len(a) >= 2 && len(b) >= 2 &&
			(string(a[:2]) == string(b[:2]) || string(a[len(a)-2:]) == string(b[len(b)-2:])) {
			return true
		}
		a, b := []rune(w), []rune(x)
		for k := 1; k < min(len(a), len(b)); k++ {
			if string(a[len(a)-k:]) == string(b[:k]) || string(b[len(b)-k:]) == string(a[:k]) {
				return true
			}
		}
	}
	return false
}
