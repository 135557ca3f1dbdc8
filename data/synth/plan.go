package synth

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Channel and level indices, in the order of data.Channels and data.Levels.
const (
	chLetter uint8 = iota
	chVisit
	chOnline
	chPhone
)

const (
	lvCounty uint8 = iota
	lvCity
	lvProvince
	lvNational
)

var (
	channelCodes = [...]string{"letter", "visit", "online", "phone"}
	levelCodes   = [...]string{"county", "city", "province", "national"}
)

// contact is one contact of a case; its person is the case's complainant.
type contact struct {
	day                  uint16
	channel, level, head uint8
}

// dropped marks a background follow-up contact thinned away to meet Config.Contacts.
const dropped = ^uint16(0)

// caseRec is one planned case; planted cases come first (below planner.bgFirst). Its events and contacts are p.events[ev0:ev0+nev] and
// p.contacts[ct0:ct0+nct], sorted by day, none after the last day.
type caseRec struct {
	day            uint16
	town           uint16
	cat            uint8
	village        int8 // index into the township's villages; -1: none
	channel, level uint8
	head           uint8
	letter         uint8  // letter number within its copied group
	stratum        uint32 // index into county.strata
	unit           int32
	person         uint32
	copied         int32 // 1 + index into planner.copies; 0: own text
	ev0, ct0       uint32
	nev, nct       uint8
}

// planner lays out every case, event and contact before anything is written.
type planner struct {
	cfg     Config
	cty     *county
	r       *rand.Rand
	last    int // last day index; the as-of day
	dayCum  [nCategories][]float64
	weekend []bool

	cases    []caseRec
	events   []event
	contacts []contact
	load     load
	truth    []truth
	copies   []copiedText
	text     *texts

	persons   uint32
	bgFirst   int // index of the first background case
	relaxed   int // background cases placed without the stratum limit
	unchecked bool

	evBuf []event
	ctBuf []contact
}

// Random streams; each consumer has its own so that one's draws never shift another's.
const (
	streamCounty = iota + 1
	streamPlan
	streamText
	streamExtra
	streamLetter
)

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream*0x9E3779B97F4A7C15))
}

func newPlanner(cfg Config) *planner {
	p := &planner{
		cfg:  cfg,
		cty:  newCounty(newRand(cfg.Seed, streamCounty), cfg.Cases*365/cfg.Days),
		r:    newRand(cfg.Seed, streamPlan),
		last: cfg.Days - 1,
		text: &texts{r: newRand(cfg.Seed, streamText), seen: make(map[uint64]struct{}, cfg.Cases)},
	}
	p.load = load{days: cfg.Days, n: make([]uint8, len(p.cty.strata)*cfg.Days)}
	p.weekend = make([]bool, cfg.Days)
	for k := range nCategories {
		p.dayCum[k] = make([]float64, cfg.Days)
	}
	for d := range cfg.Days {
		t := cfg.Start.AddDate(0, 0, d)
		wd := t.Weekday()
		p.weekend[d] = wd == time.Saturday || wd == time.Sunday
		for k := range nCategories {
			prev := 0.0
			if d > 0 {
				prev = p.dayCum[k][d-1]
			}
			p.dayCum[k][d] = prev + weekdayWeight[wd]*categories[k].months[t.Month()-1]
		}
	}
	return p
}

// plan lays out the planted events first, so that they claim their strata, then the background.
func (p *planner) plan(ctx context.Context) error {
	if err := p.plantAll(); err != nil {
		return err
	}
	p.bgFirst = len(p.cases)
	n := p.cfg.Cases - len(p.cases)
	if n < 1 {
		return i18n.Errorf("synth.no_background", p.cfg.Cases, len(p.cases))
	}
	for i := range n {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		p.background(i == 0)
	}
	return p.thin()
}

// commit stores a case with its events and contacts, dropping any dated after the last day,
// and returns its plan index.
func (p *planner) commit(c caseRec, evs []event, cts []contact) int {
	sortEvents(evs)
	slices.SortStableFunc(cts, func(a, b contact) int { return int(a.day) - int(b.day) })
	c.ev0, c.ct0 = uint32(len(p.events)), uint32(len(p.contacts))
	for _, e := range evs {
		if int(e.day) <= p.last {
			p.events = append(p.events, e)
		}
	}
	for _, x := range cts {
		if int(x.day) <= p.last {
			p.contacts = append(p.contacts, x)
		}
	}
	c.nev = uint8(len(p.events) - int(c.ev0))
	c.nct = uint8(len(p.contacts) - int(c.ct0))
	p.cases = append(p.cases, c)
	return len(p.cases) - 1
}

