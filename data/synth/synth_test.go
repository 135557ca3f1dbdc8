package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/data"
)

func generate(t testing.TB, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	s, err := Generate(context.Background(), cfg, dir, nil)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return dir, s
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Seed: 42, Cases: 2000}
	a, _ := generate(t, cfg)
	b, _ := generate(t, cfg)
	c, _ := generate(t, Config{Seed: 43, Cases: 2000})
	for _, name := range fileNames {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of the same config", name)
		}
		if z, _ := os.ReadFile(filepath.Join(c, name)); name != "generator.json" && bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 42 and 43", name)
		}
	}
}

func TestCodesMatchSchema(t *testing.T) {
	codes := func(cs []data.Code) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	names := func(tb data.Table) []string {
		var out []string
		for _, c := range tb.Columns {
			out = append(out, c.Name)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"event codes", slices.Sorted(slices.Values(eventCodes[:])), slices.Sorted(slices.Values(codes(data.EventTypes)))},
		{"channel codes", slices.Sorted(slices.Values(channelCodes[:])), slices.Sorted(slices.Values(codes(data.Channels)))},
		{"level codes (in escalation order)", levelCodes[:], codes(data.Levels)},
		{"case columns", caseColumns, names(data.Cases)},
		{"contact columns", contactColumns, writtenColumns(t, data.Contacts, len(contactColumns))},
		{"event columns", eventColumns, names(data.Events)},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: got %v, schema has %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Cases: 999},
		{Cases: 5000, Days: 100},
		{Cases: 5000, Days: 4000},
		{Cases: 5000, Contacts: -1},
		{Cases: 2000, Contacts: 1000}, // below one contact per case
	} {
		if _, err := Generate(context.Background(), cfg, t.TempDir(), nil); err == nil {
			t.Errorf("Generate(%+v) succeeded; want an error", cfg)
		}
	}
}

func TestCancelLeavesNoFiles(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, err := Generate(ctx, Config{Seed: 1, Cases: 5000}, dir, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left after a cancelled run: %v", left)
	}
}

// TestNormKey holds normKey to the copied-letter normalisation (letters only, lower-cased) and
// checks that the letters of one copied text normalise alike while their raw texts differ.
func TestNormKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"我家3亩地，补偿1200元。", "我家 5.5 亩地,补偿 900 元."},
		{"ABC，def", "abc def"},
		{"ＡＢＣ１２", "ａｂｃ"},
		{"城关镇张庄村", "城关镇李庄村"},
		{"", "123，。\n　"},
		{"一二三", "123"},
	} {
		same := normalise(tc.a) == normalise(tc.b)
		if got := normKey([]byte(tc.a)) == normKey([]byte(tc.b)); got != same {
			t.Errorf("normKey(%q) == normKey(%q) is %v; normal forms equal: %v", tc.a, tc.b, got, same)
		}
	}
	tx := &texts{r: newRand(1, streamText), seen: map[uint64]struct{}{}}
	ctx := textCtx{town: "城关镇", gov: "城关镇人民政府", village: "张庄村", resident: "村民", org: "县自然资源局", year: 2025}
	ct, err := tx.newCopiedText(catLand, ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := string(ct.letter(nil, newRand(1, 100)))
	differ := false
	for i := range uint64(20) {
		l := string(ct.letter(nil, newRand(2, i)))
		if normalise(l) != normalise(first) {
			t.Fatalf("letters normalise differently:\n%s\n%s", first, l)
		}
		differ = differ || l != first
	}
	if !differ {
		t.Error("20 letters of one copied text are byte-identical")
	}
	if tx.claim([]byte(first)) {
		t.Error("a copied letter's normal form was not claimed")
	}
}

func TestAppendField(t *testing.T) {
	for _, in := range []string{"", "plain", "中文，全角逗号", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " leading space"} {
		line := string(appendField([]byte("x,"), in)) + "\n"
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil || len(rec) != 2 || rec[1] != in {
			t.Errorf("field %q wrote %q, read back %q (%v)", in, line, rec, err)
		}
	}
}

