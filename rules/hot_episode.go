package rules

import (
	"context"
	"database/sql"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// hotEpisode is one episode the rule keeps: its cases, span, the day it became unusual, the
// count it needed and the facts only Go knows.
type hotEpisode struct {
	placeKey          string
	firstCK           int64 // its first case, whose id its matter id hashes (hot_issue.sql)
	cks               []int64
	from, to, flagged int32
	needed            int
	facts             map[string]any
}

// allEpisodes splits every candidate place into topics and returns the unusual episodes of its
// topics, in order of place key and start. The places go at once when readTexts kept all their
// texts; else in batches, the largest places first, each batch's texts read again and dropped
// after it.
func (h *hotIssue) allEpisodes(ctx context.Context, q *sql.Conn, r *hotRun) ([]hotEpisode, error) {
	var todo []int
	for p := range r.places {
		if r.places[p].candidate {
			todo = append(todo, p)
		}
	}
	// The largest places first, each to the next free worker: a board's busiest places take
	// most of the time, and a worker left with two of them would keep the other waiting.
	sort.SliceStable(todo, func(i, j int) bool { return len(r.places[todo[i]].cases) > len(r.places[todo[j]].cases) })
	var all []hotEpisode
	if !r.overflow.Load() {
		all = h.episodes(r, todo)
	} else {
		for i := range r.cases {
			r.cases[i].text = ""
		}
		for len(todo) > 0 {
			n, bytes := 0, int64(0)
			for ; n < len(todo); n++ {
				b := r.placeBytes(todo[n])
				if n > 0 && bytes+b > r.budget {
					break
				}
				bytes += b
			}
			batch := todo[:n]
			todo = todo[n:]
			if err := r.readBatch(ctx, q, batch); err != nil {
				return nil, err
			}
			all = append(all, h.episodes(r, batch)...)
			for _, p := range batch {
				for _, c := range r.places[p].cases {
					r.cases[c].text = ""
				}
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].placeKey != all[j].placeKey {
			return all[i].placeKey < all[j].placeKey
		}
		return all[i].from < all[j].from || all[i].from == all[j].from && all[i].firstCK < all[j].firstCK
	})
	return all, nil
}

// placeBytes is the bytes of the topicTexts of place p's cases.
func (r *hotRun) placeBytes(p int) int64 {
	var n int64
	for _, c := range r.places[p].cases {
		n += int64(r.cases[c].textLen)
	}
	return n
}

// episodes splits places ps (the largest first) into topics and returns their episodes, on all
// cores.
func (h *hotIssue) episodes(r *hotRun, ps []int) []hotEpisode {
	out := make([][]hotEpisode, len(ps))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(ps)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch ngramScratch
			for i := int(next.Add(1)) - 1; i < len(ps); i = int(next.Add(1)) - 1 {
				out[i] = h.placeEpisodes(r, ps[i], &scratch)
			}
		}()
	}
	wg.Wait()
	var all []hotEpisode
	for _, es := range out {
		all = append(all, es...)
	}
	return all
}

// placeEpisodes splits one place's cases into topics and cuts each topic into episodes.
func (h *hotIssue) placeEpisodes(r *hotRun, p int, scratch *ngramScratch) []hotEpisode {
	cases := append([]int(nil), r.places[p].cases...)
	sort.Slice(cases, func(i, j int) bool {
		a, b := &r.cases[cases[i]], &r.cases[cases[j]]
		if a.first != b.first {
			return a.first < b.first
		}
		return a.ck < b.ck
	})
	vs := make([]sparse, len(cases))
	for i, c := range cases {
		vs[i] = r.df.vectorWith(scratch.count(r.cases[c].text), scratch)
	}
	topic := splitTopics(vs, h.p.Similarity)
	byTopic := map[int][]int{}
	for i, t := range topic {
		byTopic[t] = append(byTopic[t], cases[i])
	}
	var out []hotEpisode
	for t := 0; t < len(byTopic); t++ {
		out = append(out, h.topicEpisodes(r, r.places[p].key, byTopic[t])...)
	}
	return out
}

// topicContact is a contact of a topic's case.
type topicContact struct {
	hotContact
	c int // index in hotRun.cases
}

// topicEpisodes cuts a place-topic's contacts into episodes, runs of contacts at most WindowDays
// apart, and keeps those that reach into the lookback with MinComplainants distinct
// complainants or more and pass the test.
func (h *hotIssue) topicEpisodes(r *hotRun, key string, cases []int) []hotEpisode {
	var ks []topicContact
	for _, c := range cases {
		for _, k := range r.cases[c].contacts {
			ks = append(ks, topicContact{k, c})
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].day != ks[j].day {
			return ks[i].day < ks[j].day
		}
		if ks[i].c != ks[j].c {
			return r.cases[ks[i].c].ck < r.cases[ks[j].c].ck
		}
		return ks[i].pk < ks[j].pk
	})
	var out []hotEpisode
	for start := 0; start < len(ks); {
		end := start + 1
		for end < len(ks) && ks[end].day-ks[end-1].day <= int32(h.p.WindowDays) {
			end++
		}
		if e, ok := h.episode(r, key, ks[:start], ks[start:end]); ok {
			out = append(out, e)
		}
		start = end
	}
	return out
}

