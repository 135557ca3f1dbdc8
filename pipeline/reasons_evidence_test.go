package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/calendar"
	"github.com/earlywarn/earlywarn/rules"
)

// TestReasonsMatchTheirEvidence screens a generated county as of its last day with the default
// rules and, for every flag, recomputes in Go from the canonical tables and the flag's evidence
// (its case and contact ids, and for a case its events) what its reason states: the count of
// contacts, the distinct people, the first and last dates, the case's stage, deadline, days
// overdue and progress. It checks that the flag's facts equal them, that the evidence is exactly
// what was counted, and that the zh reason states exactly those values, with its dates written
// as dates or periods (2025年1月8日至2月22日) and no number, date or clause it cannot account for.
//
// The recomputation is independent of the rules' SQL: it walks each case's events to its stage
// and deadline, and counts contacts itself.
func TestReasonsMatchTheirEvidence(t *testing.T) {
	cfg, lastDay := generatedCounty(t)
	if cfg.Clocks.Calendar.Mode == calendar.ModeWorking {
		t.Fatal("the default clocks count working days; this test counts calendar days")
	}
	p := plan(t, cfg)
	s, err := Run(context.Background(), p, Options{AsOf: lastDay, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w := loadWorld(t, cfg.Clocks.AcceptDays, cfg.Clocks.HandleDays, cfg.Clocks.ExtensionDays, cfg.Clocks.ReviewDays,
		cfg.Clocks.RereviewDays, lastDay, func(stmt string) [][]any { return query(t, cfg, stmt) })

	byID := map[string]*rules.Rule{}
	for _, r := range p.Rules {
		byID[r.ID] = r
	}
	rows := query(t, cfg, `SELECT rule_id, matter_id, case_ids, contact_ids, facts::VARCHAR, reason_zh
FROM flags WHERE run_id = $1 ORDER BY rule_id, matter_id`, s.RunID)
	a := &audit{problems: map[string]map[string][]string{}, flags: map[string]int{}}
	for _, r := range rows {
		f := storedFlag{rule: r[0].(string), matter: r[1].(string), caseIDs: strList(r[2]), contactIDs: strList(r[3]), reason: r[5].(string)}
		if err := json.Unmarshal([]byte(r[4].(string)), &f.facts); err != nil {
			t.Fatalf("%s %s: facts: %v", f.rule, f.matter, err)
		}
		rule := byID[f.rule]
		if rule == nil {
			t.Fatalf("flag of unknown rule %s", f.rule)
		}
		a.flags[f.rule]++
		a.check(w, rule, f)
	}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		t.Logf("%-24s %3d flags", id, a.flags[id])
	}
	for _, k := range []string{"repeat-contacts", "group-head-count", "group-wave", "group-baseline",
		"escalation-continued", "stalled-overdue", "stalled-no-progress", "stalled-extensions"} {
		if a.flags[k] == 0 {
			t.Errorf("no flags of %s: the county does not exercise it", k)
		}
	}
	for _, what := range slices.Sorted(maps.Keys(a.problems)) {
		byMatter := a.problems[what]
		var eg []string
		for _, m := range slices.Sorted(maps.Keys(byMatter))[:min(len(byMatter), 3)] {
			eg = append(eg, fmt.Sprintf("%s: %s\n    reason: %s", m, strings.Join(byMatter[m][1:], "; "), byMatter[m][0]))
		}
		t.Errorf("%s: %d flag(s), e.g.\n  %s", what, len(byMatter), strings.Join(eg, "\n  "))
	}
}

// flag is one stored flag.
type storedFlag struct {
	rule, matter, reason string
	caseIDs, contactIDs  []string
	facts                map[string]any
}

func strList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, x := range l {
		out[i] = x.(string)
	}
	return out
}

// The canonical records, as of the screening date.

type wCase struct {
	id, level, complainant     string
	township, category, target string
	received                   time.Time
	contacts                   []*wContact // on or before as of, by date then id
	events                     []wEvent    // on or before as of, in handling order
	state                      wState
}

type wContact struct {
	id, caseID, person, level string
	date                      time.Time
	heads                     int
}