func (p *planner) caseEvents(c *caseRec) []event {
	return p.events[c.ev0 : c.ev0+uint32(c.nev)]
}

func (p *planner) caseContacts(c *caseRec) []contact {
	return p.contacts[c.ct0 : c.ct0+uint32(c.nct)]
}

// newCase draws the attributes of a case of category k in township t and stratum st received
// on day: a new complainant, a village, a responsible unit, channel, level and head count.
func (p *planner) newCase(t, k, st, day int) caseRec {
	r := p.r
	c := caseRec{day: uint16(day), town: uint16(t), cat: uint8(k), stratum: uint32(st), village: -1,
		unit: p.cty.pickUnit(r, t, k), person: p.newPerson()}
	if v := p.cty.strata[st].village; v >= 0 {
		c.village = v
	} else if r.IntN(50) > 0 {
		c.village = int8(r.IntN(len(p.cty.towns[t].villages)))
	}
	c.channel = p.channel(day, []int{25, 30, 35, 10})
	c.level = uint8(pick(r, levelCum))
	c.head = uint8(1 + pick(r, headCum))
	return c
}

var (
	levelCum = []float64{86, 95, 99, 100}
	headCum  = []float64{82, 91, 96, 100} // head counts 1-4; background never reaches 5
)

// channel draws a channel with weights for letter, visit, online and phone; at weekends the
// office takes matters online and by phone only.
func (p *planner) channel(day int, w []int) uint8 {
	if p.weekend[day] {
		return []uint8{chOnline, chOnline, chOnline, chPhone}[p.r.IntN(4)]
	}
	x := p.r.IntN(w[0] + w[1] + w[2] + w[3])
	for i, wi := range w {
		if x < wi {
			return uint8(i)
		}
		x -= wi
	}
	return chPhone
}

func (p *planner) newPerson() uint32 {
	p.persons++
	return p.persons - 1
}

// background plans one ordinary case: received on a day drawn from its category's seasonal
// profile (pinned to the last day when onLast), answered on time or closed after a late stage,
// with at most three contacts in any 90-day window, head counts of 1-4 and its stratum kept
// under the wave limit.
func (p *planner) background(onLast bool) {
	r := p.r
	k := pick(r, p.cty.catCum)
	t := pick(r, p.cty.townCum[k])
	day := pick(r, p.dayCum[k])
	if onLast {
		day = p.last
	}
	st, day := p.placeFirst(t, k, day, onLast)
	c := p.newCase(t, k, st, day)
	if r.IntN(100) < 3 && len(p.cases) > p.bgFirst {
		// Some complainants bring a second matter, of another category and so another stratum.
		if o := &p.cases[p.bgFirst+r.IntN(len(p.cases)-p.bgFirst)]; int(o.cat) != k {
			c.person = o.person
		}
	}
	evs, ok := p.evBuf[:0], false
	if r.IntN(100) < 3 {
		evs, ok = lateClosed(r, evs, day, p.last)
	}
	if !ok {
		evs = timely(r, evs[:0], day, tailAny)
	}
	cts := append(p.ctBuf[:0], contact{day: uint16(day), channel: c.channel, level: c.level, head: c.head})
	cts = p.followUps(&c, cts)
	p.commit(c, evs, cts)
	p.evBuf, p.ctBuf = evs, cts
}

// maxShift is how many days a background case's received day may move to keep its stratum
// under loadCap.
const maxShift = 10

// placeFirst picks the stratum and received day of a background case: up to eight strata of
// (t, k), each tried at day, day-1, day+1, ... day±maxShift, for the first that keeps every
// window of the stratum under loadCap. A pinned day is never moved. When nothing fits, the case is placed
// as drawn and counted as relaxed; past a limit the planner stops checking (the county is then
// too busy for the promise, see Config).
func (p *planner) placeFirst(t, k, day int, pinned bool) (int, int) {
	st0 := p.cty.pickStratum(p.r, t, k)
	if !p.unchecked {
		for try := range 8 {
			st := st0
			if try > 0 {
				st = p.cty.pickStratum(p.r, t, k)
			}
			for i := range 2*maxShift + 1 {
				d := day + (i+1)/2*(1-2*(i%2))
				if pinned && i > 0 {
					break
				}
				if d >= 0 && d <= p.last && p.load.fits(st, d) {
					p.load.add(st, d)
					return st, d
				}
			}
		}
		p.relaxed++
		p.unchecked = p.relaxed >= max(100, p.cfg.Cases/100)
	} else {
		p.relaxed++
	}
	p.load.add(st0, day)
	return st0, day
}

