package synth

import (
	"math/rand/v2"
	"slices"

	"github.com/earlywarn/earlywarn/data"
)

// Event type codes, in the order of data.EventTypes (a test holds them to it).
const (
	evAccepted uint8 = iota
	evAssigned
	evExtended
	evAnswered
	evClosed
	evReviewRequested
	evReviewed
	evRereviewRequested
	evRereviewed
	evTerminated
	evReopened
)

var eventCodes = [...]string{"accepted", "assigned", "extended", "answered", "closed", "review_requested",
	"reviewed", "rereview_requested", "rereviewed", "terminated", "reopened"}

// eventRank orders the events of one day as data.EventTypes lists them, which is the order the
// screener applies them in.
var eventRank = func() (rank [len(eventCodes)]int) {
	for i, code := range eventCodes {
		rank[i] = slices.IndexFunc(data.EventTypes, func(c data.Code) bool { return c.Code == code })
	}
	return rank
}()

// sortEvents sorts events by day, and events of one day by eventRank.
func sortEvents(evs []event) {
	slices.SortStableFunc(evs, func(a, b event) int {
		if a.day != b.day {
			return int(a.day) - int(b.day)
		}
		return eventRank[a.typ] - eventRank[b.typ]
	})
}

// The statutory clocks and the screener's default stalled thresholds, in days.
const (
	acceptDays  = 15 // decide on acceptance within 15 days of receipt
	handleDays  = 60 // answer within 60 days of acceptance
	extendDays  = 30 // each extension adds 30 days
	reviewDays  = 30 // a review or re-review is due 30 days after it was requested
	stallDays   = 90 // a pending case with no progress this long is stalled
	maxExtended = 2  // a pending case extended this often is stalled
)

// Margins of an on-time background case. They keep every pending stage at least three days
// short of its deadline and at most 85 days from the last progress, so no reading of
// "passed" (> or >=) or of the 90-day count (> or >=) can flag one.
const (
	maxAcceptDelay = 12
	deadlineMargin = 3
	maxProgressGap = 85
	maxReviewDelay = 27
)

// event is one case event; day counts from Config.Start.
type event struct {
	day uint16
	typ uint8
}

func ev(day int, typ uint8) event { return event{day: uint16(day), typ: typ} }

// tail says how an on-time case ends after its answer.
type tail int

const (
	tailAny  tail = iota // background mix: mostly closed, some left answered, a few reviewed
	tailOpen             // planted repeat and group cases: answered, reviewed, re-reviewed or terminated; never closed
)

// timely appends the events of a case received on day rcv that meets every clock with the
// margins above. Days may run past the last day; the planner drops those.
func timely(r *rand.Rand, out []event, rcv int, t tail) []event {
	a := rcv + []int{0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 9, maxAcceptDelay}[r.IntN(13)]
	out = append(out, ev(a, evAccepted))
	prog := a
	if r.IntN(10) < 6 {
		prog = a + r.IntN(6)
		out = append(out, ev(prog, evAssigned))
	}
	deadline, lo := a+handleDays, prog+5
	if r.IntN(100) < 6 {
		x := max(a+40+r.IntN(19), prog+1)
		out = append(out, ev(x, evExtended))
		deadline += extendDays
		lo = x + 3
	}
	hi := min(deadline-deadlineMargin, prog+maxProgressGap)
	ans := lo + min(r.IntN(hi-lo+1), r.IntN(hi-lo+1))
	out = append(out, ev(ans, evAnswered))
	return afterAnswer(r, out, ans, t)
}

// afterAnswer appends what follows an answer on day ans.
func afterAnswer(r *rand.Rand, out []event, ans int, t tail) []event {
	u := r.IntN(100)
	if t == tailOpen {
		switch {
		case u < 60:
			return out
		case u < 80:
			out, _ = review(r, out, ans, evReviewRequested, evReviewed)
			return out
		}
		out, rv := review(r, out, ans, evReviewRequested, evReviewed)
		out, rrv := review(r, out, rv, evRereviewRequested, evRereviewed)
		if u >= 88 {
			out = append(out, ev(rrv+1+r.IntN(15), evTerminated))
		}
		return out
	}
	switch {
	case u < 72:
		return append(out, ev(ans+3+r.IntN(38), evClosed))
	case u < 86:
		return out
	}
	out, rv := review(r, out, ans, evReviewRequested, evReviewed)
	switch v := r.IntN(100); {
	case v < 45:
		return append(out, ev(rv+3+r.IntN(28), evClosed))
	case v < 75:
		return out
	}
	out, rrv := review(r, out, rv, evRereviewRequested, evRereviewed)
	if r.IntN(10) < 6 {
		out = append(out, ev(rrv+1+r.IntN(15), evTerminated))
	}
	return out
}