var (
	caseIDRe   = regexp.MustCompile(`^XF(\d{4})-\d{7}$`)
	personIDRe = regexp.MustCompile(`^P[0-9a-f]{12}$`)
)

func TestShape(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"default year", Config{Seed: 1, Cases: 3000}},
		{"across new year", Config{Seed: 2, Cases: 2000, Start: time.Date(2024, 7, 1, 15, 30, 0, 0, time.UTC), Days: 400}},
		{"extra contacts", Config{Seed: 3, Cases: 1500, Contacts: 9000}},
		{"thinned contacts", Config{Seed: 4, Cases: 2000, Contacts: 2500}},
		{"short span", Config{Seed: 5, Cases: 1000, Days: 180}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var lastDone, total int
			s, err := Generate(context.Background(), tc.cfg, dir, func(d, n int) { lastDone, total = d, n })
			if err != nil {
				t.Fatal(err)
			}
			if lastDone != s.Cases || total != s.Cases {
				t.Errorf("last progress (%d, %d); want (%d, %d)", lastDone, total, s.Cases, s.Cases)
			}
			ds := readData(t, dir)
			days := tc.cfg.Days
			if days == 0 {
				days = 365
			}
			y, m, d := tc.cfg.Start.Date()
			if tc.cfg.Start.IsZero() {
				y, m, d = 2025, 1, 1
			}
			wantAsOf := time.Date(y, m, d+days-1, 0, 0, 0, 0, time.UTC)
			if !s.AsOf.Equal(wantAsOf) || ds.asOf != dayOf(wantAsOf.Format(time.DateOnly)) {
				t.Errorf("as-of %v (generator.json %d); want %v", s.AsOf, ds.asOf, wantAsOf)
			}
			if s.Cases != len(ds.cases) || s.Contacts != len(ds.contacts) || s.Events != len(ds.events) || s.Planted != len(ds.truth) {
				t.Errorf("summary %+v; files have %d cases, %d contacts, %d events, %d truth rows",
					s, len(ds.cases), len(ds.contacts), len(ds.events), len(ds.truth))
			}
			if tc.cfg.Contacts > 0 && s.Contacts != tc.cfg.Contacts {
				t.Errorf("%d contacts; want %d", s.Contacts, tc.cfg.Contacts)
			}
			if len(s.Files) != len(fileNames) {
				t.Errorf("Files = %v", s.Files)
			}
			checkShape(t, ds)
		})
	}
}

// checkShape checks references, dates, codes, ids and first contacts.
func checkShape(t *testing.T, ds *dataset) {
	t.Helper()
	in := func(list []data.Code, s string) bool {
		return slices.ContainsFunc(list, func(c data.Code) bool { return c.Code == s })
	}
	onLast := false
	persons := map[string]bool{}
	for _, id := range ds.caseOrder {
		c := ds.cases[id]
		m := caseIDRe.FindStringSubmatch(id)
		if m == nil || m[1] != strconv.Itoa(dateOf(c.received).Year()) {
			t.Errorf("case id %q does not match its received date %s", id, dateOf(c.received).Format(time.DateOnly))
		}
		if !personIDRe.MatchString(c.person) {
			t.Errorf("case %s: complainant id %q", id, c.person)
		}
		persons[c.person] = true
		if !in(data.Channels, c.channel) || !in(data.Levels, c.level) {
			t.Errorf("case %s: channel %q level %q not in the code lists", id, c.channel, c.level)
		}
		if c.received > ds.asOf || c.category == "" || c.township == "" || c.unit == "" || c.status == "" {
			t.Errorf("case %s: bad row %+v", id, c)
		}
		if n := utf8.RuneCountInString(c.content); n < minTextRunes || n > maxTextRunes {
			t.Errorf("case %s: content of %d characters", id, n)
		}
		if c.head < 1 {
			t.Errorf("case %s: head count %d", id, c.head)
		}
		first := slices.ContainsFunc(c.contacts, func(x *contactRow) bool {
			return x.date == c.received && x.channel == c.channel && x.level == c.level && x.person == c.person && x.head == c.head
		})
		if !first {
			t.Errorf("case %s has no first contact on its received date", id)
		}
		onLast = onLast || c.received == ds.asOf
	}
	ids := map[string]bool{}
	for _, x := range ds.contacts {
		if ids[x.id] || x.caseRow == nil || x.date > ds.asOf || x.date < x.caseRow.received || !in(data.Channels, x.channel) ||
			!in(data.Levels, x.level) || x.person != x.caseRow.person || x.head < 1 || x.head > 40 {
			t.Errorf("contact %+v is bad (duplicate id, unknown case, date, code, person or head count)", *x)
		}
		ids[x.id] = true
		onLast = onLast || x.date == ds.asOf
	}
	for _, e := range ds.events {
		if ids[e.id] || e.caseRow == nil || e.date > ds.asOf || e.date < e.caseRow.received || !in(data.EventTypes, e.typ) {
			t.Errorf("event %+v is bad (duplicate id, unknown case, date or code)", *e)
		}
		ids[e.id] = true
	}
	if !onLast {
		t.Error("no record on the last day")
	}
}

