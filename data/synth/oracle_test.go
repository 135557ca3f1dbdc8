package synth

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/earlywarn/earlywarn/data"
)

func codeRank(list []data.Code, code string) int {
	return slices.IndexFunc(list, func(c data.Code) bool { return c.Code == code })
}

func levelRank(l string) int { return codeRank(data.Levels, l) }

func distinctPersons(cs []*caseRow) int {
	seen := map[string]bool{}
	for _, c := range cs {
		seen[c.person] = true
	}
	return len(seen)
}

func span(cs []*caseRow) int {
	lo, hi := cs[0].received, cs[0].received
	for _, c := range cs {
		lo, hi = min(lo, c.received), max(hi, c.received)
	}
	return hi - lo
}

// modeOf is the received day shared by most cases, the earliest on a tie.
func modeOf(cs []*caseRow) int {
	n := map[int]int{}
	best := -1
	for _, c := range cs {
		n[c.received]++
	}
	for _, c := range cs {
		d := c.received
		if best < 0 || n[d] > n[best] || n[d] == n[best] && d < best {
			best = d
		}
	}
	return best
}

// thresholds are the screener's parameters; looser widens every window by a day and counts a
// deadline day or the 89th idle day as stalled, to show that background stays clear of
// off-by-one differences.
type thresholds struct {
	name          string
	repeatWindow  int // days, inclusive
	waveWindow    int
	copiedWindow  int
	idleDays      int
	deadlineIsDue bool // stalled on the deadline day itself
}

var (
	defaults = thresholds{name: "default", repeatWindow: 90, waveWindow: 5, copiedWindow: 30, idleDays: 90}
	looser   = thresholds{name: "looser", repeatWindow: 91, waveWindow: 6, copiedWindow: 31, idleDays: 89, deadlineIsDue: true}
)

// screen flags cases per family as of day d, using only records dated on or before d.
func screen(ds *dataset, th thresholds, d int) map[string][]string {
	out := map[string][]string{}
	add := func(family string, ids map[string]bool) {
		for id := range ids {
			out[family] = append(out[family], id)
		}
	}
	rep, stall := map[string]bool{}, map[string]bool{}
	for _, id := range ds.caseOrder {
		c := ds.cases[id]
		if c.received > d {
			continue
		}
		if repeats(c, d, th) {
			rep[id] = true
		}
		if stalled(stageAt(c, d, th), d, th) {
			stall[id] = true
		}
	}
	group := map[string]bool{}
	for _, x := range ds.contacts {
		if x.date <= d && headcountHit(x.caseRow, th, d) {
			group[x.caseRow.id] = true
		}
	}
	for _, xs := range ds.strata {
		for id := range waveHits(xs, th, d) {
			group[id] = true
		}
	}
	for _, cs := range ds.texts {
		for id := range copiedHits(cs, th, d) {
			group[id] = true
		}
	}
	add("repeat", rep)
	add("group", group)
	add("stalled", stall)
	for _, f := range []string{"repeat", "group", "stalled"} {
		slices.Sort(out[f])
	}
	return out
}

// repeats: at least 4 contacts within some window of the last 365 days, and not resolved
// (resolved: the last event is closed and no contact came after the close).
func repeats(c *caseRow, d int, th thresholds) bool {
	var days []int
	for _, x := range c.contacts {
		if x.date <= d && x.date > d-365 {
			days = append(days, x.date)
		}
	}
	hit := false
	for i := 3; i < len(days); i++ {
		hit = hit || days[i]-days[i-3] < th.repeatWindow
	}
	return hit && !resolved(c, d)
}

func resolved(c *caseRow, d int) bool {
	var last *eventRow
	for _, e := range c.events {
		if e.date <= d {
			last = e
		}
	}
	if last == nil || last.typ != "closed" {
		return false
	}
	for _, x := range c.contacts {
		if x.date > last.date && x.date <= d {
			return false
		}
	}
	return true
}

type stage struct {
	pending, closed        bool
	deadline, lastProgress int
	extended               int
}

