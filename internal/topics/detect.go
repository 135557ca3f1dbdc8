package topics

import (
	"cmp"
	"math/bits"
	"slices"
	"sync"
)

// bucketBits sizes the hashed counts of the window's first pass: 2^22 buckets of 4 bytes.
const bucketBits = 22

// Detector finds the emerging topics of one window. Give it the window's messages (AddWindow),
// call EndWindow, give it the baseline's messages (AddBaseline, as many batches as needed), then
// call Topics. It is not safe for concurrent use; AddBaseline and EndWindow use Workers
// goroutines themselves.
type Detector struct {
	p      Params
	win    []winMsg
	index  map[uint64]int32 // a candidate n-gram's hash → its index in cands
	cands  []cand
	states []*baseState // one per worker, merged by Topics
	tests  int          // n-grams tested (Bonferroni): those of enough people and no name
	// slots holds, per bucket (bucketBits of the hash), 1 + the index of the only candidate in
	// it, 0 for none, -1 for several (then index tells): most n-grams are told without a lookup.
	slots  []int32
	hashes []uint64 // the candidates' hashes
}

// winMsg is a window message: its text until EndWindow, then its Han text (joinHan). The
// candidates it holds are found again from it when needed, not kept.
type winMsg struct {
	caseID, text, han, place string
	contacts                 []Contact
	people                   int
}

// cand is a candidate n-gram and its window counts.
type cand struct {
	text   string
	people int
}

// New returns a Detector for p; p must validate.
func New(p Params) (*Detector, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Detector{p: p}, nil
}

// AddWindow adds a message of the window: its contacts are those on days 0 .. WindowDays-1.
func (d *Detector) AddWindow(m Message) {
	cs := slices.DeleteFunc(slices.Clone(m.Contacts), func(c Contact) bool { return c.Day < 0 || c.Day >= int32(d.p.WindowDays) })
	slices.SortFunc(cs, func(a, b Contact) int { return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(a.Day, b.Day)) })
	people := 0
	for i, c := range cs {
		if i == 0 || c.Person != cs[i-1].Person {
			people++
		}
	}
	if people == 0 {
		return
	}
	d.win = append(d.win, winMsg{caseID: m.CaseID, text: m.Text, place: m.Place, contacts: cs, people: people})
}