// TestGroundTruth screens the written files with an independent implementation of the
// screener's default rules (and with every window one day longer and every deadline one day
// stricter) and requires that exactly the planted cases are flagged, family by family, that
// every planted event has its kind's shape, and that first and peak dates are right.
func TestGroundTruth(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		long bool
	}{
		{"sample 3000", Config{Seed: 1, Cases: 3000}, false},
		{"sample 3000 other seed", Config{Seed: 99, Cases: 3000}, false},
		{"two years", Config{Seed: 5, Cases: 5000, Start: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Days: 730}, false},
		{"short span", Config{Seed: 6, Cases: 1000, Days: 180}, false},
		{"county 20000", Config{Seed: 7}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("long")
			}
			dir, _ := generate(t, tc.cfg)
			ds := readData(t, dir)
			if !ds.info.PrecisionGuaranteed || ds.info.BackgroundRelaxed != 0 {
				t.Fatalf("generator.json: precision_guaranteed %v, background_relaxed %d", ds.info.PrecisionGuaranteed, ds.info.BackgroundRelaxed)
			}
			perKind := map[string]int{}
			planted := map[string]string{} // case id → kind
			for _, tr := range ds.truth {
				perKind[tr.kind]++
				for _, id := range tr.cases {
					if k, dup := planted[id]; dup {
						t.Errorf("case %s is planted in %s and %s", id, k, tr.kind)
					}
					planted[id] = tr.kind
				}
			}
			for _, k := range kinds {
				if perKind[k.name] < minPerKind {
					t.Errorf("%d %s events; want at least %d", perKind[k.name], k.name, minPerKind)
				}
			}
			for _, th := range []thresholds{defaults, looser} {
				got := screen(ds, th, ds.asOf)
				for family, flagged := range got {
					var want []string
					for id, k := range planted {
						if familyOf(k) == family {
							want = append(want, id)
						}
					}
					slices.Sort(want)
					if !slices.Equal(flagged, want) {
						t.Errorf("%s thresholds, family %s: flagged %d cases, planted %d; extra %v, missed %v",
							th.name, family, len(flagged), len(want), minus(flagged, want), minus(want, flagged))
					}
				}
			}
			for _, tr := range ds.truth {
				checkEvent(t, ds, tr)
			}
		})
	}
}

func familyOf(kindName string) string {
	for _, k := range kinds {
		if k.name == kindName {
			return k.family
		}
	}
	return ""
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], "...")
	}
	return out
}