// followUps appends a background case's later contacts: none, one or two within a few months,
// or (rarely) three or four spaced 55-80 days apart, so that no four fall within 96 days. A
// contact that would overfill its stratum moves up to six days later or is dropped.
func (p *planner) followUps(c *caseRec, cts []contact) []contact {
	r := p.r
	var days []int
	d := int(c.day)
	switch u := r.IntN(100); {
	case u < 50:
	case u < 98:
		d += 7 + r.IntN(84)
		days = append(days, d)
		if u >= 80 {
			days = append(days, d+7+r.IntN(54))
		}
	default:
		for range 3 + r.IntN(2) {
			d += 55 + r.IntN(26)
			days = append(days, d)
		}
	}
	for _, d := range days {
		d, ok := p.placeLater(int(c.stratum), d, 6)
		if !ok {
			continue
		}
		level := c.level
		if r.IntN(100) < 8 && level < lvNational {
			level++
		}
		head := uint8(1)
		if r.IntN(100) < 15 {
			head = uint8(2 + r.IntN(3))
		}
		cts = append(cts, contact{day: uint16(d), channel: p.channel(d, []int{10, 35, 20, 35}), level: level, head: head})
	}
	return cts
}

// placeLater adds a contact to stratum st on the first day from d to d+slack (and not after
// the last day) that keeps the stratum under loadCap. It reports false when none does.
func (p *planner) placeLater(st, d, slack int) (int, bool) {
	for x := d; x <= d+slack && x <= p.last; x++ {
		if p.unchecked || p.load.fits(st, x) {
			p.load.add(st, x)
			return x, true
		}
	}
	return 0, false
}

// thin drops background follow-up contacts, chosen evenly at random, until the total meets a
// Config.Contacts below the natural count.
func (p *planner) thin() error {
	natural := len(p.contacts)
	if p.cfg.Contacts == 0 || p.cfg.Contacts >= natural {
		return nil
	}
	var pool int
	for i := p.bgFirst; i < len(p.cases); i++ {
		pool += int(p.cases[i].nct) - 1
	}
	need := natural - p.cfg.Contacts
	if need > pool {
		return i18n.Errorf("synth.contacts_min", p.cfg.Contacts, natural-pool)
	}
	for i := p.bgFirst; i < len(p.cases) && need > 0; i++ {
		cts := p.caseContacts(&p.cases[i])
		for j := 1; j < len(cts); j++ {
			if p.r.IntN(pool) < need {
				cts[j].day = dropped
				need--
			}
			pool--
		}
	}
	return nil
}

// load counts contacts per stratum and day. Outside planted waves the planner keeps every
// window of loadWindow days of a stratum at or under loadCap contacts (a conservative count of
// distinct persons): the group rule needs 6 distinct persons in 5 days, so a background
// stratum stays two short even if a screener's window were a day longer.
type load struct {
	days int
	n    []uint8
}

const (
	loadWindow = 6
	loadCap    = 4
)

// fits reports whether one more contact on day d keeps every window of stratum st containing d
// at or under loadCap.
func (l *load) fits(st, d int) bool {
	row := l.n[st*l.days : (st+1)*l.days]
	var c [2*loadWindow - 1]int
	for i := range c {
		if x := d - loadWindow + 1 + i; x >= 0 && x < l.days {
			c[i] = int(row[x])
		}
	}
	for s := range loadWindow {
		sum := 1
		for _, v := range c[s : s+loadWindow] {
			sum += v
		}
		if sum > loadCap {
			return false
		}
	}
	return true
}

func (l *load) add(st, d int) {
	if i := st*l.days + d; l.n[i] < 255 {
		l.n[i]++
	}
}

func (l *load) remove(st, d int) { l.n[st*l.days+d]-- }

// quiet reports whether stratum st has no contact from day from to day to (clipped).
func (l *load) quiet(st, from, to int) bool {
	for d := max(from, 0); d <= min(to, l.days-1); d++ {
		if l.n[st*l.days+d] > 0 {
			return false
		}
	}
	return true
}
