package pipeline

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// inputCounty is n letters received from 2025-01-02 on, one a day, in 5 townships, 4
// categories and 3 target organisations, each with a text of its own and closed the day it
// came; edit changes a case before it is added. The screening date is 2025-12-31.
func inputCounty(t *testing.T, n int, edit func(i int, c *datatest.Case)) *sql.Conn {
	t.Helper()
	q := datatest.New(t)
	day0 := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := datatest.Case{
			ID: fmt.Sprintf("C%04d", i), Received: day0.AddDate(0, 0, i%360).Format(time.DateOnly), Channel: "letter",
			Township: fmt.Sprintf("镇%d", i%5), Category: fmt.Sprintf("类%d", i%4), Target: fmt.Sprintf("单位%d", i%3),
			Content: fmt.Sprintf("关于%s地块征收补偿标准过低的反映请求依法重新核定并答复", strings.Repeat("甲乙丙丁戊己庚辛", 1+i%50)),
		}
		if edit != nil {
			edit(i, &c)
		}
		datatest.AddCases(t, q, c)
		datatest.AddEvents(t, q, datatest.Event{ID: "E" + c.ID, CaseID: c.ID, Type: "closed", Date: c.Received})
	}
	return q
}

// checkDefaultRules checks the built-in config's rules against q as of 2025-12-31 and returns
// the warnings by rule, each as "code" or "code skipped".
func checkDefaultRules(t *testing.T, q *sql.Conn) (map[string][]string, []Warning) {
	t.Helper()
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Compile(cfg.Rules, cfg.Clocks)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, st := range rules.PrepareSQL(cfg.Clocks, day) {
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	for _, st := range rules.LettersSQL(rs, day, day) { // as a run keeps them before screening
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	ws, err := checkInputs(t.Context(), q, rs, cfg.Clocks, day)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, w := range ws {
		s := w.Code
		if w.Skipped {
			s += " skipped"
		}
		got[w.Rule] = append(got[w.Rule], s)
		for _, lang := range i18n.Languages {
			if msg := w.Render(lang, w.Rule); !strings.Contains(msg, w.Rule) || strings.Contains(msg, "%!") {
				t.Errorf("%s: %q does not name the rule or misses an argument", lang, msg)
			}
		}
	}
	return got, ws
}

func wantWarnings(t *testing.T, got map[string][]string, want map[string][]string) {
	t.Helper()
	for rule, w := range want {
		if !slices.Equal(got[rule], w) {
			t.Errorf("rule %s: warnings %v, want %v", rule, got[rule], w)
		}
	}
	for rule, g := range got {
		if _, ok := want[rule]; !ok {
			t.Errorf("rule %s: unexpected warnings %v", rule, g)
		}
	}
}

// TestInputChecksQuietOnAGoodInput: a county with closing data, varied groups and letters of
// their own raises no warning.
func TestInputChecksQuietOnAGoodInput(t *testing.T) {
	got, _ := checkDefaultRules(t, inputCounty(t, 200, nil))
	wantWarnings(t, got, nil)
}

// TestInputCheckStalePending: when most pending cases were received more than a year before the
// screening date (an export leaving settled cases open, as NYC council's: 14,112 red matters,
// mostly cases open for years), the stalled rules say so, and still run; a county whose pending
// cases are recent, or few, raises nothing.
func TestInputCheckStalePending(t *testing.T) {
	stale := map[string][]string{}
	for _, id := range []string{"stalled-overdue", "stalled-no-progress", "stalled-extensions"} {
		stale[id] = []string{"stale_pending"}
	}
	q := inputCounty(t, 200, func(i int, c *datatest.Case) {
		if i < 150 {
			c.Received = time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
		}
	})
	datatest.Exec(t, q, "DELETE FROM events WHERE case_id < 'C0150'") // 150 old cases left open
	got, ws := checkDefaultRules(t, q)
	wantWarnings(t, got, stale)
	if len(ws) > 0 {
		if !slices.Equal(ws[0].Args, []string{"2025-12-31", "150", "150", "365"}) {
			t.Errorf("args %v", ws[0].Args)
		}
		if zh := ws[0].Render("zh", ws[0].Rule); strings.Contains(zh, "已跳过") || !strings.Contains(zh, "仍在办理的 150 件信访件中有 150 件受理已超过 365 天") {
			t.Errorf("zh: %s", zh)
		}
	}
	// Only 19 of them open: too few to say.
	datatest.Exec(t, q, "INSERT INTO events SELECT 'X' || case_id, case_id, 'closed', received_date, NULL FROM cases WHERE case_id < 'C0131'")
	got, _ = checkDefaultRules(t, q)
	wantWarnings(t, got, nil)
}

// TestInputCheckShortHistory: on records of a month (or of 120 days), the wave rule, which tests
// each window against its group's own earlier rate, says that the windows of their first 35
// days (5 of the window, 2 of the guard, 28 of baseline on record) are judged by count alone,
// and still runs; a year of records (TestInputChecksQuietOnAGoodInput) raises nothing.
func TestInputCheckShortHistory(t *testing.T) {
	for _, c := range []struct {
		days int
		args []string
	}{{30, []string{"2025-12-02", "30", "30"}}, {120, []string{"2025-09-03", "120", "35"}}} {
		q := inputCounty(t, 200, func(i int, k *datatest.Case) {
			k.Received = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(i % c.days)).Format(time.DateOnly)
		})
		// The records' stretch is that of their contacts: one a case, the day it came.
		datatest.Exec(t, q, `INSERT INTO contacts (contact_id, case_id, contact_date, channel, level, person_id, head_count)
SELECT 'K' || case_id, case_id, received_date, channel, level, complainant_id, 1 FROM cases`)
		got, ws := checkDefaultRules(t, q)
		wantWarnings(t, got, map[string][]string{"group-wave": {"short_history"}})
		if len(ws) == 1 && !slices.Equal(ws[0].Args, c.args) {
			t.Errorf("%d days: args %v, want %v", c.days, ws[0].Args, c.args)
		}
		if len(ws) == 1 {
			if zh := ws[0].Render("zh", ws[0].Rule); !strings.Contains(zh, "只按人数阈值判断") || strings.Contains(zh, "已跳过") {
				t.Errorf("zh: %s", zh)
			}
		}
	}
}

// TestInputCheckNoClosingData: without an answered, reviewed, terminated or closed event, the
// stalled rules and continued_after_answer are skipped, once 20 pending cases are past the
// handling clock; below that, or with a single closing event, nothing is said.
func TestInputCheckNoClosingData(t *testing.T) {
	skipped := map[string][]string{}
	for _, id := range []string{"stalled-overdue", "stalled-no-progress", "stalled-extensions", "escalation-continued"} {
		skipped[id] = []string{"no_closing skipped"}
	}
	q := inputCounty(t, 200, nil)
	datatest.Exec(t, q, "DELETE FROM events")
	got, ws := checkDefaultRules(t, q)
	wantWarnings(t, got, skipped)
	// Received before 2025-10-17 (75 days before the screening date): cases 0..287 of a daily
	// county, all 200 here.
	if w := ws[0]; !slices.Equal(w.Args, []string{"2025-12-31", "75", "200"}) {
		t.Errorf("args %v", w.Args)
	}
	if zh := ws[0].Render("zh", ws[0].Rule); !strings.Contains(zh, "已跳过") || !strings.Contains(zh, "`closed_date`") || !strings.Contains(zh, "停用该规则") {
		t.Errorf("zh: %s", zh)
	}

	// 19 cases past the clock.
	q = inputCounty(t, 100, func(i int, c *datatest.Case) {
		c.Received = "2025-11-01"
		if i < 19 {
			c.Received = "2025-06-01"
		}
	})
	datatest.Exec(t, q, "DELETE FROM events")
	got, _ = checkDefaultRules(t, q)
	wantWarnings(t, got, nil)

	q = inputCounty(t, 200, nil)
	datatest.Exec(t, q, "DELETE FROM events WHERE case_id <> 'C0007'")
	got, _ = checkDefaultRules(t, q)
	wantWarnings(t, got, nil)
}

// TestInputCheckGroupByFields: an empty group-by field skips the rule, a mostly empty or
// constant one warns, and fields all constant skip it; under 100 cases nothing is judged.
func TestInputCheckGroupByFields(t *testing.T) {
	both := func(code string) map[string][]string {
		return map[string][]string{"group-wave": {code}, "group-baseline": {code}}
	}
	for _, c := range []struct {
		name string
		n    int
		edit func(i int, c *datatest.Case)
		sql  string
		want map[string][]string
	}{
		{"empty township", 200, nil, "UPDATE cases SET township = NULL", both("field_empty skipped")},
		{"blank township", 200, nil, "UPDATE cases SET township = '  '", both("field_empty skipped")},
		{"mostly empty township", 200, nil, "UPDATE cases SET township = NULL WHERE case_id > 'C0017'", both("field_mostly_empty")},
		{"90 % empty is not mostly", 200, nil, "UPDATE cases SET township = NULL WHERE case_id >= 'C0020'", nil},
		{"constant category", 200, func(_ int, c *datatest.Case) { c.Category = "未分类" }, "", both("field_constant")},
		{"all constant", 200, func(_ int, c *datatest.Case) { c.Category, c.Township, c.Target = "未分类", "全市", "市政府" }, "",
			map[string][]string{"group-wave": {"all_constant skipped"}, "group-baseline": {"all_constant skipped"}}},
		{"too few cases to judge", 99, nil, "UPDATE cases SET township = NULL", nil},
		// target_org is a group-by field of the wave rule only.
		{"empty target", 200, nil, "UPDATE cases SET target_org = NULL", map[string][]string{"group-wave": {"field_empty skipped"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := inputCounty(t, c.n, c.edit)
			if c.sql != "" {
				datatest.Exec(t, q, c.sql)
			}
			got, ws := checkDefaultRules(t, q)
			wantWarnings(t, got, c.want)
			for _, w := range ws {
				if w.Code == runrecord.WarnFieldConstant && !slices.Equal(w.Args, []string{"category", "365", "200", "未分类"}) {
					t.Errorf("args %v", w.Args)
				}
				if w.Code == runrecord.WarnFieldMostlyEmpty && w.Args[3] != "91%" {
					t.Errorf("args %v", w.Args)
				}
			}
		})
	}
}

// TestInputCheckPersons: the rules that count distinct complainants warn when more than 90 % of
// their period's cases name none (a profile without the complainant's fields gives each row an
// id of its own), and stay quiet at 90 % or with too few cases to judge.
func TestInputCheckPersons(t *testing.T) {
	counting := func(code string) map[string][]string {
		out := map[string][]string{}
		for _, r := range []string{"group-wave", "group-baseline", "group-copied-letters", "group-hot-issue"} {
			out[r] = []string{code}
		}
		return out
	}
	for _, c := range []struct {
		name, sql string
		n         int
		want      map[string][]string
		share     string // of the cases that name no complainant, as the warning says it
	}{
		{"no complainant", "UPDATE cases SET complainant_id = 'U:' || case_id", 200, counting("no_persons"), "100%"},
		{"mostly none", "UPDATE cases SET complainant_id = 'U:' || case_id WHERE case_id > 'C0017'", 200, counting("no_persons"), "91%"},
		{"90 % none is not mostly", "UPDATE cases SET complainant_id = 'U:' || case_id WHERE case_id >= 'C0020'", 200, nil, ""},
		{"too few cases to judge", "UPDATE cases SET complainant_id = 'U:' || case_id", 99, nil, ""},
		{"a rule skipped is not warned of besides", "UPDATE cases SET complainant_id = 'U:' || case_id, content = NULL", 200,
			map[string][]string{"group-wave": {"no_persons"}, "group-baseline": {"no_persons"},
				"group-copied-letters": {"no_letter_text skipped"}, "group-hot-issue": {"no_text skipped"}}, "100%"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := inputCounty(t, c.n, nil)
			datatest.Exec(t, q, c.sql)
			got, ws := checkDefaultRules(t, q)
			wantWarnings(t, got, c.want)
			for _, w := range ws {
				if w.Code == runrecord.WarnNoPersons && !slices.Equal(w.Args[1:], []string{"200", c.share}) {
					t.Errorf("%s: args %v", w.Rule, w.Args)
				}
			}
		})
	}
}

// TestInputCheckLetters: a copied-letters rule is skipped when its channels bring no text long
// enough to compare, or when more than half of the texts are one text.
func TestInputCheckLetters(t *testing.T) {
	skip := func(code string) map[string][]string {
		return map[string][]string{"group-copied-letters": {code + " skipped"}}
	}
	for _, c := range []struct {
		name string
		sql  string
		want map[string][]string
	}{
		{"no content", "UPDATE cases SET content = NULL", map[string][]string{"group-copied-letters": {"no_letter_text skipped"},
			"group-hot-issue": {"no_text skipped"}}},
		{"short content", "UPDATE cases SET content = '噪音扰民 12345'", skip("no_letter_text")},
		{"no letters", "UPDATE cases SET channel = 'visit'", skip("no_letter_channel")},
		{"one text", "UPDATE cases SET content = '详见附件：关于补偿标准过低的反映，请求依法重新核定' WHERE case_id < 'C0101'", skip("one_letter_text")},
		{"half one text", "UPDATE cases SET content = '详见附件：关于补偿标准过低的反映，请求依法重新核定' WHERE case_id < 'C0100'", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := inputCounty(t, 200, nil)
			datatest.Exec(t, q, c.sql)
			got, _ := checkDefaultRules(t, q)
			wantWarnings(t, got, c.want)
		})
	}
}