// checkEvent checks one planted event's shape, first date and peak date.
func checkEvent(t *testing.T, ds *dataset, tr truthRow) {
	t.Helper()
	cs := make([]*caseRow, len(tr.cases))
	for i, id := range tr.cases {
		if cs[i] = ds.cases[id]; cs[i] == nil {
			t.Fatalf("%s: unknown case %s", tr.id, id)
		}
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s %s: "+format, append([]any{tr.id, tr.kind}, args...)...)
	}
	var fires func(d int) bool
	peak := ds.asOf
	switch familyOf(tr.kind) {
	case "repeat", "group":
		for _, c := range cs {
			if s := stageAt(c, ds.asOf, defaults); s.pending || s.closed {
				fail("case %s ends pending or closed", c.id)
			}
		}
	}
	switch tr.kind {
	case "repeat", "repeat_escalating":
		c := cs[0]
		fires = func(d int) bool { return repeats(c, d, defaults) }
		peak = c.contacts[len(c.contacts)-1].date
		if tr.kind == "repeat_escalating" {
			levels := []string{}
			for _, x := range c.contacts {
				levels = append(levels, x.level)
			}
			if !slices.IsSortedFunc(levels, func(a, b string) int { return levelRank(a) - levelRank(b) }) ||
				levelRank(levels[len(levels)-1]) < levelRank("province") {
				fail("levels %v do not climb to province", levels)
			}
		}
	case "group_headcount":
		fires = func(d int) bool { return headcountHit(cs[0], defaults, d) }
		peak = -1
		for _, x := range cs[0].contacts {
			if x.head >= 5 {
				peak = x.date
			}
		}
	case "group_wave":
		key := cs[0].stratum()
		if len(cs) < 6 || len(cs) > 15 || distinctPersons(cs) != len(cs) || span(cs) > 3 {
			fail("%d cases, %d persons, span %d days", len(cs), distinctPersons(cs), span(cs))
		}
		for _, c := range cs {
			if c.stratum() != key {
				fail("cases in more than one stratum")
			}
		}
		fires = func(d int) bool { return waveHits(ds.strata[key], defaults, d)[cs[0].id] }
		peak = modeOf(cs)
	case "group_copied":
		if len(cs) < 3 || len(cs) > 10 || distinctPersons(cs) != len(cs) || span(cs) > 20 {
			fail("%d letters, %d persons, span %d days", len(cs), distinctPersons(cs), span(cs))
		}
		for _, c := range cs {
			if c.channel != "letter" || normalise(c.content) != normalise(cs[0].content) {
				fail("case %s is not a copy of the group's letter", c.id)
			}
		}
		fires = func(d int) bool { return copiedHits(ds.texts[normalise(cs[0].content)], defaults, d)[cs[0].id] }
		peak = modeOf(cs)
	case "stalled_overdue", "stalled_no_progress", "stalled_extended":
		c := cs[0]
		fires = func(d int) bool { return stalled(stageAt(c, d, defaults), d, defaults) }
		s := stageAt(c, ds.asOf, defaults)
		over, idle := ds.asOf-s.deadline, ds.asOf-s.lastProgress
		switch {
		case !s.pending:
			fail("not pending")
		case tr.kind == "stalled_overdue" && (over < 10 || over > 120 || idle >= 89 || s.extended >= 2):
			fail("overdue by %d days, idle %d days, extended %d times", over, idle, s.extended)
		case tr.kind == "stalled_no_progress" && idle < 100:
			fail("idle only %d days", idle)
		case tr.kind == "stalled_extended" && (s.extended < 2 || over >= 0 || idle >= 89):
			fail("extended %d times, overdue by %d days, idle %d days", s.extended, over, idle)
		}
	default:
		t.Fatalf("unknown kind %q", tr.kind)
	}
	first := -1
	for d := cs[0].received; d <= ds.asOf; d++ {
		if fires(d) {
			first = d
			break
		}
	}
	if first != tr.first {
		fail("fires first on %s; ground truth says %s", fmtDay(first), fmtDay(tr.first))
	}
	if !fires(ds.asOf) {
		fail("does not fire as of the last day")
	}
	if peak != tr.peak {
		fail("peak %s; ground truth says %s", fmtDay(peak), fmtDay(tr.peak))
	}
}

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

