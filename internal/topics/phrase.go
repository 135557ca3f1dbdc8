package topics

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/baseline"
)

// minKnownDays is the fewest baseline days on record a window is tested on (and at least half of
// BaselineDays): at the start of the data there is no history to learn a vocabulary from, and
// nothing is reported.
const minKnownDays = 7

// burst is a candidate n-gram whose window rose above its baseline.
type burst struct {
	c              int32
	mean, variance float64
	expected, p    float64
	people         int
}

// Topics tests the candidates against the baseline and returns the emerging topics, the most
// significant first, at most MaxTopics. knownDays is how many of the baseline's days (the latest
// ones) are on record: days before the first contact in the data are unknown, not quiet. With
// fewer than half the baseline (and fewer than 7 days) known it returns none.
func (d *Detector) Topics(knownDays int) []Topic {
	p := d.p
	knownDays = min(knownDays, p.BaselineDays)
	if len(d.cands) == 0 || knownDays < max(minKnownDays, (p.BaselineDays+1)/2) {
		return nil
	}
	s := d.merged()
	nc := len(d.cands)
	placesAll, catsAll := count(s.allPlaces), count(s.allCat)
	// When the whole window is busier than the baseline, every phrase's rate is scaled up with
	// it: a rise of all messages is no topic. (Never down: a quiet window makes nothing easier.)
	scale := 1.0
	winVolume, baseVolume := 0, 0
	for _, m := range d.win {
		winVolume += m.people
	}
	for day := range knownDays {
		baseVolume += s.volume[day]
	}
	if baseVolume > 0 {
		scale = max(1, float64(winVolume)/float64(p.WindowDays)/(float64(baseVolume)/float64(knownDays)))
	}
	var tested []int32 // candidates not template text
	for c := range nc {
		msgs := int(s.cands[c].msgs)
		if msgs >= p.MinComplainants {
			// Template text: in a large share of the messages, or written from most places or
			// categories.
			if float64(msgs) >= p.TemplateShare*float64(s.n) ||
				(placesAll >= 4 && float64(count(s.cands[c].places)) >= p.TemplateSpread*float64(placesAll)) ||
				(catsAll >= 4 && float64(count(s.cands[c].cats)) >= p.TemplateSpread*float64(catsAll)) {
				continue
			}
		}
		tested = append(tested, int32(c))
	}
	// Every n-gram of enough people is a test: alpha holds for the run's whole vocabulary
	// (Bonferroni), so a large office's thousands of phrases do not make topics by chance.
	test := p.test(knownDays)
	test.Alpha = p.Alpha / float64(max(1, d.tests))
	var bursts []burst
	for _, c := range tested {
		var sum, sq float64
		for day := range knownDays {
			v := float64(s.days[int(c)*p.BaselineDays+int(day)])
			sum += v
			sq += v * v
		}
		mean := sum / float64(knownDays)
		variance := max(0, (sq-sum*mean)/float64(knownDays-1))
		mean, variance = mean*scale, variance*scale*scale
		people := d.cands[c].people
		if a, alarm := test.Test(people, mean, variance); alarm {
			bursts = append(bursts, burst{c: c, mean: mean, variance: variance, expected: a.Expected, p: a.PValue, people: people})
		}
	}
	s = nil
	slices.SortFunc(bursts, func(a, b burst) int {
		ta, tb := d.cands[a.c].text, d.cands[b.c].text
		return cmp.Or(cmp.Compare(a.p, b.p), cmp.Compare(b.people, a.people),
			cmp.Compare(utf8.RuneCountInString(tb), utf8.RuneCountInString(ta)), strings.Compare(ta, tb))
	})
	// The window messages of each bursting n-gram.
	posting := make(map[int32][]int32, len(bursts))
	for _, b := range bursts {
		posting[b.c] = nil
	}
	d.postings(posting)
	var out []Topic
	var taken [][]int32 // the reported topics' messages, sorted
	for _, b := range bursts {
		if len(out) == p.MaxTopics {
			break
		}
		seed := d.cands[b.c].text
		msgs := posting[b.c]
		if k := d.absorbed(seed, msgs, out, taken); k >= 0 {
			d.related(&out[k], seed, msgs)
			continue
		}
		phrase, pmsgs := d.grow(seed, msgs)
		t, ok := d.topic(phrase, pmsgs, b, test)
		if !ok && phrase != seed {
			t, ok = d.topic(seed, msgs, b, test)
			pmsgs = msgs
		}
		if !ok {
			continue
		}
		if k := d.absorbed(t.Phrase, pmsgs, out, taken); k >= 0 {
			d.related(&out[k], seed, msgs)
			continue
		}
		out = append(out, t)
		taken = append(taken, pmsgs)
	}
	return out
}

