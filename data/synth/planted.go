package synth

import (
	"fmt"
	"slices"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// kind is a planted event kind; family is the screener signal it should raise.
type kind int

const (
	kRepeat kind = iota
	kRepeatEscalating
	kHeadcount
	kWave
	kCopied
	kOverdue
	kNoProgress
	kExtended
	nKinds
)

// kinds gives each kind its ground-truth names and its count per 20,000 cases.
var kinds = [nKinds]struct {
	name, family string
	per20k       int
}{
	kRepeat:           {"repeat", "repeat", 40},
	kRepeatEscalating: {"repeat_escalating", "repeat", 20},
	kHeadcount:        {"group_headcount", "group", 20},
	kWave:             {"group_wave", "group", 15},
	kCopied:           {"group_copied", "group", 12},
	kOverdue:          {"stalled_overdue", "stalled", 20},
	kNoProgress:       {"stalled_no_progress", "stalled", 20},
	kExtended:         {"stalled_extended", "stalled", 20},
}

const (
	minPerKind    = 8
	maxPlantTries = 2000
	// plantLead is how many days before the last day a repeat or group event starts at the
	// latest, so that its cases are answered (not pending) by the last day.
	plantLead = 110
)

// plantCount is the number of events of kind k for a county of the given size.
func plantCount(k kind, cases int) int {
	return max(minPerKind, (kinds[k].per20k*cases+10000)/20000)
}

// truth is one planted event: its cases (plan indices), the first day its signal fires at the
// screener's defaults, its peak day and a note.
type truth struct {
	kind        kind
	cases       []int
	first, peak int
	note        string
}

// catWeights draws a category from a subset.
type catWeights struct {
	cats []int
	cum  []float64
}

func newCatWeights(pairs ...int) catWeights {
	var c catWeights
	s := 0.0
	for i := 0; i < len(pairs); i += 2 {
		s += float64(pairs[i+1])
		c.cats = append(c.cats, pairs[i])
		c.cum = append(c.cum, s)
	}
	return c
}

var (
	waveCats      = newCatWeights(catWage, 5, catLand, 3, catBuild, 3, catEnv, 2, catSOE, 2, catVeteran, 1, catEdu, 1)
	headcountCats = newCatWeights(catLand, 3, catWage, 3, catBuild, 2, catSOE, 2, catEnv, 1, catRural, 1, catVeteran, 1)
)

// plantAll plants every kind in an order that lets waves claim quiet strata first. Repeat and
// group events start on days spread evenly over the last 365 days (less plantLead); stalled
// events are timed back from the last day.
func (p *planner) plantAll() error {
	lo, hi := max(0, p.cfg.Days-365), p.last-plantLead
	steps := []struct {
		k   kind
		try func(day int) (bool, error)
	}{
		{kWave, p.plantWave},
		{kCopied, p.plantCopied},
		{kHeadcount, p.plantHeadcount},
		{kRepeatEscalating, func(d int) (bool, error) { return p.plantRepeat(d, true), nil }},
		{kRepeat, func(d int) (bool, error) { return p.plantRepeat(d, false), nil }},
		{kOverdue, func(int) (bool, error) { return p.plantStalled(kOverdue), nil }},
		{kNoProgress, func(int) (bool, error) { return p.plantStalled(kNoProgress), nil }},
		{kExtended, func(int) (bool, error) { return p.plantStalled(kExtended), nil }},
	}
	for _, s := range steps {
		n := plantCount(s.k, p.cfg.Cases)
		width := hi - lo + 1
		for i := range n {
			base := lo + i*width/n + p.r.IntN(max(1, width/n))
			for attempt := 0; ; attempt++ {
				if attempt == maxPlantTries {
					return i18n.Errorf("synth.too_busy", kinds[s.k].name, i+1, n)
				}
				j := min(attempt/10, 30)
				day := min(max(base+p.r.IntN(2*j+1)-j, lo), hi)
				ok, err := s.try(day)
				if err != nil {
					return err
				}
				if ok {
					break
				}
			}
		}
	}
	return nil
}

func (p *planner) addTruth(k kind, cases []int, first, peak int, note string) {
	p.truth = append(p.truth, truth{kind: k, cases: cases, first: first, peak: peak, note: note})
}

// openTimeline is an on-time timeline that ends answered, reviewed, re-reviewed or terminated
// by the last day (cut back to the answer when the rest would run past it).
func (p *planner) openTimeline(rcv int) []event {
	evs := timely(p.r, nil, rcv, tailOpen)
	if int(evs[len(evs)-1].day) > p.last {
		i := slices.IndexFunc(evs, func(e event) bool { return e.typ == evAnswered })
		evs = evs[:i+1]
	}
	return evs
}

func answeredDay(evs []event) int {
	return int(evs[slices.IndexFunc(evs, func(e event) bool { return e.typ == evAnswered })].day)
}

// plantWave plants 6-15 new cases, each a distinct complainant with one contact, on one
// stratum within 2-4 days, in a stratum with no other contact within 8 days of it.
func (p *planner) plantWave(day int) (bool, error) {
	r := p.r
	k := waveCats.cats[pick(r, waveCats.cum)]
	t := pick(r, p.cty.townCum[k])
	st := p.cty.pickStratum(r, t, k)
	span, size := 1+r.IntN(3), 6+r.IntN(10)
	if p.cty.strata[st].org < 0 || !p.load.quiet(st, day-loadWindow-2, day+span+loadWindow+2) {
		return false, nil
	}
	days := make([]int, size)
	days[0], days[1] = day, day+span
	for i := 2; i < size; i++ {
		days[i] = day + r.IntN(span+1)
	}
	slices.Sort(days)
	ids := make([]int, size)
	for i, d := range days {
		c := p.newCase(t, k, st, d)
		c.level, c.head = lvCounty, uint8(1+r.IntN(3))
		c.channel = p.channel(d, []int{0, 60, 20, 20})
		ids[i] = p.commit(c, p.openTimeline(d), []contact{{day: uint16(d), channel: c.channel, level: c.level, head: c.head}})
		p.load.add(st, d)
	}
	p.addTruth(kWave, ids, days[5], modeDay(days),
		fmt.Sprintf("%d new complainants in %d days on one township, category and target organisation", size, span+1))
	return true, nil
}

// plantCopied plants 3-10 letters, each a new case from a distinct complainant of one village,
// within 20 days, whose texts differ only in digits, punctuation and spacing. The letters keep
// their stratum under the wave limit.
func (p *planner) plantCopied(day int) (bool, error) {
	r := p.r
	k := pick(r, p.cty.catCum)
	t := pick(r, p.cty.townCum[k])
	st := p.cty.pickStratum(r, t, k)
	size := 3 + r.IntN(8)
	var days []int
	for j := range size {
		placed := false
		for range 40 {
			d := day
			if j > 0 {
				d += r.IntN(21)
			}
			if d <= p.last && !p.weekend[d] && p.load.fits(st, d) {
				p.load.add(st, d)
				days = append(days, d)
				placed = true
				break
			}
		}
		if !placed {
			for _, d := range days {
				p.load.remove(st, d)
			}
			return false, nil
		}
	}
	proto := p.newCase(t, k, st, day)
	if proto.village < 0 {
		proto.village = int8(r.IntN(len(p.cty.towns[t].villages)))
	}
	text, err := p.text.newCopiedText(k, p.textCtx(&proto))
	if err != nil {
		return false, err
	}
	p.copies = append(p.copies, text)
	ids := make([]int, size)
	for j, d := range days {
		c := p.newCase(t, k, st, d)
		c.village, c.channel, c.head = proto.village, chLetter, 1
		c.level = lvCounty
		if r.IntN(100) < 15 {
			c.level = lvCity
		}
		c.copied, c.letter = int32(len(p.copies)), uint8(j)
		ids[j] = p.commit(c, p.openTimeline(d), []contact{{day: uint16(d), channel: c.channel, level: c.level, head: 1}})
	}
	sorted := slices.Sorted(slices.Values(days))
	p.addTruth(kCopied, ids, sorted[2], modeDay(sorted),
		fmt.Sprintf("%d letters with one text from distinct complainants within %d days", size, sorted[size-1]-sorted[0]+1))
	return true, nil
}

// plantHeadcount plants a case with one visit of 5-40 people: its first contact, or a later
// visit 10-60 days after receipt.
func (p *planner) plantHeadcount(day int) (bool, error) {
	r := p.r
	k := headcountCats.cats[pick(r, headcountCats.cum)]
	t := pick(r, p.cty.townCum[k])
	st := p.cty.pickStratum(r, t, k)
	hc := []int{5 + r.IntN(6), 5 + r.IntN(6), 5 + r.IntN(6), 11 + r.IntN(15), 11 + r.IntN(15), 26 + r.IntN(15)}[r.IntN(6)]
	c := p.newCase(t, k, st, day)
	late := r.IntN(100) >= 65
	if !late {
		c.channel, c.head = chVisit, uint8(hc)
	}
	cts := []contact{{day: uint16(day), channel: c.channel, level: c.level, head: c.head}}
	g := day
	if late {
		g = day + 10 + r.IntN(51)
		cts = append(cts, contact{day: uint16(g), channel: chVisit, level: lvCounty + uint8(r.IntN(5)/4), head: uint8(hc)})
	}
	if p.weekend[g] || !p.placeAll(st, cts, 0) {
		return false, nil
	}
	id := p.commit(c, p.openTimeline(day), cts)
	p.addTruth(kHeadcount, []int{id}, g, g, fmt.Sprintf("one visit of %d people", hc))
	return true, nil
}

// placeAll adds the contacts of one case (sorted by day, the first on the received day) to
// stratum st. The first stays on its day; each later one may move up to slack days later to
// keep the stratum under loadCap. On failure it adds nothing.
func (p *planner) placeAll(st int, cts []contact, slack int) bool {
	for i := range cts {
		d, ok := p.placeLater(st, int(cts[i].day), min(i, 1)*slack)
		if !ok {
			for _, x := range cts[:i] {
				p.load.remove(st, int(x.day))
			}
			return false
		}
		cts[i].day = uint16(d)
	}
	return true
}

// plantRepeat plants a case with 4-8 contacts 7-25 days apart (four within 84 days) that is
// answered on time and never closed, with contacts continuing after the answer. An escalating
// one climbs from county to province or national level.
func (p *planner) plantRepeat(day int, escalating bool) bool {
	r := p.r
	k := pick(r, p.cty.catCum)
	t := pick(r, p.cty.townCum[k])
	st := p.cty.pickStratum(r, t, k)
	c := p.newCase(t, k, st, day)
	if escalating {
		c.level = lvCounty
	}
	evs := p.openTimeline(day)
	ans := answeredDay(evs)
	days := []int{day}
	for n := 4 + r.IntN(5); len(days) < 8 && (len(days) < n || days[len(days)-1] <= ans+2); {
		d := days[len(days)-1] + 7 + r.IntN(19)
		if d > p.last {
			break
		}
		days = append(days, d)
	}
	cts := make([]contact, len(days))
	for i, d := range days {
		cts[i] = contact{day: uint16(d), channel: p.channel(d, []int{10, 45, 15, 30}), level: c.level, head: uint8(1 + r.IntN(3))}
	}
	cts[0] = contact{day: uint16(day), channel: c.channel, level: c.level, head: c.head}
	if escalating {
		climbLevels(p, cts)
	}
	if !p.placeAll(st, cts, 3) {
		return false
	}
	first := repeatFirst(cts)
	if first < 0 || int(cts[len(cts)-1].day) <= ans {
		for _, x := range cts {
			p.load.remove(st, int(x.day))
		}
		return false
	}
	id := p.commit(c, evs, cts)
	kd, note := kRepeat, fmt.Sprintf("%d contacts, contacts continue after the answer", len(cts))
	if escalating {
		kd = kRepeatEscalating
		note = fmt.Sprintf("%d contacts climbing from county to %s level", len(cts), levelCodes[cts[len(cts)-1].level])
	}
	p.addTruth(kd, []int{id}, first, int(cts[len(cts)-1].day), note)
	return true
}

// climbLevels raises contact levels step by step from county to province or national; a
// contact above county is mostly a visit.
func climbLevels(p *planner, cts []contact) {
	top := int(lvProvince)
	if p.r.IntN(10) < 4 {
		top = int(lvNational)
	}
	steps := distinct(p.r, len(cts)-1, top)
	for i := range cts {
		level := 0
		for _, s := range steps {
			if s+1 <= i {
				level++
			}
		}
		cts[i].level = uint8(level)
		if level > 0 {
			cts[i].channel = p.channel(int(cts[i].day), []int{15, 70, 15, 0})
		}
	}
}

// repeatFirst is the day of the first contact that completes four within a 90-day window, or
// -1 when there is none, for a case that is never closed.
func repeatFirst(cts []contact) int {
	for i := 3; i < len(cts); i++ {
		if int(cts[i].day)-int(cts[i-3].day) < 90 {
			return int(cts[i].day)
		}
	}
	return -1
}

// modeDay returns the day that occurs most often in sorted days, the earliest on a tie.
func modeDay(days []int) int {
	best, bestN := days[0], 0
	for i := 0; i < len(days); {
		j := i
		for j < len(days) && days[j] == days[i] {
			j++
		}
		if j-i > bestN {
			best, bestN = days[i], j-i
		}
		i = j
	}
	return best
}

// textCtx gives the names the content of case c mentions.
func (p *planner) textCtx(c *caseRec) textCtx {
	tw := &p.cty.towns[c.town]
	ctx := textCtx{town: tw.name, gov: p.cty.orgs[tw.gov], resident: either(tw.urban, "居民", "村民"),
		org: categories[c.cat].orgFallback, year: p.cfg.Start.Year()}
	if c.village >= 0 {
		ctx.village, ctx.resident = tw.villages[c.village], tw.resident[c.village]
	}
	if o := p.cty.strata[c.stratum].org; o >= 0 {
		ctx.org = p.cty.orgs[o]
	}
	return ctx
}