type wEvent struct {
	id, typ, result string
	date            time.Time
}

// wState is a case's stage as of the screening date, walked from its events.
type wState struct {
	stage, progressType string
	pending, resolved   bool
	deadline, progress  time.Time
	extensions          int
	answerType          string
	answeredOn          time.Time // zero without an answer
}

type world struct {
	asOf     time.Time
	cases    map[string]*wCase
	contacts map[string]*wContact
}

func loadWorld(t *testing.T, acceptDays, handleDays, extensionDays, reviewDays, rereviewDays int, asOf time.Time, q func(string) [][]any) *world {
	t.Helper()
	d := time.DateOnly
	w := &world{asOf: asOf, cases: map[string]*wCase{}, contacts: map[string]*wContact{}}
	for _, r := range q(`SELECT case_id, received_date, level, complainant_id, township, category, coalesce(target_org, '')
FROM cases WHERE received_date <= DATE '` + asOf.Format(d) + `'`) {
		c := &wCase{id: r[0].(string), received: r[1].(time.Time), level: r[2].(string), complainant: r[3].(string),
			township: r[4].(string), category: r[5].(string), target: r[6].(string)}
		w.cases[c.id] = c
	}
	// A contact without a case id counts for the case the run linked it to.
	for _, r := range q(`SELECT k.contact_id, coalesce(k.case_id, l.case_id), k.contact_date, k.person_id, k.level, coalesce(k.head_count, 1)
FROM contacts k LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
WHERE k.contact_date <= DATE '` + asOf.Format(d) + `'
ORDER BY k.contact_date, k.contact_id`) {
		k := &wContact{id: r[0].(string), date: r[2].(time.Time), person: fmt.Sprint(r[3]), level: r[4].(string), heads: int(r[5].(int32))}
		if r[1] != nil {
			k.caseID = r[1].(string)
		}
		w.contacts[k.id] = k
		if c := w.cases[k.caseID]; c != nil {
			c.contacts = append(c.contacts, k)
		}
	}
	for _, r := range q(`SELECT case_id, event_id, event_type, event_date, coalesce(result, '')
FROM events WHERE event_date <= DATE '` + asOf.Format(d) + `'`) {
		if c := w.cases[r[0].(string)]; c != nil {
			c.events = append(c.events, wEvent{id: r[1].(string), typ: r[2].(string), date: r[3].(time.Time), result: r[4].(string)})
		}
	}
	seq := func(typ string) int {
		return slices.IndexFunc(data.EventTypes, func(c data.Code) bool { return c.Code == typ })
	}
	for _, c := range w.cases {
		sort.Slice(c.events, func(i, j int) bool {
			a, b := c.events[i], c.events[j]
			if !a.date.Equal(b.date) {
				return a.date.Before(b.date)
			}
			if seq(a.typ) != seq(b.typ) {
				return seq(a.typ) < seq(b.typ)
			}
			return a.id < b.id
		})
		c.state = walk(c, acceptDays, handleDays, extensionDays, reviewDays, rereviewDays)
	}
	return w
}

