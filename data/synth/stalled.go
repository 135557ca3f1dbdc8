package synth

// Planting stalled cases: timelines that pass a deadline, lose progress or extend repeatedly.

import (
	"fmt"
)

// plantStalled plants one case of a stalled kind with one to three contacts at least 30 days
// apart. Its first day is the first on which it is stalled; its peak is the last day.
func (p *planner) plantStalled(kd kind) bool {
	rcv, evs, note, ok := p.stalledTimeline(kd)
	if !ok {
		return false
	}
	sortEvents(evs)
	r := p.r
	k := pick(r, p.cty.catCum)
	t := pick(r, p.cty.townCum[k])
	st := p.cty.pickStratum(r, t, k)
	c := p.newCase(t, k, st, rcv)
	cts := []contact{{day: uint16(rcv), channel: c.channel, level: c.level, head: c.head}}
	n := 1 + r.IntN(3)
	for d := rcv + 30 + r.IntN(40); len(cts) < n && d <= p.last; d += 30 + r.IntN(40) {
		cts = append(cts, contact{day: uint16(d), channel: p.channel(d, []int{10, 40, 20, 30}), level: c.level, head: 1})
	}
	first := firstStalled(rcv, evs, p.last)
	if first < 0 || !stalledAt(rcv, evs, p.last) || !p.placeAll(st, cts, 5) {
		return false
	}
	id := p.commit(c, evs, cts)
	p.addTruth(kd, []int{id}, first, p.last, note)
	return true
}

// stalledTimeline times a stalled case back from the last day L. ok is false when the drawn
// variant does not fit in the days covered.
func (p *planner) stalledTimeline(kd kind) (rcv int, evs []event, note string, ok bool) {
	r, L := p.r, p.last
	switch kd {
	case kOverdue:
		// Deadline passed by o days while the last progress stays under 85 days old, so the
		// case is only overdue.
		switch u := r.IntN(20); {
		case u < 6:
			o := 10 + r.IntN(51)
			return L - acceptDays - o, nil, fmt.Sprintf("not accepted; acceptance deadline passed %d days before as-of", o), true
		case u < 15:
			due := handleDays
			ext := r.IntN(10) < 3
			if ext {
				due += extendDays
			}
			o := 10 + r.IntN(111)
			a := L - due - o
			rcv = a - r.IntN(11)
			prog := a + 1 + r.IntN(5)
			evs = append(evs, ev(a, evAccepted), ev(prog, evAssigned))
			if ext {
				evs = append(evs, ev(a+40+r.IntN(19), evExtended))
			}
			evs = reassign(p, evs, prog)
			return rcv, evs, fmt.Sprintf("answer overdue by %d days", o), rcv >= 0
		default:
			re := u >= 18
			o := 10 + r.IntN(46)
			q := L - reviewDays - o
			rcv, evs = p.answeredBefore(q, re)
			stage, typ := "review", evReviewRequested
			if re {
				stage, typ = "re-review", evRereviewRequested
			}
			return rcv, append(evs, ev(q, typ)), fmt.Sprintf("%s overdue by %d days", stage, o), rcv >= 0
		}
	case kNoProgress:
		variant := []string{"accept", "handle", "handle", "review"}[r.IntN(4)]
		hiGap := L - 16
		if variant == "review" {
			hiGap = L - 100
		}
		if hiGap < 100 {
			return 0, nil, "", false
		}
		g := 100 + r.IntN(min(101, hiGap-99))
		note = fmt.Sprintf("no progress for %d days in the %s stage", g, variant)
		switch variant {
		case "accept":
			return L - g, nil, note, true
		case "handle":
			prog := L - g
			a := prog - r.IntN(6)
			evs = append(evs, ev(a, evAccepted))
			if prog > a {
				evs = append(evs, ev(prog, evAssigned))
			}
			return a - r.IntN(11), evs, note, true
		}
		rcv, evs = p.answeredBefore(L-g, false)
		return rcv, append(evs, ev(L-g, evReviewRequested)), note, rcv >= 0
	}
	// kExtended: two or three extensions, deadline not yet passed, progress kept recent.
	a := L - 75 - r.IntN(41)
	prog := a + 1 + r.IntN(5)
	e1 := a + 40 + r.IntN(19)
	e2 := min(e1+10+r.IntN(21), L-1-r.IntN(4))
	evs = append(evs, ev(a, evAccepted), ev(prog, evAssigned), ev(e1, evExtended), ev(e2, evExtended))
	n := 2
	if r.IntN(4) == 0 && e2+5 <= L-1 {
		evs = append(evs, ev(e2+5+r.IntN(L-e2-5), evExtended))
		n = 3
	}
	evs = reassign(p, evs, prog)
	rcv = a - r.IntN(11)
	return rcv, evs, fmt.Sprintf("extended %d times and still being handled", n), rcv >= 0
}

// reassign adds a second assigned event 20-80 days before the last day when the last progress
// (prog) would otherwise be 85 or more days old, so that as of the last day the case has had
// progress within 80 days.
func reassign(p *planner, evs []event, prog int) []event {
	if p.last-prog < maxProgressGap {
		return evs
	}
	return append(evs, ev(p.last-20-p.r.IntN(61), evAssigned))
}

// answeredBefore builds an on-time history that ends 5-24 days before day q with an answer
// (or, for a re-review, with a review decision), for a case whose next request is on day q.
func (p *planner) answeredBefore(q int, rereview bool) (int, []event) {
	r := p.r
	end := q - 5 - r.IntN(20)
	ans := end
	var rest []event
	if rereview {
		rq := end - 7 - r.IntN(15)
		ans = rq - 5 - r.IntN(20)
		rest = []event{ev(rq, evReviewRequested), ev(end, evReviewed)}
	}
	a := ans - 10 - r.IntN(40)
	evs := []event{ev(a, evAccepted)}
	if r.IntN(2) == 0 {
		evs = append(evs, ev(a+1+r.IntN(4), evAssigned))
	}
	evs = append(append(evs, ev(ans, evAnswered)), rest...)
	return a - r.IntN(8), evs
}