// TestSkippedRuleIsRecordedAndPrinted: a run over an export without closing data skips the
// stalled rules instead of flagging every case overdue: no flag of theirs is stored, the rule
// results say skipped, and summary.json and runs.record hold the warnings. No matter is counted
// past a deadline (days overdue unknown, and the report says why), so none is worse the next
// night for days overdue.
func TestSkippedRuleIsRecordedAndPrinted(t *testing.T) {
	cfg := testConfig(t)
	dir := t.TempDir()
	cases := "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,closed_date,content\n"
	for i := range 30 {
		cases += fmt.Sprintf("C%02d,2025-01-%02d,visit,county,P%02d,1,劳资纠纷,城关镇,,某公司,县人社局,open,,\n", i, 1+i%28, i)
	}
	for name, text := range map[string]string{
		"cases.csv": cases, "contacts.csv": "contact_id,case_id,contact_date,channel,level,person_id,head_count,category,township\n" +
			"K1,C01,2025-06-01,visit,county,P01,1,,\nK2,C01,2025-06-02,visit,county,P01,1,,\nK3,C01,2025-06-03,visit,county,P01,1,,\nK4,C01,2025-06-04,visit,county,P01,1,,\n",
		"events.csv": "event_id,case_id,event_type,event_date,result\nE1,C01,accepted,2025-01-02,\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	cfg.Watchlist.WorseOverdueDays = 5
	if _, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-20"), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	s, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"stalled-overdue", "stalled-no-progress", "stalled-extensions"} {
		if r := s.Rules[id]; !r.Skipped || r.Flags != 0 {
			t.Errorf("%s: %+v, want skipped", id, r)
		}
	}
	if n := query(t, cfg, "SELECT count(*) FROM flags WHERE family = 'stalled'")[0][0].(int64); n != 0 {
		t.Errorf("%d stalled flags stored", n)
	}
	if s.WatchlistItems != 1 {
		t.Errorf("%d matters listed, want the one of repeat contacts; every case would have been overdue", s.WatchlistItems)
	}
	if got := query(t, cfg, "SELECT count(*) FILTER (WHERE days_overdue IS NOT NULL), count(*) FILTER (WHERE state = 'worse') FROM watchlist")[0]; got[0].(int64) != 0 || got[1].(int64) != 0 {
		t.Errorf("%d items with days overdue and %d worse, want none: no deadline means anything", got[0], got[1])
	}
	var stored runrecord.Summary
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(cfg.Output, "summary.json"))), &stored); err != nil {
		t.Fatal(err)
	}
	record := query(t, cfg, "SELECT CAST(record AS VARCHAR) FROM runs")[0][0].(string)
	var fromDB runrecord.Summary
	if err := json.Unmarshal([]byte(record), &fromDB); err != nil {
		t.Fatal(err)
	}
	for _, got := range [][]Warning{stored.Warnings, fromDB.Warnings} {
		var codes []string
		for _, w := range got {
			codes = append(codes, w.Rule+" "+w.Code)
		}
		want := []string{"stalled-overdue no_closing", "stalled-no-progress no_closing", "stalled-extensions no_closing", "escalation-continued no_closing",
			"group-wave short_history"} // contacts of 20 days
		slices.Sort(codes)
		slices.Sort(want)
		if !slices.Equal(codes, want) {
			t.Errorf("warnings %v, want %v", codes, want)
		}
	}
	if !stored.Rules["stalled-overdue"].Skipped {
		t.Error("summary.json does not say stalled-overdue was skipped")
	}
	// summary.json says each warning in the run's language too, as the terminal does.
	var messages struct {
		WarningMessages []string `json:"warning_messages"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(cfg.Output, "summary.json"))), &messages); err != nil {
		t.Fatal(err)
	}
	if want := runrecord.Lines(cfg.Lang, stored.Warnings, func(rule string) string { return stored.Rules[rule].Name.In(cfg.Lang, rule) }); len(want) == 0 || !slices.Equal(messages.WarningMessages, want) ||
		!strings.Contains(strings.Join(want, ""), stored.Rules["stalled-overdue"].Name.ZH) {
		t.Errorf("summary.json's warning_messages %q, want the report's %q in Chinese", messages.WarningMessages, want)
	}
	// The report says so at its top, naming the rules as the run did.
	if page := readFile(t, filepath.Join(cfg.Output, "report.html")); !strings.Contains(page, i18n.T(cfg.Lang, "report.warnings")) ||
		!strings.Contains(page, stored.Rules["stalled-overdue"].Name.In(cfg.Lang, "?")) || strings.Index(page, `id="warnings"`) > strings.Index(page, "<h2>"+i18n.T(cfg.Lang, "report.counts")) {
		t.Error("report.html does not lead with the run's warnings, naming the skipped rules")
	}
	// … and gives the analyst the whole of each: what is wrong and what to change.
	if page := readFile(t, filepath.Join(cfg.Output, "report.html")); !strings.Contains(page, `id="warning-details"`) ||
		!strings.Contains(page, html.EscapeString(runrecord.Lines(cfg.Lang, stored.Warnings, func(r string) string { return stored.Rules[r].Name.In(cfg.Lang, r) })[0])) {
		t.Error("report.html does not give the analyst the warnings in full")
	}
	if page := readFile(t, filepath.Join(cfg.Output, "report.html")); !strings.Contains(page, i18n.T(cfg.Lang, "report.supervise_unknown")) ||
		strings.Contains(page, i18n.T(cfg.Lang, "report.supervise_none")) {
		t.Error("report.html does not say that no matter can be counted past a deadline")
	}
	// Without closing data no deadline means anything: no due-soon list either.
	if stored.DueSoonDays != 0 || stored.DueSoon != 0 || len(query(t, cfg, "FROM due_soon")) != 0 {
		t.Errorf("a run without closing data lists %d cases due soon (within %d days)", stored.DueSoon, stored.DueSoonDays)
	}
}

// A config without the rules that read the outcome of handling (a new user's board config of
// repeat, wave and hot issue) has no rule to warn of data without closing records; the run still
// lists nothing due soon (every stage's deadline would be its received date + the clock, counted
// from an acceptance the load made up), counts no matter past a deadline and says why.
func TestNoClosingDataWithoutTheRulesThatReadIt(t *testing.T) {
	cfg := testConfig(t)
	cfg.Rules = slices.DeleteFunc(cfg.Rules, func(r configs.RuleSpec) bool {
		return r.Kind == "stalled_case" || r.ID == "escalation-continued"
	})
	dir := t.TempDir()
	cases := "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,closed_date,content\n"
	contacts := "contact_id,case_id,contact_date,channel,level,person_id,head_count,category,township\n"
	for i := range 30 {
		// 25 cases past the handling clock, 5 whose acceptance would fall due within the week
		received := fmt.Sprintf("2025-03-%02d", 1+i)
		if i >= 25 {
			received = "2025-06-15"
		}
		cases += fmt.Sprintf("C%02d,%s,visit,county,P%02d,1,劳资纠纷,城关镇,,某公司,县人社局,open,,\n", i, received, i)
		contacts += fmt.Sprintf("K%02d,C%02d,%s,visit,county,P%02d,1,,\n", i, i, received, i)
	}
	for name, text := range map[string]string{"cases.csv": cases, "contacts.csv": contacts,
		"events.csv": "event_id,case_id,event_type,event_date,result\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	s, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-25"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(s.Warnings, func(w Warning) bool { return w.Code == runrecord.WarnNoClosing }) {
		t.Fatalf("a rule warned of no closing data: %+v (the test needs none that reads it)", s.Warnings)
	}
	if !s.DeadlinesUnknown || s.DueSoonDays != 0 || s.DueSoon != 0 || len(query(t, cfg, "FROM due_soon")) != 0 {
		t.Errorf("deadlines unknown %v; %d cases listed due soon (within %d days)", s.DeadlinesUnknown, s.DueSoon, s.DueSoonDays)
	}
	if page := readFile(t, filepath.Join(cfg.Output, "report.html")); !strings.Contains(page, i18n.T(cfg.Lang, "report.supervise_unknown")) {
		t.Error("report.html does not say that no deadline can be told")
	}
}

// TestWarningCodesInCatalogue: every warning code has its message in every language, and each
// renders with the arguments checkInputs gives it.
func TestWarningCodesInCatalogue(t *testing.T) {
	for _, code := range runrecord.WarningCodes {
		if !i18n.Has("warning." + code) {
			t.Errorf("the catalogue lacks warning.%s", code)
		}
	}
}