// review appends a request 5-29 days after day from and its decision within maxReviewDelay.
func review(r *rand.Rand, out []event, from int, request, decision uint8) ([]event, int) {
	q := from + 5 + r.IntN(25)
	d := q + 7 + r.IntN(maxReviewDelay-6)
	return append(out, ev(q, request), ev(d, decision)), d
}

// lateClosed appends the events of a case that missed its acceptance or answer deadline by
// 1-20 days and was then answered and closed. ok is false when it would not be closed by day
// last: a late case still open on the last day would be stalled.
func lateClosed(r *rand.Rand, out []event, rcv, last int) (_ []event, ok bool) {
	var a, ans int
	if r.IntN(2) == 0 {
		a = rcv + acceptDays + 1 + r.IntN(10)
		ans = a + 10 + r.IntN(40)
		out = append(out, ev(a, evAccepted))
	} else {
		a = rcv + r.IntN(8)
		ans = a + handleDays + 2 + r.IntN(19)
		out = append(out, ev(a, evAccepted), ev(a+r.IntN(5), evAssigned))
	}
	closed := ans + 3 + r.IntN(28)
	out = append(out, ev(ans, evAnswered), ev(closed, evClosed))
	return out, closed <= last
}

// state is a case's stage as of a day by the screener's rules: pending stages are accept (no
// event yet), handle (after accepted, assigned, extended or reopened), review and re-review
// (after their requests); every other event ends pending.
type state struct {
	pending  bool
	deadline int
	lastProg int // last event other than extended, or the received day
	extended int // extended events in total
}

// stateAt evaluates the state of a case received on day rcv with events ev (sorted by day)
// as of day d.
func stateAt(rcv int, evs []event, d int) state {
	s := state{pending: true, deadline: rcv + acceptDays, lastProg: rcv}
	anchor, since := rcv, 0
	for _, e := range evs {
		day := int(e.day)
		if day > d {
			break
		}
		if e.typ != evExtended {
			s.lastProg = day
		}
		s.pending = true
		switch e.typ {
		case evAccepted, evReopened:
			anchor, since = day, 0
			s.deadline = anchor + handleDays
		case evAssigned:
			s.deadline = anchor + handleDays + extendDays*since
		case evExtended:
			since++
			s.extended++
			s.deadline = anchor + handleDays + extendDays*since
		case evReviewRequested, evRereviewRequested:
			s.deadline = day + reviewDays
		default:
			s.pending = false
		}
	}
	return s
}

// stalledAt reports whether the case is stalled as of day d: pending and past its deadline,
// or without progress for stallDays, or extended maxExtended times.
func stalledAt(rcv int, evs []event, d int) bool {
	s := stateAt(rcv, evs, d)
	return s.pending && (d > s.deadline || d-s.lastProg >= stallDays || s.extended >= maxExtended)
}

// firstStalled returns the first day from rcv to last on which the case is stalled, or -1.
func firstStalled(rcv int, evs []event, last int) int {
	for d := rcv; d <= last; d++ {
		if stalledAt(rcv, evs, d) {
			return d
		}
	}
	return -1
}

// statusText is the source system's status word for a case whose last event is evs[n-1]:
// informational, as an exported status column would be.
func statusText(evs []event) string {
	if len(evs) == 0 {
		return "待受理"
	}
	return [...]string{
		evAccepted: "办理中", evAssigned: "办理中", evExtended: "延期办理", evAnswered: "已答复",
		evClosed: "已办结", evReviewRequested: "复查中", evReviewed: "已复查", evRereviewRequested: "复核中",
		evRereviewed: "已复核", evTerminated: "已终结", evReopened: "重新办理",
	}[evs[len(evs)-1].typ]
}