// parallel runs f(w, i) for i in 0..n-1 on the detector's workers, worker w taking every
// workers-th i from w.
func (d *Detector) parallel(n int, f func(w, i int)) {
	workers := min(d.p.workers(), max(1, n/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// EndWindow finds the candidates: the n-grams with at least MinComplainants distinct
// complainants in the window, no person's name among them. It returns how many there are; with
// none, nothing can burst and the baseline need not be read.
func (d *Detector) EndWindow() int {
	p := d.p
	workers := min(p.workers(), max(1, len(d.win)/64))
	// Pass 1: each message's Han text (the form phrases are looked for in), and people per hashed
	// bucket, an upper bound of each n-gram's distinct complainants.
	buckets := make([][]uint32, workers)
	runeBufs, gramBufs := make([][]rune, workers), make([][]gram, workers)
	d.parallel(len(d.win), func(w, i int) {
		if buckets[w] == nil {
			buckets[w] = make([]uint32, 1<<bucketBits)
		}
		m := &d.win[i]
		runeBufs[w] = hanRunes(m.text, runeBufs[w])
		m.han, m.text = joinHan(runeBufs[w]), ""
		gramBufs[w] = allGrams(runeBufs[w], p.MinGram, p.MaxGram, gramBufs[w])
		// Repeats count again: still an upper bound, and no sorting.
		for _, g := range gramBufs[w] {
			buckets[w][g.h>>(64-bucketBits)] += uint32(m.people)
		}
	})
	sum := buckets[0]
	for _, b := range buckets[1:] {
		if b != nil {
			for i, n := range b {
				sum[i] += n
			}
		}
	}
	buckets = nil
	// Pass 2: the n-grams of full buckets, numbered. The workers find each message's n-grams in
	// turn, then number them apart: worker w numbers the n-grams of shard w (their hash modulo
	// workers) in the order first seen.
	shards := make([]gramShard, workers)
	for w := range shards {
		shards[w].index = map[uint64]int32{}
	}
	const chunk = 4096
	found := make([][]gram, chunk)
	runes := make([][]rune, chunk)
	// fullGrams finds, for i < n, message msg(i)'s n-grams of full buckets (found[i], in its
	// Han runes runes[i]).
	fullGrams := func(n int, msg func(i int) int32) {
		d.parallel(n, func(_, i int) {
			runes[i] = hanRunes(d.win[msg(i)].han, runes[i])
			gs := allGrams(runes[i], p.MinGram, p.MaxGram, found[i])
			keep := gs[:0]
			for _, g := range gs {
				if sum[g.h>>(64-bucketBits)] >= uint32(p.MinComplainants) {
					keep = append(keep, g)
				}
			}
			found[i] = keep
		})
	}
	// shardsDo runs f(w, sh) for each shard on a goroutine of its own.
	shardsDo := func(f func(w int, sh *gramShard)) {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() { f(w, &shards[w]) })
		}
		wg.Wait()
	}
	for lo := 0; lo < len(d.win); lo += chunk {
		hi := min(lo+chunk, len(d.win))
		fullGrams(hi-lo, func(i int) int32 { return int32(lo + i) })
		shardsDo(func(w int, sh *gramShard) {
			for i := range hi - lo {
				for _, g := range found[i] {
					if g.h%uint64(workers) != uint64(w) {
						continue
					}
					if _, ok := sh.index[g.h]; !ok {
						sh.index[g.h] = int32(len(sh.cands))
						sh.cands = append(sh.cands, cand{text: string(runes[i][g.start : g.start+int32(g.n)])})
					}
				}
			}
		})
	}
	// Distinct complainants per n-gram: each person's messages in turn, their n-grams found
	// again (no message keeps its list: at a province's window they would hold gigabytes), a
	// stamp per n-gram.
	type pm struct {
		person int64
		msg    int32
	}
	var pms []pm
	for i, m := range d.win {
		for j, c := range m.contacts {
			if j == 0 || c.Person != m.contacts[j-1].Person {
				pms = append(pms, pm{c.Person, int32(i)})
			}
		}
	}
	slices.SortFunc(pms, func(a, b pm) int { return cmp.Or(cmp.Compare(a.person, b.person), cmp.Compare(a.msg, b.msg)) })
	personNo, no := make([]int32, len(pms)), int32(0)
	for i := range pms {
		if i > 0 && pms[i].person != pms[i-1].person {
			no++
		}
		personNo[i] = no
	}
	for w := range shards {
		shards[w].stamp = slices.Repeat([]int32{-1}, len(shards[w].cands))
	}
	for lo := 0; lo < len(pms); lo += chunk {
		hi := min(lo+chunk, len(pms))
		fullGrams(hi-lo, func(i int) int32 { return pms[lo+i].msg })
		shardsDo(func(w int, sh *gramShard) {
			for i := range hi - lo {
				no := personNo[lo+i]
				for _, g := range found[i] {
					if g.h%uint64(workers) != uint64(w) {
						continue
					}
					if c := sh.index[g.h]; sh.stamp[c] != no {
						sh.stamp[c] = no
						sh.cands[c].people++
					}
				}
			}
		})
	}
	sum, pms, personNo = nil, nil, nil
	// The shards' numbers become one: shard w's follow those of the shards before it.
	offset := make([]int32, workers+1)
	for w, sh := range shards {
		offset[w+1] = offset[w] + int32(len(sh.cands))
		d.cands = append(d.cands, sh.cands...)
	}
	// The n-grams with enough people and no name are the tests; of them, those whose window
	// could alarm even over an empty baseline (the lowest expectation, hence the smallest p
	// value, any baseline gives) are kept, renumbered.
	d.tests = 0
	for _, c := range d.cands {
		if c.people >= p.MinComplainants && !HasPersonName(c.text) {
			d.tests++
		}
	}
	floor := p.MinComplainants
	if d.tests > 0 {
		t := p.test(p.BaselineDays)
		t.Alpha = p.Alpha / float64(d.tests)
		if a, alarm := t.Test(1<<30, 0, 0); alarm {
			floor = max(floor, int(a.Threshold))
		}
	}
	renum := make([]int32, len(d.cands))
	var kept []cand
	for i, c := range d.cands {
		renum[i] = -1
		if c.people >= floor && !HasPersonName(c.text) {
			renum[i] = int32(len(kept))
			kept = append(kept, c)
		}
	}
	d.index = make(map[uint64]int32, len(kept))
	for w, sh := range shards {
		for h, c := range sh.index {
			if r := renum[offset[w]+c]; r >= 0 {
				d.index[h] = r
			}
		}
	}
	d.cands = kept
	// Each candidate in its bucket's slot, to pass over most of the baseline's n-grams without a
	// lookup.
	d.slots, d.hashes = make([]int32, 1<<bucketBits), make([]uint64, len(d.cands))
	for h, c := range d.index {
		d.hashes[c] = h
		b := h >> (64 - bucketBits)
		if d.slots[b] == 0 {
			d.slots[b] = c + 1
		} else {
			d.slots[b] = -1
		}
	}
	return len(d.cands)
}

// gramShard is one worker's share of the window's n-grams of full buckets (EndWindow): their
// numbers, first seen first, and the last person (in EndWindow's order) counted for each.
type gramShard struct {
	index map[uint64]int32
	cands []cand
	stamp []int32
}

// baseState is one worker's counts over the baseline. A candidate's counts lie together (cands[c]
// and days[c*BaselineDays:]), as a message touches each of its candidates once.
type baseState struct {
	cands             []baseCand
	days              []uint16 // c*BaselineDays + day: people that day
	volume            []int    // people of all messages, per day
	allPlaces, allCat [4]uint64
	n                 int // messages
	runes             []rune
	gs                []gram
	seq               int32
}

// baseCand is one candidate's counts over the baseline.
type baseCand struct {
	stamp        int32  // the last message (seq) that counted it
	msgs         uint32 // baseline messages
	places, cats [4]uint64
}

func newBaseState(nc, days int) *baseState {
	return &baseState{cands: make([]baseCand, nc), days: make([]uint16, nc*days), volume: make([]int, days)}
}

// AddBaseline adds a batch of the baseline's messages: their contacts on days WindowDays ..
// WindowDays+BaselineDays-1 count (others are ignored). Call it after EndWindow.
func (d *Detector) AddBaseline(batch []Message) {
	p, nc := d.p, len(d.cands)
	if nc == 0 {
		return
	}
	for len(d.states) < p.workers() {
		d.states = append(d.states, nil)
	}
	d.parallel(len(batch), func(w, i int) {
		s := d.states[w]
		if s == nil {
			s = newBaseState(nc, p.BaselineDays)
			d.states[w] = s
		}
		m := &batch[i]
		// The message's people per baseline day.
		type dp struct {
			day    int32
			person int64
		}
		var dps []dp
		for _, c := range m.Contacts {
			if day := c.Day - int32(p.WindowDays); day >= 0 && day < int32(p.BaselineDays) {
				dps = append(dps, dp{day, c.Person})
			}
		}
		if len(dps) == 0 {
			return
		}
		slices.SortFunc(dps, func(a, b dp) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.person, b.person)) })
		dps = slices.Compact(dps)
		s.n++
		pb, cb := d.bit(m.Place), d.bit(m.Category)
		setBit(&s.allPlaces, pb)
		setBit(&s.allCat, cb)
		for _, x := range dps {
			s.volume[x.day]++
		}
		s.runes = hanRunes(m.Text, s.runes)
		s.gs = allGrams(s.runes, p.MinGram, p.MaxGram, s.gs)
		s.seq++
		for _, g := range s.gs {
			c, ok := d.lookup(g.h)
			if !ok {
				continue
			}
			bc := &s.cands[c]
			if bc.stamp == s.seq {
				continue
			}
			bc.stamp = s.seq // once per message
			bc.msgs++
			setBit(&bc.places, pb)
			setBit(&bc.cats, cb)
			row := s.days[int(c)*p.BaselineDays : int(c+1)*p.BaselineDays]
			for _, x := range dps {
				if row[x.day] < 1<<16-1 {
					row[x.day]++
				}
			}
		}
	})
}

