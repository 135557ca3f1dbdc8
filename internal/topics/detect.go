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
	bits   []uint64     // the candidates' hashes' buckets (bucketBits), as bits
}

// winMsg is a window message: its Han text and the candidates it holds.
type winMsg struct {
	caseID, han, place string
	contacts           []Contact
	people             int
	cands              []int32 // sorted
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
	d.win = append(d.win, winMsg{caseID: m.CaseID, han: hanText(m.Text), place: m.Place, contacts: cs, people: people})
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
	// Pass 1: people per hashed bucket, an upper bound of each n-gram's distinct complainants.
	buckets := make([][]uint32, workers)
	runeBufs, gramBufs := make([][]rune, workers), make([][]gram, workers)
	d.parallel(len(d.win), func(w, i int) {
		if buckets[w] == nil {
			buckets[w] = make([]uint32, 1<<bucketBits)
		}
		m := &d.win[i]
		runeBufs[w] = hanRunes(m.han, runeBufs[w])
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
	// Pass 2: the n-grams of full buckets get an index, in the order first seen.
	d.index = map[uint64]int32{}
	const chunk = 4096
	found := make([][]gram, chunk)
	runes := make([][]rune, chunk)
	for lo := 0; lo < len(d.win); lo += chunk {
		hi := min(lo+chunk, len(d.win))
		d.parallel(hi-lo, func(_, i int) {
			runes[i] = hanRunes(d.win[lo+i].han, runes[i])
			gs := allGrams(runes[i], p.MinGram, p.MaxGram, found[i])
			keep := gs[:0]
			for _, g := range gs {
				if sum[g.h>>(64-bucketBits)] >= uint32(p.MinComplainants) {
					keep = append(keep, g)
				}
			}
			found[i] = distinct(keep)
		})
		for i := range hi - lo {
			m := &d.win[lo+i]
			m.cands = make([]int32, 0, len(found[i]))
			for _, g := range found[i] {
				c, ok := d.index[g.h]
				if !ok {
					c = int32(len(d.cands))
					d.index[g.h] = c
					d.cands = append(d.cands, cand{text: string(runes[i][g.start : g.start+int32(g.n)])})
				}
				m.cands = append(m.cands, c)
			}
			slices.Sort(m.cands)
		}
	}
	sum = nil
	// Distinct complainants per n-gram: each person's messages, a stamp per n-gram.
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
	stamp := make([]int32, len(d.cands))
	for i := range stamp {
		stamp[i] = -1
	}
	personNo := int32(0)
	for i, x := range pms {
		if i > 0 && x.person != pms[i-1].person {
			personNo++
		}
		for _, c := range d.win[x.msg].cands {
			if stamp[c] != personNo {
				stamp[c] = personNo
				d.cands[c].people++
			}
		}
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
	index := make(map[uint64]int32, len(kept)) // a new map: a Go map does not shrink
	for h, c := range d.index {
		if renum[c] >= 0 {
			index[h] = renum[c]
		}
	}
	d.index, d.cands = index, kept
	// A bit per candidate's hash, to pass over most of the baseline's n-grams without a lookup.
	d.bits = make([]uint64, 1<<(bucketBits-6))
	for h := range d.index {
		b := h >> (64 - bucketBits)
		d.bits[b>>6] |= 1 << (b & 63)
	}
	for i := range d.win {
		m := &d.win[i]
		out := m.cands[:0]
		for _, c := range m.cands {
			if renum[c] >= 0 {
				out = append(out, renum[c])
			}
		}
		m.cands = slices.Clone(out) // frees the longer list of every n-gram of full buckets
	}
	return len(d.cands)
}

// baseState is one worker's counts over the baseline.
type baseState struct {
	days              []uint16 // day*len(cands) + cand: people that day
	volume            []int    // people of all messages, per day
	msgs              []uint32 // baseline messages per candidate
	places, cats      [][4]uint64
	allPlaces, allCat [4]uint64
	n                 int // messages
	runes             []rune
	gs                []gram
	stamp             []int32 // the last message (seq) that counted each candidate
	seq               int32
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
			s = &baseState{days: make([]uint16, p.BaselineDays*nc), volume: make([]int, p.BaselineDays), msgs: make([]uint32, nc), stamp: make([]int32, nc),
				places: make([][4]uint64, nc), cats: make([][4]uint64, nc)}
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
			if b := g.h >> (64 - bucketBits); d.bits[b>>6]&(1<<(b&63)) == 0 {
				continue
			}
			c, ok := d.index[g.h]
			if !ok || s.stamp[c] == s.seq {
				continue
			}
			s.stamp[c] = s.seq // once per message
			s.msgs[c]++
			setBit(&s.places[c], pb)
			setBit(&s.cats[c], cb)
			for _, x := range dps {
				k := int(x.day)*nc + int(c)
				if s.days[k] < 1<<16-1 {
					s.days[k]++
				}
			}
		}
	})
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
	nc := len(d.cands)
	out := &baseState{days: make([]uint16, d.p.BaselineDays*nc), volume: make([]int, d.p.BaselineDays), msgs: make([]uint32, nc),
		places: make([][4]uint64, nc), cats: make([][4]uint64, nc)}
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
		for c := range nc {
			out.msgs[c] += s.msgs[c]
			for i := range 4 {
				out.places[c][i] |= s.places[c][i]
				out.cats[c][i] |= s.cats[c][i]
			}
		}
	}
	d.states = nil
	return out
}