// absorbed is the reported topic a phrase belongs to, -1 for none: it is part of that topic's
// phrases or holds one, or at least half its messages are that topic's.
func (d *Detector) absorbed(phrase string, msgs []int32, out []Topic, taken [][]int32) int {
	for i, t := range out {
		for _, w := range append([]string{t.Phrase}, t.Related...) {
			if strings.Contains(w, phrase) || strings.Contains(phrase, w) {
				return i
			}
		}
		shared := 0
		for _, m := range msgs {
			if _, ok := slices.BinarySearch(taken[i], m); ok {
				shared++
			}
		}
		if 2*shared >= len(msgs) {
			return i
		}
	}
	return -1
}

// related adds what a bursting n-gram absorbed into topic t grows into to t's related
// phrases, unless it is part of one of t's phrases or t has MaxRelated of them.
func (d *Detector) related(t *Topic, seed string, msgs []int32) {
	if len(t.Related) >= MaxRelated {
		return
	}
	for _, w := range append([]string{t.Phrase}, t.Related...) {
		if strings.Contains(w, seed) {
			return
		}
	}
	phrase, _ := d.grow(seed, msgs)
	for _, w := range append([]string{t.Phrase}, t.Related...) {
		if strings.Contains(w, phrase) || strings.Contains(phrase, w) {
			return
		}
	}
	t.Related = append(t.Related, phrase)
}

// grow extends seed one character at a time, to the right or the left, while at least Grow of
// the messages holding it hold it so extended, up to MaxPhrase characters, never into a
// person's name. It returns the phrase and the messages (of msgs) that hold it.
func (d *Detector) grow(seed string, msgs []int32) (string, []int32) {
	phrase := seed
	for utf8.RuneCountInString(phrase) < d.p.MaxPhrase {
		grown := false
		for _, right := range []bool{true, false} {
			next := map[rune]int{}
			for _, m := range msgs {
				seen := map[rune]bool{}
				text := d.win[m].han
				for off := 0; ; {
					j := strings.Index(text[off:], phrase)
					if j < 0 {
						break
					}
					j += off
					var r rune
					if right {
						r, _ = utf8.DecodeRuneInString(text[j+len(phrase):])
					} else {
						r, _ = utf8.DecodeLastRuneInString(text[:j])
					}
					if r != utf8.RuneError && r != '|' && !seen[r] {
						seen[r] = true
						next[r]++
					}
					off = j + len(phrase)
				}
			}
			best, n := rune(0), 0
			for r, k := range next {
				if k > n || (k == n && r < best) {
					best, n = r, k
				}
			}
			if n == 0 || float64(n) < d.p.Grow*float64(len(msgs)) {
				continue
			}
			longer := phrase + string(best)
			if !right {
				longer = string(best) + phrase
			}
			if HasPersonName(longer) {
				continue
			}
			phrase, grown = longer, true
			keep := msgs[:0:0]
			for _, m := range msgs {
				if strings.Contains(d.win[m].han, phrase) {
					keep = append(keep, m)
				}
			}
			msgs = keep
			if utf8.RuneCountInString(phrase) >= d.p.MaxPhrase {
				break
			}
		}
		if !grown {
			break
		}
	}
	return phrase, msgs
}

// topic counts a phrase's window messages and tests them against the baseline of the n-gram it
// grew from (an upper bound of the phrase's own: every message holding the phrase holds it).
func (d *Detector) topic(phrase string, msgs []int32, b burst, test baseline.Params) (Topic, bool) {
	t := Topic{Phrase: phrase, BaselineDays: test.BaselineDays, FirstDay: -1, LastDay: math.MaxInt32}
	people := map[int64]bool{}
	places := map[string]int{}
	type example struct {
		id    string
		first int32
	}
	var examples []example
	for _, i := range msgs {
		m := &d.win[i]
		first := int32(-1)
		for _, c := range m.contacts {
			people[c.Person] = true
			t.Messages++
			t.FirstDay = max(t.FirstDay, c.Day)
			t.LastDay = min(t.LastDay, c.Day)
			first = max(first, c.Day)
		}
		if m.place != "" {
			places[m.place] += len(m.contacts)
		}
		examples = append(examples, example{m.caseID, first})
	}
	t.Complainants = len(people)
	if t.Complainants < d.p.MinComplainants {
		return t, false
	}
	a, alarm := test.Test(t.Complainants, b.mean, b.variance)
	if !alarm {
		return t, false
	}
	t.Expected = math.Round(a.Expected*10) / 10
	t.PValue = significant(a.PValue, 2)
	slices.SortFunc(examples, func(x, y example) int { return cmp.Or(cmp.Compare(y.first, x.first), strings.Compare(x.id, y.id)) })
	for _, e := range examples[:min(len(examples), d.p.Examples)] {
		t.Examples = append(t.Examples, e.id)
	}
	for name, n := range places {
		t.Places = append(t.Places, Place{Name: name, Messages: n})
	}
	slices.SortFunc(t.Places, func(x, y Place) int {
		return cmp.Or(cmp.Compare(y.Messages, x.Messages), strings.Compare(x.Name, y.Name))
	})
	t.Places = t.Places[:min(len(t.Places), d.p.Places)]
	return t, true
}

// significant rounds x to digits significant digits.
func significant(x float64, digits int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	if err != nil {
		return x
	}
	return r
}