// walk follows a case's events to its stage as of the screening date (the statutory clocks in
// calendar days): the last stage event decides the stage; supervision, return visits and
// evaluations are not stage events, but an unsatisfied evaluation of a case standing closed
// reopens it.
func walk(c *wCase, acceptDays, handleDays, extensionDays, reviewDays, rereviewDays int) wState {
	var last string
	var lastDate, handleFrom, reopened, reviewFrom, rereviewFrom time.Time
	s := wState{progress: c.received, progressType: "received"}
	var extended []time.Time
	for _, e := range c.events {
		typ := e.typ
		switch typ {
		case "supervised", "return_visit":
			continue
		case "evaluated":
			if e.result != "unsatisfied" || last != "closed" {
				continue
			}
			typ = "reopened"
			s.progressType = rules.ProgressReopenedUnsatisfied
			s.progress = e.date
		default:
			if typ != "extended" {
				s.progressType, s.progress = typ, e.date
			}
		}
		last, lastDate = typ, e.date
		switch typ {
		case "accepted":
			handleFrom = e.date
		case "reopened":
			handleFrom, reopened = e.date, e.date
		case "review_requested":
			reviewFrom = e.date
		case "rereview_requested":
			rereviewFrom = e.date
		case "extended":
			extended = append(extended, e.date)
		case "answered", "reviewed", "rereviewed", "terminated", "closed":
			s.answerType, s.answeredOn = typ, e.date
		}
	}
	for _, d := range extended {
		if reopened.IsZero() || !d.Before(reopened) {
			s.extensions++
		}
	}
	day := func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }
	switch last {
	case "":
		s.stage, s.deadline = rules.StageAccept, day(c.received, acceptDays)
	case "accepted", "assigned", "extended", "reopened":
		from := handleFrom
		if from.IsZero() {
			from = c.received
		}
		s.stage, s.deadline = rules.StageHandle, day(from, handleDays+extensionDays*s.extensions)
	case "review_requested":
		s.stage, s.deadline = rules.StageReview, day(reviewFrom, reviewDays)
	case "rereview_requested":
		s.stage, s.deadline = rules.StageRereview, day(rereviewFrom, rereviewDays)
	default:
		s.stage = last
	}
	s.pending = !s.deadline.IsZero()
	if last == "closed" {
		s.resolved = len(c.contacts) == 0 || !c.contacts[len(c.contacts)-1].date.After(lastDate)
	}
	return s
}

// The zh formats a reason writes dates and periods in, written here independently of the rules'
// template functions.

func zhDate(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) }

func zhPeriod(a, b time.Time) string {
	switch {
	case a.Equal(b):
		return zhDate(a)
	case a.Year() == b.Year() && a.Month() == b.Month():
		return fmt.Sprintf("%s至%d日", zhDate(a), b.Day())
	case a.Year() == b.Year():
		return fmt.Sprintf("%s至%d月%d日", zhDate(a), b.Month(), b.Day())
	}
	return zhDate(a) + "至" + zhDate(b)
}

func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

var levelRank = func() map[string]int {
	m := map[string]int{}
	for i, c := range data.Levels {
		m[c.Code] = i + 1
	}
	return m
}()

// audit collects problems by what went wrong, with examples.
type audit struct {
	problems map[string]map[string][]string // what → matter → the flag's reason, then details
	flags    map[string]int
}

// add records a problem of flag f; problems of one kind on one flag are reported as one line.
func (a *audit) add(f storedFlag, what, format string, args ...any) {
	key := f.rule + ": " + what
	if a.problems[key] == nil {
		a.problems[key] = map[string][]string{}
	}
	m := a.problems[key]
	if m[f.matter] == nil {
		m[f.matter] = []string{f.reason}
	}
	m[f.matter] = append(m[f.matter], fmt.Sprintf(format, args...))
}

// expectation is what a flag's facts and reason must say: the facts recomputed from the
// evidence, the strings the reason must contain, and the numbers it may state.
type expectation struct {
	facts   map[string]any // fact → value (int, string or time.Time)
	says    []string       // substrings of the zh reason
	numbers []string       // numbers the reason may state besides those of facts and says
	texts   []string       // free text (group names) removed before numbers are read
}