// episode tests one run of contacts (before: the topic's earlier contacts) and makes its
// hotEpisode when it is kept.
func (h *hotIssue) episode(r *hotRun, key string, before, ks []topicContact) (hotEpisode, bool) {
	from, to := ks[0].day, ks[len(ks)-1].day
	if to < r.from || distinctPeople(ks) < h.p.MinComplainants {
		return hotEpisode{}, false
	}
	b := h.baselineOf(r, before, from)
	t, ok := h.check(b, distinctPeople(ks), int(to-from)+1)
	if !ok {
		return hotEpisode{}, false
	}
	e := hotEpisode{placeKey: key, from: from, to: to, flagged: to, needed: t.needed}
	// The day it became unusual: the first on which the people so far reach the count the test
	// needs of the days so far.
	seen := map[int64]bool{}
	for i, k := range ks {
		if k.pk != 0 {
			seen[k.pk] = true
		}
		if i+1 < len(ks) && ks[i+1].day == k.day || len(seen) < h.p.MinComplainants {
			continue
		}
		if _, ok := h.check(b, len(seen), int(k.day-from)+1); ok {
			e.flagged = k.day
			break
		}
	}
	var members []int
	inEp := map[int]bool{}
	for _, k := range ks {
		if !inEp[k.c] {
			inEp[k.c] = true
			members = append(members, k.c)
		}
	}
	first := members[0]
	for _, c := range members {
		e.cks = append(e.cks, r.cases[c].ck)
	}
	e.firstCK = r.cases[first].ck
	e.facts = h.episodeFacts(r, members, b, t)
	return e, true
}

func distinctPeople(ks []topicContact) int {
	seen := map[int64]bool{}
	for _, k := range ks {
		if k.pk != 0 {
			seen[k.pk] = true
		}
	}
	return len(seen)
}

// hotBaseline is what an episode is tested against: the daily distinct complainants of the
// topic over days days before it (their mean and variance), or, where the record before it is
// shorter than half of baseline_days, the board's typical place rate (days 0).
type hotBaseline struct {
	days           int
	mean, variance float64
}

// baselineOf sums up the topic's contacts before day from: the BaselineDays days before it, or
// as many of them as are on record.
func (h *hotIssue) baselineOf(r *hotRun, before []topicContact, from int32) hotBaseline {
	days := min(int32(h.p.BaselineDays), from-r.firstD)
	if days < int32(max(7, (h.p.BaselineDays+1)/2)) {
		return hotBaseline{mean: r.boardPD, variance: r.boardPD}
	}
	perDay := map[int32]map[int64]bool{}
	for _, k := range before {
		if k.day >= from-days && k.pk != 0 {
			if perDay[k.day] == nil {
				perDay[k.day] = map[int64]bool{}
			}
			perDay[k.day][k.pk] = true
		}
	}
	var sum, sq float64
	for _, ps := range perDay {
		n := float64(len(ps))
		sum += n
		sq += n * n
	}
	mean := sum / float64(days)
	return hotBaseline{days: int(days), mean: mean, variance: max(0, (sq-sum*mean)/float64(days-1))}
}

// check tests n distinct complainants in a span of the given days against the baseline.
func (h *hotIssue) check(b hotBaseline, n, span int) (waveTest, bool) {
	t := waveTest{needed: h.p.MinComplainants}
	test := h.test
	test.WindowDays = span
	test.BaselineDays = max(b.days, h.p.BaselineDays)
	if b.days > 0 {
		test.BaselineDays = b.days
	}
	if h.p.Alpha == 1 {
		test.Alpha = 0.5
	}
	a, alarm := test.Test(n, b.mean, b.variance)
	t.expected, t.pValue = math.Round(a.Expected*10)/10, significant(a.PValue, 2)
	if h.p.Alpha == 1 {
		return t, true
	}
	if alarm {
		t.needed = max(t.needed, int(a.Threshold))
	}
	return t, alarm
}

// episodeFacts are the facts of an episode only Go knows: the place as its cases write it most
// often (the longer of forms written as often), the context (district) written before it most
// often, its kind, the topic's words, and the test.
func (h *hotIssue) episodeFacts(r *hotRun, members []int, b hotBaseline, t waveTest) map[string]any {
	names, contexts, kinds := map[string]int{}, map[string]int{}, map[string]int{}
	texts := make([]string, 0, len(members))
	for _, c := range members {
		m := r.cases[c].primary
		names[m.name]++
		kinds[m.kind]++
		if m.context != "" {
			contexts[m.context]++
		}
		texts = append(texts, r.cases[c].text)
	}
	facts := map[string]any{
		"place": commonest(names), "context": commonest(contexts), "kind": commonest(kinds),
		"topic":    strings.Join(topicWords(texts, r.df, 3), "、"),
		"expected": t.expected, "p_value": t.pValue, "baseline_days": nil,
	}
	if b.days > 0 {
		facts["baseline_days"] = b.days
	}
	return facts
}

// commonest is the value counted most often, the longer then the smaller of those tied; "" for
// none.
func commonest(counts map[string]int) string {
	best, n := "", 0
	for s, c := range counts {
		if c > n || c == n && (len(s) > len(best) || len(s) == len(best) && s < best) {
			best, n = s, c
		}
	}
	return best
}
