package synth

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Planning the message board: who writes about which place and topic, when. The text is
// rendered only when the rows are written (board.go), from each matter's seed.

// boardMatter is one writer's matter: one place, one topic, one or more posts.
type boardMatter struct {
	seed   uint64
	place  int32
	user   int32
	first  int32 // day of the first post
	topic  int16 // -1 until assigned
	issue  int16 // planted hot issue, or -1
	decoy  bool  // written about a decoy place as its own place
	writer bool  // by a frequent writer
}

// boardMsg is one post.
type boardMsg struct {
	sec      int64 // posted: seconds after the start
	lag      int32 // reply lag in seconds; < 0: never answered
	matter   int32
	landmark int16 // decoy place (index into boardPlan.decoys) named as a landmark, or -1
	seq      uint8 // 0: the matter's first post
	edit     uint8 // a repeat's subject: 0 the same, else edited
	id       int64 // 留言编号, set once sorted
}

type hotIssue struct {
	place    int32
	topic    int16
	landmark int16
	facts    [8]int
	subj     []uint8 // the indices of the topic's subject tails, core and detail sentences it uses
	core     []uint8
	detail   []uint8
}

type boardPlan struct {
	cfg       Config
	last      int // the last day
	geo       *boardGeo
	decoys    []int32 // places
	matters   []boardMatter
	msgs      []boardMsg
	issues    []hotIssue
	writers   []int32 // users
	users     int32
	relaxed   int     // background matters placed without the caps
	hotTopic  []int16 // per place: the topic of its hot issue, or -1
	hist      [][]uint32
	kindTopic [nPlaceKinds][]int
	kindCum   [nPlaceKinds][]float64
	placeCum  []float64 // Zipf-ish popularity of the ordinary places
	r         *rand.Rand
}

var hourWeights = cumulative([]float64{1, .5, .3, .2, .2, .3, .8, 1.5, 3, 4, 4, 3.5, 2.5, 3, 3.5, 3.5, 3.2, 2.8, 2.5, 2.8, 3, 2.8, 2.2, 1.5})

func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		out[i] = s
	}
	return out
}

