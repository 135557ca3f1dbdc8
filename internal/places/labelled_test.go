package places

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// labelRow is one message of testdata/cn-message-board-places.tsv: its places, each group
// holding the spellings of one place (a group of one unless the note says "同一地点: A=B").
type labelRow struct {
	source, id string
	groups     [][]string
	kinds      [][]Kind // the kind of each spelling
}

// readLabels reads testdata/cn-message-board-places.tsv (format: its header and README).
func readLabels(t *testing.T) []labelRow {
	t.Helper()
	f, err := os.Open("testdata/cn-message-board-places.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []labelRow
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	header := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if !header {
			if strings.Join(cols, ",") != "source,id,places,kinds,note" {
				t.Fatalf("line %d: header %q", n, line)
			}
			header = true
			continue
		}
		for len(cols) < 5 {
			cols = append(cols, "")
		}
		r := labelRow{source: cols[0], id: cols[1]}
		var places []string
		var kinds []Kind
		if cols[2] != "" {
			places = strings.Split(cols[2], "|")
			for _, k := range strings.Split(cols[3], "|") {
				kinds = append(kinds, Kind(k))
			}
			if len(places) != len(kinds) {
				t.Fatalf("line %d: %d places, %d kinds", n, len(places), len(kinds))
			}
		}
		group := make([]int, len(places)) // group of each place
		for i := range group {
			group[i] = i
		}
		if _, same, ok := strings.Cut(cols[4], "同一地点:"); ok {
			for _, piece := range strings.FieldsFunc(same, func(r rune) bool { return r == ';' || r == ',' || r == '，' || r == '；' }) {
				piece = strings.TrimSpace(piece)
				if i := strings.IndexAny(piece, " (（"); i >= 0 {
					piece = piece[:i]
				}
				names := strings.Split(piece, "=")
				first := -1
				for _, nm := range names {
					for i, p := range places {
						if p != nm {
							continue
						}
						if first < 0 {
							first = group[i]
						} else {
							group[i] = first
						}
					}
				}
			}
		}
		byGroup := map[int]int{}
		for i, p := range places {
			g, ok := byGroup[group[i]]
			if !ok {
				g = len(r.groups)
				byGroup[group[i]] = g
				r.groups = append(r.groups, nil)
				r.kinds = append(r.kinds, nil)
			}
			r.groups[g] = append(r.groups[g], p)
			r.kinds[g] = append(r.kinds[g], kinds[i])
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// matchKey is the form in which a labelled name and an extracted mention are compared: the
// name normalised (full width folded, spaces dropped) and keyed by keyFor with its own kind
// (丽发新城小区 → 丽发新城; …有限公司 → …公司).
func matchKey(name string, k Kind) string { return keyFor(Normalise(name), k) }

// score is a count of labelled places (groups) found and of distinct mentions right.
type score struct {
	groups, found    int // labelled places, and those found
	mentions, right  int // distinct mentions extracted, and those that are a labelled place
	groupsNoOther    int // the same without places labelled only as kind other
	foundNoOther     int
	messages, tuning int
}

func (s score) precision() float64 { return ratio(s.right, s.mentions) }
func (s score) recall() float64    { return ratio(s.found, s.groups) }
func (s score) recallNoOther() float64 {
	return ratio(s.foundNoOther, s.groupsNoOther)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestLabelledPrecisionRecall scores the extractor (no gazetteer) on the hand-labelled real
// messages of testdata/cn-message-board-places.tsv, made by another helper without running it.
//
// Matching, per message:
//   - a labelled place is the group of its spellings (the note's "同一地点: A=B"); it is found
//     when some distinct mention of the message matches one of its spellings;
//   - a mention matches a spelling when matchKey(mention name, mention kind) equals
//     matchKey(spelling, labelled kind), or when matchKey of the last district of the mention's
//     Context followed by its name does (the labels keep a district prefix when it is the only
//     distinguishing part: A7县人民医院, B市二中); kinds need not agree;
//   - precision counts the distinct mentions of a message (by matchKey), right when they match
//     some labelled spelling; recall counts the labelled places found.
//
// Recall is also given without the places labelled only as kind other (government bodies,
// police stations, parks, stations, unsuffixed localities), which the suffix lexicon does not
// cover and only a gazetteer finds.
//
// The extractor was tuned on the messages with an even 留言编号 (126 of 240) and not on the
// others (114): the held-out figures are the honest ones, and the floors are set on them.
func TestLabelledPrecisionRecall(t *testing.T) {
	rows := readLabels(t)
	msgs := realMessages(t)
	text := map[string]string{}
	for _, m := range msgs {
		text[m.source+"\t"+m.id] = m.text
	}
	learnt := Learn(func(yield func(string) bool) {
		for _, m := range msgs {
			if !yield(m.text) {
				return
			}
		}
	}, LearnOptions{})
	t.Logf("learnt %d gazetteer entries from the %d real messages", len(learnt), len(msgs))
	for _, c := range []struct {
		name                                      string
		e                                         *Extractor
		minPrecision, minRecall, minRecallNoOther float64
	}{
		{"no gazetteer", MustNew(nil), 0.68, 0.48, 0.54},
		{"learnt gazetteer", MustNew(learnt), 0.68, 0.48, 0.54},
	} {
		var all, tune, held score
		for _, r := range rows {
			txt, ok := text[r.source+"\t"+r.id]
			if !ok {
				t.Fatalf("%s %s: no such message", r.source, r.id)
			}
			id, err := strconv.Atoi(r.id)
			if err != nil {
				t.Fatalf("%s %s: id: %v", r.source, r.id, err)
			}
			s := scoreMessage(t, r, c.e.Extract(txt), c.name)
			all = all.add(s)
			if id%2 == 0 {
				tune = tune.add(s)
			} else {
				held = held.add(s)
			}
		}
		for _, h := range []struct {
			name string
			s    score
		}{{"all", all}, {"tuning half (even 留言编号)", tune}, {"held-out half (odd 留言编号)", held}} {
			t.Logf("%s, %-28s %3d messages: precision %.3f (%d/%d), recall %.3f (%d/%d), recall without kind other %.3f (%d/%d)",
				c.name, h.name, h.s.messages, h.s.precision(), h.s.right, h.s.mentions, h.s.recall(), h.s.found, h.s.groups,
				h.s.recallNoOther(), h.s.foundNoOther, h.s.groupsNoOther)
		}
		if held.precision() < c.minPrecision || held.recall() < c.minRecall || held.recallNoOther() < c.minRecallNoOther {
			t.Errorf("%s, held-out: precision %.3f (floor %.2f), recall %.3f (floor %.2f), recall without other %.3f (floor %.2f)",
				c.name, held.precision(), c.minPrecision, held.recall(), c.minRecall, held.recallNoOther(), c.minRecallNoOther)
		}
	}
	if len(rows) < 200 {
		t.Errorf("%d labelled messages, want at least 200", len(rows))
	}
}

func (s score) add(o score) score {
	return score{s.groups + o.groups, s.found + o.found, s.mentions + o.mentions, s.right + o.right,
		s.groupsNoOther + o.groupsNoOther, s.foundNoOther + o.foundNoOther, s.messages + o.messages, 0}
}

// scoreMessage scores the mentions extracted from one labelled message; with -v it logs the
// misses and the wrong mentions.
func scoreMessage(t *testing.T, r labelRow, ms []Mention, run string) score {
	s := score{messages: 1}
	labelKeys := map[string]int{} // matchKey of a spelling → its group
	for g, names := range r.groups {
		for i, n := range names {
			labelKeys[matchKey(n, r.kinds[g][i])] = g
		}
	}
	found := map[int]bool{}
	seen := map[string]bool{}
	for _, m := range ms {
		k := matchKey(m.Name, m.Kind)
		if seen[k] {
			continue
		}
		seen[k] = true
		s.mentions++
		g, ok := labelKeys[k]
		if !ok && m.Context != "" {
			g, ok = labelKeys[matchKey(lastDistrict(m.Context)+m.Name, m.Kind)]
		}
		if ok {
			s.right++
			found[g] = true
		} else if testing.Verbose() {
			t.Logf("%s: %s %s: wrong %s/%s", run, r.source, r.id, m.Name, m.Kind)
		}
	}
	for g, names := range r.groups {
		other := true
		for _, k := range r.kinds[g] {
			other = other && k == KindOther
		}
		s.groups++
		if !other {
			s.groupsNoOther++
		}
		if found[g] {
			s.found++
			if !other {
				s.foundNoOther++
			}
		} else if testing.Verbose() {
			t.Logf("%s: %s %s: missed %s/%s", run, r.source, r.id, strings.Join(names, "="), r.kinds[g][0])
		}
	}
	return s
}
