package publish_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/web/review"
)

// Markup that makes a browser fetch from outside the file or run code. Escaped text has no '<',
// so every tag found is real markup.
var (
	tag       = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	badTag    = regexp.MustCompile(`(?i)^<(script|link|iframe|object|embed|img|image|use|base|meta\s+http-equiv)\b`)
	badAttr   = regexp.MustCompile(`(?i)\s(on[a-z]+\s*=|(src|href|xlink:href|action|poster|data|srcset)\s*=\s*["']?\s*(https?:|//|file:|ftp:|javascript:))`)
	styleText = regexp.MustCompile(`(?is)<style\b[^>]*>(.*?)</style>|\bstyle\s*=\s*"([^"]*)"`)
	cssFetch  = regexp.MustCompile(`(?i)@import|url\s*\(`)
)

// outsideRef returns the first markup that refers to something outside the page or runs code,
// or "".
func outsideRef(html string) string {
	for _, t := range tag.FindAllString(html, -1) {
		if badTag.MatchString(t) || badAttr.MatchString(t) {
			return t
		}
	}
	for _, m := range styleText.FindAllStringSubmatch(html, -1) {
		if f := cssFetch.FindString(m[1] + m[2]); f != "" {
			return f
		}
	}
	return ""
}

func render(t *testing.T, db *sql.DB, runID, lang string) string {
	t.Helper()
	d, err := publish.LoadReport(context.Background(), db, runID, publish.Settings{Lang: lang}, time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := publish.RenderReport(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRunWritesASelfContainedReport(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	b, err := os.ReadFile(filepath.Join(cfg.Output, publish.ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if m := outsideRef(html); m != "" {
		t.Errorf("report.html references something outside itself: %q", m)
	}
	for _, want := range []string{"信访事项预警报告", "按预警等级", "按命中规则", "按乡镇街道", "按问题类别", "近30次运行趋势", "需处理事项", "督办统计", "完整清单", `href="watchlist.xlsx"`, s.RunID, "<svg"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Matters are shown by their titles, the id small beside.
	var id, name string
	if err := pipelinetest.Open(t, cfg).QueryRow(`SELECT matter_id, title FROM watchlist WHERE run_id = $1 AND rank = 1`, s.RunID).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	if want := `<td class="title">` + name + `<br><span class="kind">` + id + ` · `; name == "" || !strings.Contains(html, want) {
		t.Errorf("report.html lacks the first matter's title: %q", want)
	}
	// Each tier card shows the run's count.
	for tier, label := range map[string]string{"red": "红", "orange": "橙", "yellow": "黄"} {
		want := `<div class="card ` + tier + `">` + label + `<b>` + strconv.FormatInt(s.Tiers[tier], 10) + `</b>`
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks the %s card %q", tier, want)
		}
	}
}

func TestReportCountsTrendAndEnglish(t *testing.T) {
	cfg := pipelinetest.Config(t)
	pipelinetest.RunAsOf(t, cfg, pipelinetest.AsOf.AddDate(0, 0, -1))
	s2 := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	d, err := publish.LoadReport(context.Background(), db, s2.RunID, publish.Settings{Lang: "en"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Trend) != 2 || d.Trend[1].RunID != s2.RunID {
		t.Fatalf("trend should hold both runs, the reported one last: %+v", d.Trend)
	}
	// The night before screened again: the chart still ends with the latest screening date, and
	// shows one run per date.
	again := pipelinetest.RunAsOf(t, cfg, pipelinetest.AsOf.AddDate(0, 0, -1))
	d2, err := publish.LoadReport(context.Background(), db, again.RunID, publish.Settings{Lang: "en"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Trend) != 1 || d2.Trend[0].RunID != again.RunID {
		t.Errorf("report of the night before screened again: trend %+v, want only that run", d2.Trend)
	}
	last := d.Trend[1]
	if last.Red != s2.Tiers["red"] || last.Orange != s2.Tiers["orange"] || last.Yellow != s2.Tiers["yellow"] {
		t.Errorf("trend of the last run %+v, run tiers %v", last, s2.Tiers)
	}
	var byRule, byTown, byCat int64
	for _, c := range d.ByRule {
		byRule += c.N
	}
	for _, c := range d.Leader.ByTownship {
		byTown += c.Total
	}
	for _, c := range d.Leader.ByCategory {
		byCat += c.Total
	}
	if d.Total != s2.WatchlistItems || byTown != d.Total || byCat != d.Total || byRule < d.Total {
		t.Errorf("total %d (run %d), townships %d, categories %d, rule hits %d", d.Total, s2.WatchlistItems, byTown, byCat, byRule)
	}
	html := render(t, db, s2.RunID, "en")
	for _, want := range []string{"Petition early-warning report", "By tier", "Matters to act on", "Since the previous run", `lang="en"`} {
		if !strings.Contains(html, want) {
			t.Errorf("English report lacks %q", want)
		}
	}
	if strings.Contains(html, "需处理事项") {
		t.Error("English report carries Chinese headings")
	}
	if _, err := publish.LoadReport(context.Background(), db, "no-such-run", publish.Settings{Lang: "zh"}, time.Now()); err == nil || !strings.Contains(err.Error(), "no-such-run") {
		t.Errorf("unknown run: %v", err)
	}
}

// TestReportSaysWhatWentQuiet: the report says how many matters the rules flagged that are
// quiet and not listed, as the run's record counts them, and nothing when there are none.
func TestReportSaysWhatWentQuiet(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	const said = "项事项本次被规则发现，但其预警均已沉寂"
	if html := render(t, db, s.RunID, "zh"); strings.Contains(html, said) {
		t.Errorf("the report speaks of quiet matters where the record counts %d", s.QuietMatters)
	}
	pipelinetest.Exec(t, db, `UPDATE runs SET record = json_merge_patch(record, '{"quiet_matters": 3}') WHERE run_id = '`+s.RunID+`'`)
	if html := render(t, db, s.RunID, "zh"); !strings.Contains(html, "另有 3 "+said) {
		t.Errorf("the report does not say that 3 quiet matters are not listed")
	}
	if html := render(t, db, s.RunID, "en"); !strings.Contains(html, "3 more matters were flagged, but all their flags are quiet") {
		t.Errorf("the English report does not say that 3 quiet matters are not listed")
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	h := strings.ReplaceAll(pipelinetest.Hostile, "'", "''")
	pipelinetest.Exec(t, db, `UPDATE watchlist_spans SET reason_zh = '`+h+`', title = '`+h+`', township = '`+h+`', category = '`+h+`', rules = ['`+h+`']`)
	html := render(t, db, s.RunID, "zh")
	if m := outsideRef(html); m != "" {
		t.Errorf("hostile text made an outside reference: %q", m)
	}
	for _, bad := range []string{"<script>alert", "<img", `onerror="alert`, "<style>@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("hostile text rendered raw: %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("hostile reason not shown escaped in the top matters")
	}
}

// twoRuns runs the fixture twice (the second in full, as nothing is new) and makes the second run's first matter one it cleared, as if
// the data had stopped flagging it: off its watchlist, with a cleared change against the first
// run (the fixture's runs share their as-of date, so the pipeline compares neither with the
// other). It returns the database, both runs, the cleared matter and a condition selecting the
// second run's rows.
func twoRuns(t *testing.T) (db *sql.DB, s1, s2 *pipeline.Summary, cleared, run string) {
	t.Helper()
	cfg := pipelinetest.Config(t)
	s1 = pipelinetest.Run(t, cfg)
	s2 = pipelinetest.RunFull(t, cfg)
	db = pipelinetest.Open(t, cfg)
	if err := db.QueryRow(`SELECT matter_id FROM watchlist WHERE run_id = $1 AND rank = 1`, s2.RunID).Scan(&cleared); err != nil {
		t.Fatal(err)
	}
	run = `run_id = '` + s2.RunID + `'`
	pipelinetest.Exec(t, db,
		`DELETE FROM watchlist_ranks WHERE `+run+` AND matter_id = '`+cleared+`'`,
		`UPDATE matter_changes SET state = 'cleared', tier = NULL, note_zh = '本次不再触发任何预警规则' WHERE `+run+` AND matter_id = '`+cleared+`'`,
		`UPDATE matter_changes SET prev_run_id = '`+s1.RunID+`' WHERE `+run)
	return db, s1, s2, cleared, run
}

func TestReportLeadsWithWhatToActOn(t *testing.T) {
	db, s1, s2, cleared, run := twoRuns(t)
	// The first two remaining matters are red (one continuing, one worse), the last orange one
	// is new: all three are to act on, what changed first (the worse red, then the new orange),
	// then the continuing reds, each part in rank order.
	pipelinetest.Exec(t, db,
		`UPDATE watchlist_ranks SET state = 'continuing' WHERE `+run,
		`UPDATE watchlist_ranks SET tier = 'red' WHERE `+run+` AND rank IN (2, 3)`,
		`UPDATE watchlist_ranks SET state = 'worse', state_note_zh = '超期更久' WHERE `+run+` AND rank = 3`,
		`UPDATE watchlist_ranks SET tier = 'orange', state = 'new', state_note_zh = '新列入' WHERE `+run+` AND rank = (SELECT max(rank) FROM watchlist_ranks WHERE `+run+`)`)
	var red int
	if err := db.QueryRow(`SELECT count(*) FILTER (tier = 'red') FROM watchlist WHERE run_id = $1`, s2.RunID).Scan(&red); err != nil {
		t.Fatal(err)
	}
	changed := func(m publish.Matter) bool { return m.Change == "new" || m.Change == "worse" || m.Change == "reopened" }
	top := red // one short: a continuing red matter is left out, not the new orange one
	d, err := publish.LoadReport(context.Background(), db, s2.RunID, publish.Settings{Lang: "zh", LeaderTop: top}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l := d.Leader
	if len(l.ActOn) != top || l.ActOnMore != 1 {
		t.Fatalf("%d to act on and %d more, want %d and 1", len(l.ActOn), l.ActOnMore, top)
	}
	if a, b := l.ActOn[0], l.ActOn[1]; a.Change != "worse" || a.ChangeNote != "超期更久" || a.Tier != "red" || b.Change != "new" || b.Tier != "orange" {
		t.Errorf("the matters to act on do not lead with the worse red and the new orange one: %+v, %+v", a, b)
	}
	for i, m := range l.ActOn[1:] {
		p := l.ActOn[i]
		if changed(m) && !changed(p) || changed(m) == changed(p) && m.Rank < p.Rank {
			t.Errorf("matters to act on out of order: %d (%s) after %d (%s)", m.Rank, m.Change, p.Rank, p.Change)
		}
		if !changed(m) && m.Tier != "red" {
			t.Errorf("a %s matter that did not change is to act on: %+v", m.Tier, m)
		}
	}
	d, err = publish.LoadReport(context.Background(), db, s2.RunID, publish.Settings{Lang: "zh", LeaderTop: red + 1}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Leader.ActOn) != red+1 || d.Leader.ActOnMore != 0 {
		t.Errorf("with room for all: %d to act on, %d more; want %d and none", len(d.Leader.ActOn), d.Leader.ActOnMore, red+1)
	}
	if len(d.Leader.Cleared) != 1 || d.Leader.Cleared[0].ID != cleared || d.Leader.Cleared[0].Reason == "" || d.Leader.Cleared[0].Why == "" || d.Leader.PrevRun != s1.RunID {
		t.Errorf("cleared %+v (previous run %s)", d.Leader.Cleared, d.Leader.PrevRun)
	}
	var sum, units int64
	for i, c := range d.Leader.ByUnit {
		units += c.Total
		// The most red first, then the most orange, then the most in all.
		if p := d.Leader.ByUnit[max(i-1, 0)]; c.Key != "其他" && (c.Red > p.Red || c.Red == p.Red && c.Orange > p.Orange) {
			t.Errorf("units out of order: %+v after %+v", c, p)
		}
	}
	for _, c := range d.Leader.Changes {
		if c.Key != "cleared" && c.Key != "suppressed" {
			sum += c.N
		}
	}
	if units != d.Total || sum != d.Total {
		t.Errorf("units count %d, changes %d, matters %d", units, sum, d.Total)
	}
	html := render(t, db, s2.RunID, "zh")
	for _, want := range []string{"本次消除（1 项）", cleared, "加重", "超期更久", "消除", "按责任单位"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Rules are shown by their names, never their ids, and nothing is in English.
	for _, id := range []string{"repeat-contacts", "stalled-overdue", "group-wave"} {
		if strings.Contains(html, id) {
			t.Errorf("report shows rule id %q", id)
		}
	}
	var joined string
	if err := db.QueryRow(`SELECT string_agg(DISTINCT r, ';') FROM (SELECT unnest(rules) AS r FROM watchlist WHERE run_id = $1)`, s2.RunID).Scan(&joined); err != nil {
		t.Fatal(err)
	}
	for _, id := range strings.Split(joined, ";") {
		if name := s2.Rules[id].Name.ZH; name == "" || !strings.Contains(html, name) {
			t.Errorf("report does not name rule %s by its name %q", id, name)
		}
	}
}

// TestEmptyRunSaysSoInsteadOfEmptyTables: a run with no matter gets one line where the report
// and the workbook's first sheet would show the matters by township, category and unit, not
// three tables of headers alone.
func TestEmptyRunSaysSoInsteadOfEmptyTables(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	if err := review.EnsureSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	pipelinetest.AddBigRun(t, db, 0)
	byTownship := "<h3>" + i18n.T("zh", "report.by_township") + "</h3>"
	for _, run := range []struct {
		id    string
		empty bool
	}{{s.RunID, false}, {"big", true}} {
		html := render(t, db, run.id, "zh")
		if strings.Contains(html, i18n.T("zh", "report.counts_none")) != run.empty || strings.Contains(html, byTownship) == run.empty {
			t.Errorf("run %s (empty %v): the report's counts say none %v, show the township table %v", run.id, run.empty,
				strings.Contains(html, i18n.T("zh", "report.counts_none")), strings.Contains(html, byTownship))
		}
		path := filepath.Join(t.TempDir(), "w.xlsx")
		if err := publish.WriteXLSX(context.Background(), db, run.id, publish.Settings{Lang: "zh"}, path, time.Now()); err != nil {
			t.Fatal(err)
		}
		wb := open(t, path)
		rows, err := wb.GetRows(wb.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		var none, table bool
		for _, r := range rows {
			none = none || slices.Contains(r, i18n.T("zh", "sheet.leader.counts_none"))
			table = table || len(r) > 1 && r[0] == "" && r[1] == i18n.T("zh", "leader.group.township") // from column B
		}
		if none != run.empty || table == run.empty {
			t.Errorf("run %s (empty %v): the first sheet says none %v, shows the township table %v", run.id, run.empty, none, table)
		}
	}
}