func (a *audit) check(w *world, r *rules.Rule, f storedFlag) {
	params := r.Params()
	param := func(k string) int { return toInt(params[k]) }
	ev := make([]*wContact, 0, len(f.contactIDs))
	for _, id := range f.contactIDs {
		k := w.contacts[id]
		if k == nil {
			a.add(f, "evidence names a contact that does not exist", "%s", id)
			return
		}
		ev = append(ev, k)
	}
	sort.Slice(ev, func(i, j int) bool {
		if !ev[i].date.Equal(ev[j].date) {
			return ev[i].date.Before(ev[j].date)
		}
		return ev[i].id < ev[j].id
	})
	var c *wCase
	if strings.HasPrefix(f.matter, "case:") {
		c = w.cases[strings.TrimPrefix(f.matter, "case:")]
		if c == nil || !slices.Equal(f.caseIDs, []string{c.id}) {
			a.add(f, "case matter without its case as evidence", "%v", f.caseIDs)
			return
		}
		for _, k := range ev {
			if k.caseID != c.id {
				a.add(f, "evidence names another case's contact", "%s is about %s", k.id, k.caseID)
				return
			}
		}
	}
	check := r.Spec.Params["check"]
	if check == nil {
		check = r.Spec.Params["signal"]
	}
	var e expectation
	switch fmt.Sprint(r.Spec.Kind, "/", check) {
	case rules.KindRepeat + "/<nil>":
		e = a.repeat(w, c, f, ev, param("window_days"), param("lookback_days"))
	case rules.KindGroup + "/" + rules.SignalHeadCount:
		e = a.headCount(w, c, f, ev, param("min_people"), param("lookback_days"))
	case rules.KindGroup + "/" + rules.SignalWave:
		e = a.wave(w, f, ev, groupBy(r, "township", "category", "target_org"))
	case rules.KindGroup + "/" + rules.SignalCopied:
		e = a.copied(w, f, ev)
	case rules.KindGroup + "/" + rules.SignalBaseline:
		e = a.baseline(w, f, ev, groupBy(r, "township", "category"))
	case rules.KindEscalation + "/" + rules.CheckHigherLevel:
		e = a.higherLevel(w, c, f, ev, param("min_levels_above"), param("lookback_days"))
	case rules.KindEscalation + "/" + rules.CheckContinued:
		e = a.continued(w, c, f, ev, param("lookback_days"))
	case rules.KindStalled + "/" + rules.CheckOverdue, rules.KindStalled + "/" + rules.CheckNoProgress, rules.KindStalled + "/" + rules.CheckExtensions:
		e = a.stalled(w, c, f, ev, fmt.Sprint(check))
	default:
		a.add(f, "rule kind not covered by this test", "%s", r.Spec.Kind)
		return
	}
	if e.facts == nil {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(e.facts)) {
		want := factString(e.facts[k])
		got, ok := f.facts[k]
		if !ok {
			a.add(f, "facts lack "+k, "evidence says %s", want)
		} else if factString(got) != want {
			a.add(f, "fact "+k+" differs from the evidence", "facts say %s, evidence %s", factString(got), want)
		}
	}
	a.checkReason(f, r, e)
}

// groupBy is a group rule's group_by as configured, else def (the kind's default).
func groupBy(r *rules.Rule, def ...string) []string {
	l, ok := r.Spec.Params["group_by"].([]any)
	if !ok {
		return def
	}
	out := make([]string, len(l))
	for i, v := range l {
		out[i] = fmt.Sprint(v)
	}
	return out
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	i, _ := strconv.Atoi(fmt.Sprint(v))
	return i
}

func factString(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.DateOnly)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