func planBoard(ctx context.Context, cfg Config) (*boardPlan, error) {
	n := cfg.Cases
	p := &boardPlan{cfg: cfg, last: cfg.Days - 1, r: newRand(cfg.Seed, 1401)}
	r := p.r
	scale := float64(n) / 20000
	nDecoys := max(4, int(math.Round(4*scale)))
	p.geo = newBoardGeo(r, max(600, n/6), nDecoys)
	nOrdinary := len(p.geo.places) - nDecoys
	for i := nOrdinary; i < len(p.geo.places); i++ {
		p.decoys = append(p.decoys, int32(i))
	}
	p.hotTopic = make([]int16, len(p.geo.places))
	for i := range p.hotTopic {
		p.hotTopic[i] = -1
	}
	p.hist = make([][]uint32, len(p.geo.places))
	for ti, t := range boardTopics {
		for _, k := range t.kinds {
			p.kindTopic[k] = append(p.kindTopic[k], ti)
			w := float64(t.weight)
			if c := p.kindCum[k]; len(c) > 0 {
				w += c[len(c)-1]
			}
			p.kindCum[k] = append(p.kindCum[k], w)
		}
	}
	perm := r.Perm(nOrdinary)
	p.placeCum = make([]float64, nOrdinary)
	s := 0.0
	for i := range nOrdinary {
		s += math.Pow(float64(perm[i]+20), -0.8)
		p.placeCum[i] = s
	}

	p.plantHotIssues(int(math.Round(scale * (15 + 15*r.Float64()))))
	budget := n - len(p.msgs)
	nWriters := max(2, int(math.Round(scale*(3+3*r.Float64()))))
	for range nWriters {
		if budget < 60 {
			break
		}
		u := p.newUser()
		p.writers = append(p.writers, u)
		for range 10 + r.IntN(31) {
			m := p.newMatter(-1, u, int32(r.IntN(p.last+1)))
			p.matters[m].writer = true
			p.post(m, 0, 0)
			budget--
		}
	}
	for range int(0.03 * float64(n)) {
		if budget < 1 {
			break
		}
		m := p.newMatter(p.decoys[r.IntN(len(p.decoys))], p.newUser(), p.backgroundDay())
		p.matters[m].decoy = true
		p.post(m, 0, 0)
		budget--
	}
	for budget > 0 {
		u := int32(-1)
		if p.users > 100 && r.IntN(33) == 0 {
			u = int32(r.IntN(int(p.users)))
		} else {
			u = p.newUser()
		}
		m := p.newMatter(-1, u, p.backgroundDay())
		budget -= p.postWithRepeats(m, budget)
		if m%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	p.assign()
	p.landmarks()
	p.finish()
	return p, ctx.Err()
}

func (p *boardPlan) newUser() int32 {
	p.users++
	return p.users - 1
}

func (p *boardPlan) newMatter(place int32, user int32, day int32) int32 {
	p.matters = append(p.matters, boardMatter{seed: p.r.Uint64(), place: place, user: user, first: day, topic: -1, issue: -1})
	return int32(len(p.matters) - 1)
}

// post adds a post of matter m on day first+offset.
func (p *boardPlan) post(m int32, seq uint8, offset int) {
	day := int64(p.matters[m].first) + int64(offset)
	sec := day*86400 + int64(pick(p.r, hourWeights))*3600 + int64(p.r.IntN(3600))
	edit := uint8(0)
	if seq > 0 && p.r.IntN(2) == 0 {
		edit = uint8(1 + p.r.IntN(3))
	}
	p.msgs = append(p.msgs, boardMsg{sec: sec, matter: m, landmark: -1, seq: seq, edit: edit})
}

// postWithRepeats posts matter m once, and one time in 16 one or two more times within 40
// days (never after the last day); it returns the number of posts, at most budget.
func (p *boardPlan) postWithRepeats(m int32, budget int) int {
	p.post(m, 0, 0)
	k := 1
	if p.r.IntN(16) == 0 {
		off := 0
		for seq := range 1 + p.r.IntN(2) {
			off += 3 + p.r.IntN(20)
			if k >= budget || int(p.matters[m].first)+off > p.last {
				break
			}
			p.post(m, uint8(seq+1), off)
			k++
		}
	}
	return k
}

// backgroundDay draws a day, weekends a little quieter.
func (p *boardPlan) backgroundDay() int32 {
	for {
		d := p.r.IntN(p.last + 1)
		wd := p.cfg.Start.AddDate(0, 0, d).Weekday()
		if (wd != 0 && wd != 6) || p.r.IntN(10) < 7 {
			return int32(d)
		}
	}
}

// plantHotIssues plants h hot issues: each a place and a topic that 10 to 60 distinct users
// write about within 5 days to 4 months, some of them more than once.
func (p *boardPlan) plantHotIssues(h int) {
	r := p.r
	h = max(2, h)
	nOrdinary := len(p.placeCum)
	for range h {
		var pl int32
		for {
			pl = int32(r.IntN(nOrdinary))
			if p.hotTopic[pl] < 0 {
				break
			}
		}
		k := p.geo.places[pl].kind
		ti := p.kindTopic[k][pick(r, p.kindCum[k])]
		p.hotTopic[pl] = int16(ti)
		is := hotIssue{place: pl, topic: int16(ti), landmark: -1}
		if r.IntN(10) < 3 && k != kRoad {
			is.landmark = int16(r.IntN(len(p.decoys)))
		}
		for i := range is.facts {
			is.facts[i] = []int{2 + r.IntN(8), 10 + r.IntN(90), 10 * (20 + r.IntN(480)), 12 + r.IntN(30), 3 + r.IntN(12), 1 + r.IntN(12), 2 + r.IntN(17), 0}[i]
		}
		t := boardTopics[ti]
		is.subj, is.core, is.detail = subset(r, len(t.subj)), subset(r, len(t.core)), subset(r, len(t.detail))
		idx := int16(len(p.issues))
		p.issues = append(p.issues, is)

		users := 10 + int(math.Min(50, math.Floor(math.Exp(2.3+0.6*r.NormFloat64()))))
		users = min(60, max(10, users))
		var span int
		switch x := r.IntN(10); {
		case x < 4:
			span = 5 + r.IntN(10) // dense: within two weeks
		case x < 7:
			span = 20 + r.IntN(40)
		default:
			span = 90 + r.IntN(31) // spread over three to four months
		}
		span = min(span, p.last/2)
		lo := min(30, p.last/6)
		start := lo + r.IntN(max(1, p.last-span-lo+1))
		for range users {
			off := int(float64(span) * math.Pow(r.Float64(), 1.3))
			m := p.newMatter(pl, p.newUser(), int32(start+off))
			p.matters[m].topic, p.matters[m].issue = int16(ti), idx
			p.post(m, 0, 0)
			p.note(pl, ti, start+off)
			if r.IntN(6) == 0 {
				rep := 3 + r.IntN(25)
				if start+off+rep <= p.last {
					p.post(m, 1, rep)
					p.note(pl, ti, start+off+rep)
				}
			}
		}
	}
}

// subset draws about 60% of n indices (at least one).
func subset(r *rand.Rand, n int) []uint8 {
	perm := r.Perm(n)
	k := max(1, (n*6+9)/10)
	out := make([]uint8, k)
	for i := range k {
		out[i] = uint8(perm[i])
	}
	slices.Sort(out)
	return out
}

func (p *boardPlan) note(place int32, topic int, day int) {
	p.hist[place] = append(p.hist[place], uint32(day)<<8|uint32(topic))
}

// fits says whether a background post on place about topic on day keeps the place under the
// caps: no more than 4 other posts within 15 days either side (ordinary places), no more than 2
// on the same topic within 45 days either side, and never the topic of the place's hot issue.
func (p *boardPlan) fits(place int32, topic int, day int) bool {
	if int(p.hotTopic[place]) == topic {
		return false
	}
	decoy := p.geo.places[place].decoy
	near, same := 0, 0
	for _, e := range p.hist[place] {
		d := int(e >> 8)
		dist := max(d-day, day-d)
		if dist <= 15 {
			near++
		}
		if int(e&0xff) == topic && dist <= 45 {
			same++
		}
	}
	return (decoy || near < 5) && same < 3
}

// assign gives the matters without a place or topic one each, in order of their first post,
// under the caps (fits).
func (p *boardPlan) assign() {
	order := make([]int32, 0, len(p.matters))
	for i := range p.matters {
		if p.matters[i].topic < 0 {
			order = append(order, int32(i))
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return p.matters[order[a]].first < p.matters[order[b]].first })
	postsOf := p.postDays()
	r := p.r
	for _, mi := range order {
		m := &p.matters[mi]
		day := int(m.first)
		if m.decoy {
			k := p.geo.places[m.place].kind
			topics := p.kindTopic[k]
			for _, j := range r.Perm(len(topics)) {
				if p.fits(m.place, topics[j], day) {
					m.topic = int16(topics[j])
					break
				}
			}
			if m.topic >= 0 {
				p.noteAll(mi, postsOf)
				continue
			}
			// the decoy is full: an ordinary matter that names it as a landmark
			p.msgs[postsOf[mi][0]].landmark = int16(slices.Index(p.decoys, m.place))
			m.decoy, m.place = false, -1
		}
		placed := false
		for range 40 {
			var pl int32
			if m.writer {
				pl = int32(r.IntN(len(p.placeCum)))
			} else {
				pl = int32(pick(r, p.placeCum))
			}
			k := p.geo.places[pl].kind
			ti := p.kindTopic[k][pick(r, p.kindCum[k])]
			if p.fits(pl, ti, day) {
				m.place, m.topic, placed = pl, int16(ti), true
				break
			}
		}
		if !placed {
			p.relaxed++
			for {
				pl := int32(r.IntN(len(p.placeCum)))
				k := p.geo.places[pl].kind
				ti := p.kindTopic[k][pick(r, p.kindCum[k])]
				if int(p.hotTopic[pl]) != ti {
					m.place, m.topic = pl, int16(ti)
					break
				}
			}
		}
		p.noteAll(mi, postsOf)
	}
}

// postDays lists each matter's posts (indices into msgs).
func (p *boardPlan) postDays() [][]int32 {
	out := make([][]int32, len(p.matters))
	for i, m := range p.msgs {
		out[m.matter] = append(out[m.matter], int32(i))
	}
	return out
}

func (p *boardPlan) noteAll(mi int32, postsOf [][]int32) {
	m := p.matters[mi]
	for _, i := range postsOf[mi] {
		p.note(m.place, int(m.topic), int(p.msgs[i].sec/86400))
	}
}

// landmarks names a decoy place as a landmark in about 4% of the background's first posts and
// in half the posts of a hot issue that has one.
func (p *boardPlan) landmarks() {
	r := p.r
	for i := range p.msgs {
		msg := &p.msgs[i]
		m := p.matters[msg.matter]
		switch k := p.geo.places[m.place].kind; {
		case msg.landmark >= 0:
		case m.issue >= 0:
			if l := p.issues[m.issue].landmark; l >= 0 && r.IntN(2) == 0 {
				msg.landmark = l
			}
		case !m.decoy && !m.writer && k != kRoad && k != kSquare && r.IntN(25) == 0:
			msg.landmark = int16(r.IntN(len(p.decoys)))
		}
	}
}

// finish sorts the posts by time, numbers them and draws the reply lags: log-normal with a
// median of 11 days and a 90th percentile of about 41; a post whose reply would fall after the
// last day, and one in 60 others, is never answered.
func (p *boardPlan) finish() {
	r := p.r
	for i := range p.msgs {
		lag := math.Exp(math.Log(11*86400) + 1.03*r.NormFloat64())
		lag = max(lag, 3600+float64(r.IntN(7200)))
		msg := &p.msgs[i]
		if r.IntN(60) == 0 || float64(msg.sec)+lag >= float64(p.last+1)*86400 || lag > math.MaxInt32 {
			msg.lag = -1
		} else {
			msg.lag = int32(lag)
		}
	}
	sort.SliceStable(p.msgs, func(a, b int) bool { return p.msgs[a].sec < p.msgs[b].sec })
	id := int64(1000 + r.IntN(2000))
	for i := range p.msgs {
		p.msgs[i].id = id
		id += 1 + int64(r.IntN(4))
	}
}