// stageAt follows the case's events up to day d: pending stages are accept (no event yet),
// handle (after accepted, assigned, extended or reopened), review and re-review (after their
// requests); any other event ends pending.
func stageAt(c *caseRow, d int, th thresholds) stage {
	s := stage{pending: true, deadline: c.received + 15, lastProgress: c.received}
	anchor, since := c.received, 0
	for _, e := range c.events {
		if e.date > d {
			break
		}
		if e.typ != "extended" {
			s.lastProgress = e.date
		}
		s.pending, s.closed = true, false
		switch e.typ {
		case "accepted", "reopened":
			anchor, since = e.date, 0
			s.deadline = anchor + 60
		case "assigned":
			s.deadline = anchor + 60 + 30*since
		case "extended":
			since++
			s.extended++
			s.deadline = anchor + 60 + 30*since
		case "review_requested", "rereview_requested":
			s.deadline = e.date + 30
		default:
			s.pending, s.closed = false, e.typ == "closed"
		}
	}
	return s
}

func stalled(s stage, d int, th thresholds) bool {
	over := d > s.deadline || th.deadlineIsDue && d == s.deadline
	return s.pending && (over || d-s.lastProgress >= th.idleDays || s.extended >= 2)
}

// headcountHit: case c has a contact of 5 or more people on or before d and is not closed.
func headcountHit(c *caseRow, th thresholds, d int) bool {
	for _, x := range c.contacts {
		if x.date <= d && x.head >= 5 {
			return !stageAt(c, d, th).closed
		}
	}
	return false
}

// waveHits takes the contacts of one (township, category, target_org), sorted by date, and
// returns the cases with a contact in a window of th.waveWindow days, ending on or before d, in
// which 6 or more distinct persons made contact, when one of the window's cases is not closed.
func waveHits(xs []*contactRow, th thresholds, d int) map[string]bool {
	out := map[string]bool{}
	for i := range xs {
		persons, open := map[string]bool{}, false
		var window []*contactRow
		for j := i; j < len(xs) && xs[j].date < xs[i].date+th.waveWindow && xs[j].date <= d; j++ {
			persons[xs[j].person] = true
			window = append(window, xs[j])
			open = open || !stageAt(xs[j].caseRow, d, th).closed
		}
		if len(persons) >= 6 && open {
			for _, x := range window {
				out[x.caseRow.id] = true
			}
		}
	}
	return out
}

// copiedHits takes the cases of one normalised content and returns those received on or
// before d within th.copiedWindow days of one another with 3 or more distinct complainants,
// when one of them is not closed.
func copiedHits(cs []*caseRow, th thresholds, d int) map[string]bool {
	out := map[string]bool{}
	for _, first := range cs {
		persons, open := map[string]bool{}, false
		var window []*caseRow
		for _, c := range cs {
			if c.received >= first.received && c.received < first.received+th.copiedWindow && c.received <= d {
				persons[c.person] = true
				window = append(window, c)
				open = open || !stageAt(c, d, th).closed
			}
		}
		if len(persons) >= 3 && open {
			for _, c := range window {
				out[c.id] = true
			}
		}
	}
	return out
}

// normalise keeps Unicode letters only, lower-cased.
func normalise(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// The parsed files. Dates are day numbers since 1970-01-01.
type (
	dataset struct {
		start, asOf int
		cases       map[string]*caseRow
		caseOrder   []string
		contacts    []*contactRow
		events      []*eventRow
		truth       []truthRow
		info        info
		strata      map[string][]*contactRow // by (township, category, target_org), sorted by date
		texts       map[string][]*caseRow    // by normalised content
	}
	caseRow struct {
		id, channel, level, person                              string
		category, township, village, org, unit, status, content string
		received, head                                          int
		contacts                                                []*contactRow
		events                                                  []*eventRow
	}
	contactRow struct {
		id, channel, level, person string
		date, head                 int
		caseRow                    *caseRow
	}
	eventRow struct {
		id, typ string
		date    int
		caseRow *caseRow
	}
	truthRow struct {
		id, family, kind string
		cases            []string
		first, peak      int
	}
)

func (c *caseRow) stratum() string { return c.township + "\x00" + c.category + "\x00" + c.org }

func dayOf(s string) int {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return -1 << 30
	}
	return int(t.Unix() / 86400)
}

func dateOf(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func fmtDay(d int) string {
	if d < 0 {
		return "never"
	}
	return dateOf(d).Format(time.DateOnly)
}