// lookup is the candidate of the n-gram of hash h, if it is one. Most n-grams are told by their
// bucket's slot alone.
func (d *Detector) lookup(h uint64) (int32, bool) {
	c := d.slots[h>>(64-bucketBits)] - 1
	switch {
	case c == -1:
		return 0, false
	case c >= 0:
		return c, d.hashes[c] == h
	default:
		c, ok := d.index[h]
		return c, ok
	}
}

// postings adds to each candidate's list in want the window messages that hold it, in order.
// The messages' n-grams are found again (EndWindow keeps no message's list).
func (d *Detector) postings(want map[int32][]int32) {
	if len(want) == 0 {
		return
	}
	const chunk = 4096
	runes, found := make([][]rune, chunk), make([][]gram, chunk)
	for lo := 0; lo < len(d.win); lo += chunk {
		hi := min(lo+chunk, len(d.win))
		d.parallel(hi-lo, func(_, i int) {
			runes[i] = hanRunes(d.win[lo+i].han, runes[i])
			found[i] = allGrams(runes[i], d.p.MinGram, d.p.MaxGram, found[i])
		})
		for i := range hi - lo {
			msg := int32(lo + i)
			for _, g := range found[i] {
				if c, ok := d.lookup(g.h); ok {
					if list, in := want[c]; in && (len(list) == 0 || list[len(list)-1] != msg) {
						want[c] = append(list, msg)
					}
				}
			}
		}
	}
}

// bit is a value's bit of a 256-bit set; -1 for none.
func (d *Detector) bit(v string) int {
	if v == "" {
		return -1
	}
	h := uint64(fnvOffset)
	for i := range len(v) {
		h = (h ^ uint64(v[i])) * fnvPrime
	}
	return int(h >> 56)
}

func setBit(s *[4]uint64, b int) {
	if b >= 0 {
		s[b>>6] |= 1 << (b & 63)
	}
}

func count(s [4]uint64) int {
	return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) + bits.OnesCount64(s[2]) + bits.OnesCount64(s[3])
}

// merged sums the workers' baseline counts into one state.
func (d *Detector) merged() *baseState {
	out := newBaseState(len(d.cands), d.p.BaselineDays)
	for _, s := range d.states {
		if s == nil {
			continue
		}
		out.n += s.n
		for i := range 4 {
			out.allPlaces[i] |= s.allPlaces[i]
			out.allCat[i] |= s.allCat[i]
		}
		for i, v := range s.volume {
			out.volume[i] += v
		}
		for i, v := range s.days {
			out.days[i] = uint16(min(int(out.days[i])+int(v), 1<<16-1))
		}
		for c := range s.cands {
			o, x := &out.cands[c], &s.cands[c]
			o.msgs += x.msgs
			for i := range 4 {
				o.places[i] |= x.places[i]
				o.cats[i] |= x.cats[i]
			}
		}
	}
	d.states = nil
	return out
}