// readData reads a generated folder, checking each CSV header against the data schema.
func readData(t *testing.T, dir string) *dataset {
	t.Helper()
	ds := &dataset{cases: map[string]*caseRow{}}
	b, err := os.ReadFile(filepath.Join(dir, "generator.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ds.info); err != nil {
		t.Fatal(err)
	}
	ds.start, ds.asOf = dayOf(ds.info.Config.Start), dayOf(ds.info.AsOf)
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	for _, r := range readCSV(t, dir, "cases.csv", data.Cases) {
		c := &caseRow{id: r[0], received: dayOf(r[1]), channel: r[2], level: r[3], person: r[4], head: atoi(r[5]),
			category: r[6], township: r[7], village: r[8], org: r[9], unit: r[10], status: r[11], content: r[12]}
		if ds.cases[c.id] != nil {
			t.Fatalf("duplicate case id %s", c.id)
		}
		ds.cases[c.id] = c
		ds.caseOrder = append(ds.caseOrder, c.id)
	}
	for _, r := range readCSV(t, dir, "contacts.csv", data.Contacts) {
		x := &contactRow{id: r[0], caseRow: ds.cases[r[1]], date: dayOf(r[2]), channel: r[3], level: r[4], person: r[5], head: atoi(r[6])}
		ds.contacts = append(ds.contacts, x)
		if x.caseRow != nil {
			x.caseRow.contacts = append(x.caseRow.contacts, x)
		}
	}
	for _, r := range readCSV(t, dir, "events.csv", data.Events) {
		e := &eventRow{id: r[0], caseRow: ds.cases[r[1]], typ: r[2], date: dayOf(r[3])}
		ds.events = append(ds.events, e)
		if e.caseRow != nil {
			e.caseRow.events = append(e.caseRow.events, e)
		}
	}
	for _, c := range ds.cases {
		slices.SortStableFunc(c.contacts, func(a, b *contactRow) int { return a.date - b.date })
		slices.SortStableFunc(c.events, func(a, b *eventRow) int {
			if a.date != b.date {
				return a.date - b.date
			}
			return codeRank(data.EventTypes, a.typ) - codeRank(data.EventTypes, b.typ)
		})
	}
	ds.strata, ds.texts = map[string][]*contactRow{}, map[string][]*caseRow{}
	for _, x := range ds.contacts {
		if x.caseRow != nil {
			ds.strata[x.caseRow.stratum()] = append(ds.strata[x.caseRow.stratum()], x)
		}
	}
	for _, xs := range ds.strata {
		slices.SortStableFunc(xs, func(a, b *contactRow) int { return a.date - b.date })
	}
	for _, id := range ds.caseOrder {
		c := ds.cases[id]
		ds.texts[normalise(c.content)] = append(ds.texts[normalise(c.content)], c)
	}
	truthTable := data.Table{Columns: []data.Column{{Name: "truth_id"}, {Name: "family"}, {Name: "kind"},
		{Name: "case_ids"}, {Name: "first_date"}, {Name: "peak_date"}, {Name: "note"}}}
	for _, r := range readCSV(t, dir, "ground_truth.csv", truthTable) {
		ds.truth = append(ds.truth, truthRow{id: r[0], family: r[1], kind: r[2], cases: strings.Split(r[3], ";"),
			first: dayOf(r[4]), peak: dayOf(r[5])})
	}
	return ds
}

// readCSV reads a file strictly (no BOM, RFC 4180) and checks its header against tb's columns.
func readCSV(t *testing.T, dir, name string, tb data.Table) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !utf8.Valid(b) {
		t.Fatalf("%s: has a BOM or is not UTF-8", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], writtenColumns(t, tb, len(rows[0]))) {
		var want []string
		for _, c := range tb.Columns {
			want = append(want, c.Name)
		}
		t.Fatalf("%s: header %v; want %v", name, rows[0], want)
	}
	return rows[1:]
}

// writtenColumns is the schema's first n columns of tb, which a generated file holds: the
// columns it leaves out must be optional ones at the end (contacts' category and township,
// which only contacts without a case id need).
func writtenColumns(t *testing.T, tb data.Table, n int) []string {
	t.Helper()
	var out []string
	for i, c := range tb.Columns {
		if i < n {
			out = append(out, c.Name)
		} else if c.Required {
			t.Errorf("%s: required column %s is not written", tb.Name, c.Name)
		}
	}
	return out
}

// BenchmarkGenerate writes a 100,000-case county per iteration and reports rows written per
// second (cases, contacts and events).
func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	var rows int
	for b.Loop() {
		s, err := Generate(context.Background(), Config{Seed: 1, Cases: 100_000}, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows += s.Cases + s.Contacts + s.Events
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