var (
	numberRe = regexp.MustCompile(`\d+(\.\d+)?`)
	dateRe   = regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}`)
	clauseRe = regexp.MustCompile(`[，；。：（）、,;:()]`)
)

// checkReason checks the zh reason against e: it says each of e.says; every number it states is
// a fact's, a parameter's or one e allows; no date and no clause appears twice.
func (a *audit) checkReason(f storedFlag, r *rules.Rule, e expectation) {
	for _, s := range e.says {
		if !strings.Contains(f.reason, s) {
			a.add(f, "reason does not say what the evidence says", "missing %q", s)
		}
	}
	if strings.Contains(f.reason, "人次") {
		a.add(f, "reason counts people as 人次", "")
	}
	allowed := map[string]bool{}
	for _, v := range e.facts {
		allowed[factString(v)] = true
	}
	for _, n := range e.numbers {
		allowed[n] = true
	}
	for _, v := range r.Params() {
		allowed[factString(v)] = true
	}
	rest := f.reason
	cut := append(slices.Clone(e.texts), e.says...)
	sort.Slice(cut, func(i, j int) bool { return len(cut[i]) > len(cut[j]) })
	for _, s := range cut {
		if strings.Contains(s, "月") || slices.Contains(e.texts, s) {
			rest = strings.ReplaceAll(rest, s, " ")
		}
	}
	for _, n := range numberRe.FindAllString(rest, -1) {
		if !allowed[n] {
			a.add(f, "reason states a number the evidence does not give", "%s", n)
		}
	}
	seen := map[string]bool{}
	for _, d := range dateRe.FindAllString(f.reason, -1) {
		if seen[d] {
			a.add(f, "reason states a date twice", "%s", d)
		}
		seen[d] = true
	}
	clauses := map[string]bool{}
	for _, cl := range clauseRe.Split(f.reason, -1) {
		if cl = strings.TrimSpace(cl); len([]rune(cl)) < 2 {
			continue
		}
		if clauses[cl] {
			a.add(f, "reason repeats a clause", "%q", cl)
		}
		clauses[cl] = true
	}
}

func span(ev []*wContact) (time.Time, time.Time) { return ev[0].date, ev[len(ev)-1].date }

func persons(ev []*wContact) int {
	m := map[string]bool{}
	for _, k := range ev {
		if k.person != "" && k.person != "<nil>" {
			m[k.person] = true
		}
	}
	return len(m)
}

func ids(ev []*wContact) []string {
	out := make([]string, len(ev))
	for i, k := range ev {
		out[i] = k.id
	}
	sort.Strings(out)
	return out
}

// sameEvidence reports, as a problem, evidence that is not exactly the contacts want.
func (a *audit) sameEvidence(f storedFlag, want []*wContact, what string) bool {
	w := ids(want)
	if !slices.Equal(w, f.contactIDs) {
		a.add(f, "evidence is not the contacts counted", "%s: evidence %d contact(s) %v…, counted %d %v…",
			what, len(f.contactIDs), f.contactIDs[:min(3, len(f.contactIDs))], len(w), w[:min(3, len(w))])
		return false
	}
	return true
}

func (a *audit) nonEmpty(f storedFlag, ev []*wContact) bool {
	if len(ev) == 0 {
		a.add(f, "no contacts as evidence", "")
		return false
	}
	return true
}

// repeat: the contacts of the latest window of windowDays days ending in the lookback that
// holds the most of the case's contacts.
func (a *audit) repeat(w *world, c *wCase, f storedFlag, ev []*wContact, windowDays, lookbackDays int) expectation {
	lookFrom := w.asOf.AddDate(0, 0, -lookbackDays) // exclusive
	var best []*wContact
	for _, end := range c.contacts {
		if !end.date.After(lookFrom) {
			continue
		}
		var in []*wContact
		for _, k := range c.contacts {
			if !k.date.After(end.date) && days(k.date, end.date) < windowDays {
				in = append(in, k)
			}
		}
		if len(in) >= len(best) {
			best = in
		}
	}
	if !a.nonEmpty(f, ev) || !a.sameEvidence(f, best, "the latest window with the most contacts") {
		return expectation{}
	}
	first, last := span(ev)
	top, low := 0, 99
	for _, k := range ev {
		top, low = max(top, levelRank[k.level]), min(low, levelRank[k.level])
	}
	total := 0
	for _, k := range c.contacts {
		if k.date.After(lookFrom) {
			total++
		}
	}
	e := expectation{facts: map[string]any{"contacts": len(ev), "persons": persons(ev), "first_contact": first,
		"last_contact": last, "top_level": data.Levels[top-1].Code, "levels_climbed": top - low,
		"total_contacts": total, "stage": c.state.stage}}
	e.says = []string{zhPeriod(first, last), fmt.Sprintf("%d次", len(ev)), fmt.Sprintf("%d人", persons(ev)), rules.Label("zh", c.state.stage)}
	if top > low {
		e.says = append(e.says, rules.Label("zh", data.Levels[top-1].Code))
	}
	return e
}

// head count: every contact of the case in the lookback with minPeople or more people.
func (a *audit) headCount(w *world, c *wCase, f storedFlag, ev []*wContact, minPeople, lookbackDays int) expectation {
	var want []*wContact
	for _, k := range c.contacts {
		if k.heads >= minPeople && k.date.After(w.asOf.AddDate(0, 0, -lookbackDays)) {
			want = append(want, k)
		}
	}
	if !a.nonEmpty(f, ev) || !a.sameEvidence(f, want, "the contacts of min_people or more") {
		return expectation{}
	}
	first, last := span(ev)
	people := 0
	for _, k := range ev {
		people = max(people, k.heads)
	}
	e := expectation{facts: map[string]any{"people": people, "contacts": len(ev), "first_date": first, "last_date": last, "stage": c.state.stage}}
	e.says = []string{zhPeriod(first, last), fmt.Sprintf("%d人", people), rules.Label("zh", c.state.stage)}
	if len(ev) > 1 {
		e.says = append(e.says, fmt.Sprintf("%d次", len(ev)))
	}
	return e
}

// evidenceCases checks that a cluster's case ids are exactly the cases of its contacts.
func (a *audit) evidenceCases(w *world, f storedFlag, ev []*wContact) []*wCase {
	m := map[string]bool{}
	for _, k := range ev {
		m[k.caseID] = true
	}
	got := slices.Sorted(maps.Keys(m))
	if !slices.Equal(got, f.caseIDs) {
		a.add(f, "case ids are not the cases of the contacts", "case ids %v, contacts' cases %v", f.caseIDs, got)
		return nil
	}
	out := make([]*wCase, len(got))
	for i, id := range got {
		out[i] = w.cases[id]
	}
	return out
}

func groupText(c *wCase, fields []string) string {
	vals := make([]string, len(fields))
	for i, g := range fields {
		switch g {
		case "township":
			vals[i] = c.township
		case "category":
			vals[i] = c.category
		case "target_org":
			vals[i] = c.target
		default:
			return ""
		}
	}
	return strings.Join(vals, " / ")
}

// wave: distinct people, contacts, cases and the span of the cluster's contacts.
func (a *audit) wave(w *world, f storedFlag, ev []*wContact, groupBy []string) expectation {
	cs := a.evidenceCases(w, f, ev)
	if !a.nonEmpty(f, ev) || cs == nil {
		return expectation{}
	}
	from, to := span(ev)
	group := groupText(cs[0], groupBy)
	for _, c := range cs {
		if g := groupText(c, groupBy); g != group {
			a.add(f, "cluster spans groups", "%s and %s", group, g)
		}
	}
	e := expectation{facts: map[string]any{"complainants": persons(ev), "contacts": len(ev), "cases": len(cs), "from": from, "to": to, "group": group}}
	e.says = []string{zhPeriod(from, to), group, fmt.Sprintf("%d名", persons(ev)), fmt.Sprintf("%d件", len(cs))}
	e.texts = []string{group}
	// The significance test's figures (the expected count from the group's own baseline, the
	// count of its most unusual window, the baseline's length) are the test's own, checked in
	// rules/wave_test.go; the reason may state them as its facts give them.
	for _, k := range []string{"expected", "observed", "baseline_days"} {
		if v, ok := f.facts[k]; ok && v != nil {
			e.numbers = append(e.numbers, fmt.Sprint(v))
		}
	}
	return e
}

// copied letters: the letters are the cluster's cases; their complainants and received dates.
func (a *audit) copied(w *world, f storedFlag, ev []*wContact) expectation {
	var cs []*wCase
	who := map[string]bool{}
	for _, id := range f.caseIDs {
		c := w.cases[id]
		if c == nil {
			a.add(f, "evidence names a case that does not exist", "%s", id)
			return expectation{}
		}
		cs = append(cs, c)
		who[c.complainant] = true
	}
	var want []*wContact
	for _, c := range cs {
		want = append(want, c.contacts...)
	}
	if !a.sameEvidence(f, want, "the contacts of the letters") {
		return expectation{}
	}
	from, to, town, cat := cs[0].received, cs[0].received, cs[0].township, cs[0].category
	for _, c := range cs {
		if c.received.Before(from) {
			from = c.received
		}
		if c.received.After(to) {
			to = c.received
		}
		town, cat = min(town, c.township), min(cat, c.category)
	}
	e := expectation{facts: map[string]any{"complainants": len(who), "letters": len(cs), "from": from, "to": to, "township": town, "category": cat}}
	e.says = []string{zhPeriod(from, to), town, cat, fmt.Sprintf("%d名", len(who)), fmt.Sprintf("%d件", len(cs))}
	e.texts = []string{town, cat}
	return e
}

// baseline: the stratum's contacts over the episode; the strongest window's daily distinct
// people summed (observed) and its distinct people.
func (a *audit) baseline(w *world, f storedFlag, ev []*wContact, groupBy []string) expectation {
	cs := a.evidenceCases(w, f, ev)
	if !a.nonEmpty(f, ev) || cs == nil {
		return expectation{}
	}
	group := groupText(cs[0], groupBy)
	for _, c := range cs {
		if g := groupText(c, groupBy); g != group {
			a.add(f, "cluster spans strata", "%s and %s", group, g)
		}
	}
	from, err1 := time.Parse(time.DateOnly, fmt.Sprint(f.facts["from"]))
	to, err2 := time.Parse(time.DateOnly, fmt.Sprint(f.facts["to"]))
	if err1 != nil || err2 != nil {
		a.add(f, "facts lack the episode's dates", "%v %v", f.facts["from"], f.facts["to"])
		return expectation{}
	}
	var want []*wContact
	for _, c := range w.cases {
		if groupText(c, groupBy) != group {
			continue
		}
		for _, k := range c.contacts {
			if !k.date.Before(from) && !k.date.After(to) {
				want = append(want, k)
			}
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].id < want[j].id })
	if !a.sameEvidence(f, want, "the stratum's contacts from the episode's first to last day") {
		return expectation{}
	}
	e := expectation{facts: map[string]any{"complainants": persons(ev), "cases": len(cs), "group": group}}
	e.says = []string{zhPeriod(from, to), group, fmt.Sprintf("%d名", persons(ev)), fmt.Sprintf("%d件", len(cs))}
	e.texts = []string{group}
	e.numbers = []string{factString(f.facts["expected"])}
	peakTo, err := time.Parse(time.DateOnly, fmt.Sprint(f.facts["peak_to"]))
	if err != nil {
		a.add(f, "facts lack the strongest window (peak_to)", "%v", f.facts["peak_to"])
		return e
	}
	peakFrom := peakTo.AddDate(0, 0, -(toInt(f.facts["window_days"]) - 1))
	if peakFrom.Before(from) || peakTo.After(to) {
		a.add(f, "strongest window outside the episode", "%s..%s", peakFrom.Format(time.DateOnly), peakTo.Format(time.DateOnly))
	}
	var in []*wContact
	daily := map[time.Time]map[string]bool{}
	for _, k := range ev {
		if !k.date.Before(peakFrom) && !k.date.After(peakTo) {
			in = append(in, k)
			if daily[k.date] == nil {
				daily[k.date] = map[string]bool{}
			}
			daily[k.date][k.person] = true
		}
	}
	observed := 0
	for _, m := range daily {
		observed += len(m)
	}
	e.facts["peak_from"], e.facts["peak_to"] = peakFrom, peakTo
	e.facts["observed"], e.facts["peak_complainants"] = observed, persons(in)
	if !peakFrom.Equal(from) || !peakTo.Equal(to) {
		// The strongest window, inside the episode written just before: without its year.
		p := zhPeriod(peakFrom, peakTo)
		if from.Year() == peakFrom.Year() && from.Year() == peakTo.Year() {
			p = strings.ReplaceAll(p, fmt.Sprintf("%d年", from.Year()), "")
		}
		e.says = append(e.says, p+fmt.Sprintf("有%d人", persons(in)))
	}
	return e
}

// higher level: every contact of the case in the lookback that reached minAbove or more levels
// above the case's own level.
func (a *audit) higherLevel(w *world, c *wCase, f storedFlag, ev []*wContact, minAbove, lookbackDays int) expectation {
	own := levelRank[c.level]
	var want []*wContact
	for _, k := range c.contacts {
		if levelRank[k.level]-own >= minAbove && k.date.After(w.asOf.AddDate(0, 0, -lookbackDays)) {
			want = append(want, k)
		}
	}
	if !a.nonEmpty(f, ev) || !a.sameEvidence(f, want, "the contacts that went over the case's level") {
		return expectation{}
	}
	if c.state.resolved {
		a.add(f, "flag on a resolved case", "")
	}
	first, last := span(ev)
	top := 0
	for _, k := range ev {
		top = max(top, levelRank[k.level])
	}
	topCode := data.Levels[top-1].Code
	e := expectation{facts: map[string]any{"contacts": len(ev), "handling_level": c.level, "top_level": topCode,
		"levels_above": top - own, "first_contact": first, "last_contact": last, "stage": c.state.stage}}
	e.says = []string{zhPeriod(first, last), rules.Label("zh", c.level), rules.Label("zh", topCode),
		fmt.Sprintf("%d级", top-own), rules.Label("zh", c.state.stage)}
	if len(ev) > 1 {
		e.says = append(e.says, fmt.Sprintf("%d次", len(ev)))
	}
	return e
}

// continued after answer: every contact after the case's latest answer, of which those in the
// lookback make the flag.
func (a *audit) continued(w *world, c *wCase, f storedFlag, ev []*wContact, lookbackDays int) expectation {
	s := c.state
	if s.answeredOn.IsZero() || s.pending {
		a.add(f, "flag on a case with no answer standing", "stage %s", s.stage)
		return expectation{}
	}
	var want, recent []*wContact
	for _, k := range c.contacts {
		if k.date.After(s.answeredOn) {
			want = append(want, k)
			if k.date.After(w.asOf.AddDate(0, 0, -lookbackDays)) {
				recent = append(recent, k)
			}
		}
	}
	if !a.nonEmpty(f, ev) || !a.sameEvidence(f, want, "every contact after the answer of "+s.answeredOn.Format(time.DateOnly)) {
		return expectation{}
	}
	first, last := span(ev)
	e := expectation{facts: map[string]any{"contacts": len(ev), "persons": persons(ev), "answered_on": s.answeredOn,
		"answer_type": s.answerType, "first_contact": first, "last_contact": last, "stage": s.stage,
		"recent_contacts": len(recent)}}
	e.says = []string{zhDate(s.answeredOn), rules.Label("zh", s.answerType), zhPeriod(first, last), fmt.Sprintf("%d次", len(ev)),
		fmt.Sprintf("%d人", persons(ev)), rules.Label("zh", s.stage)}
	if len(recent) > 0 {
		e.facts["recent_first_contact"] = recent[0].date
	}
	if len(recent) < len(ev) {
		e.says = append(e.says, zhDate(recent[0].date), fmt.Sprintf("%d次", len(recent)))
	}
	return e
}

// stalled: the case's stage, deadline and progress, walked from its events.
func (a *audit) stalled(w *world, c *wCase, f storedFlag, ev []*wContact, check string) expectation {
	if len(ev) != 0 {
		a.add(f, "stalled flag with contacts as evidence", "%v", f.contactIDs)
	}
	s := c.state
	if !s.pending {
		a.add(f, "stalled flag on a case not pending", "stage %s", s.stage)
		return expectation{}
	}
	overdue := max(days(s.deadline, w.asOf), 0)
	since := days(s.progress, w.asOf)
	e := expectation{facts: map[string]any{"stage": s.stage, "received": c.received, "deadline": s.deadline,
		"days_overdue": overdue, "last_progress": s.progress, "last_progress_type": s.progressType,
		"days_since_progress": since, "extensions": s.extensions}}
	switch check {
	case rules.CheckOverdue:
		e.says = []string{rules.Label("zh", s.stage), zhDate(s.deadline), fmt.Sprintf("%d天", overdue), zhDate(c.received)}
	case rules.CheckNoProgress:
		e.says = []string{fmt.Sprintf("%d天", since), zhDate(s.progress), rules.Label("zh", s.progressType), rules.Label("zh", s.stage)}
	case rules.CheckExtensions:
		e.says = []string{fmt.Sprintf("%d次", s.extensions), zhDate(s.deadline)}
	}
	return e
}
