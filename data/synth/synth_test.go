package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
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
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		// The county records no supervision, return visit or evaluation: those only annotate the
		// handling (see data.EventTypes), and its planted events do not depend on them.
		{"event codes", slices.Sorted(slices.Values(eventCodes[:])), slices.Sorted(slices.Values(slices.DeleteFunc(codes(data.EventTypes),
			func(c string) bool { return c == "supervised" || c == "return_visit" || c == "evaluated" })))},
		{"channel codes", slices.Sorted(slices.Values(channelCodes[:])), slices.Sorted(slices.Values(codes(data.Channels)))},
		{"level codes (in escalation order)", levelCodes[:], codes(data.Levels)},
		{"case columns", caseColumns, writtenColumns(t, data.Cases, len(caseColumns))},
		{"contact columns", contactColumns, writtenColumns(t, data.Contacts, len(contactColumns))},
		{"event columns", eventColumns, writtenColumns(t, data.Events, len(eventColumns))},
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
