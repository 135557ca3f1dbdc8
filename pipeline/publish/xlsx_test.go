package publish_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestRunWritesTheWorkbook(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	f := open(t, filepath.Join(cfg.Output, publish.WatchlistXLSX))
	if got, want := f.GetSheetList(), []string{"需处理事项", "预警清单", "本次消除", "汇总", "包案台账", "临期预警", "新出现的话题"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	rows, err := f.GetRows("预警清单")
	if err != nil {
		t.Fatal(err)
	}
	// A note on how many matters there are, then the header, then every matter (fewer than
	// watchlist.sheet_rows).
	if want := "预警清单共 " + strconv.FormatInt(s.WatchlistItems, 10) + " 项，本表按序号全部列出"; len(rows[0]) != 1 || !strings.HasPrefix(rows[0][0], want) {
		t.Errorf("note %v, want %q…", rows[0], want)
	}
	rows = rows[1:]
	if !slices.Equal(rows[0], publish.XLSXColumns("zh")) || rows[0][4] != "预警等级" || rows[0][2] != "事项" {
		t.Errorf("header %v", rows[0])
	}
	if int64(len(rows)-1) != s.WatchlistItems {
		t.Fatalf("%d data rows, the run has %d matters", len(rows)-1, s.WatchlistItems)
	}
	db := pipelinetest.Open(t, cfg)
	var id, name, tier string
	var score float64
	if err := db.QueryRow(`SELECT matter_id, title, tier, score FROM watchlist WHERE run_id = $1 AND rank = 1`, s.RunID).Scan(&id, &name, &tier, &score); err != nil {
		t.Fatal(err)
	}
	if rows[1][0] != "1" || rows[1][1] != id || rows[1][4] != map[string]string{"red": "红", "orange": "橙", "yellow": "黄"}[tier] || rows[1][6] != strconv.FormatFloat(score, 'f', -1, 64) || rows[1][15] != "待认领" || rows[1][5] != "新增" {
		t.Errorf("first row %v, want matter %s tier %s score %v state 待认领", rows[1], id, tier, score)
	}
	// Days past the deadline as the CSV has them: a number, or empty.
	var overdue sql.NullInt64
	if err := db.QueryRow(`SELECT days_overdue FROM watchlist WHERE run_id = $1 AND rank = 1`, s.RunID).Scan(&overdue); err != nil {
		t.Fatal(err)
	}
	if want := strconv.FormatInt(overdue.Int64, 10); !overdue.Valid || overdue.Int64 <= 0 || rows[1][14] != want {
		t.Errorf("first row's days overdue %q, stored %v", rows[1][14], overdue)
	}
	// The matter's title, as the run stored it: place, category and target (no gist, which is
	// off by default).
	if name == "" || rows[1][2] != name || !strings.Contains(name, " · ") || strings.Contains(name, "：") {
		t.Errorf("first row's title %q, stored %q", rows[1][2], name)
	}
	// Frozen note and header, filter over the whole table, tier colour on the tier cell.
	panes, err := f.GetPanes("预警清单")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes %+v %v", panes, err)
	}
	// The header's filter buttons come from an Excel table over the whole watchlist.
	tables, err := f.GetTables("预警清单")
	if err != nil || len(tables) != 1 || tables[0].Range != "A2:T"+strconv.Itoa(len(rows)+1) {
		t.Errorf("tables %+v %v, want one over A2:T%d", tables, err, len(rows)+1)
	}
	counts := map[string]int{}
	for i := 3; i <= len(rows)+1; i++ {
		style, err := f.GetCellStyle("预警清单", "E"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.GetCellValue("预警清单", "E"+strconv.Itoa(i))
		want := map[string]string{"红": "FF8A80", "橙": "FFCC80", "黄": "FFF59D"}[v]
		if len(st.Fill.Color) != 1 || !strings.EqualFold(st.Fill.Color[0], want) {
			t.Errorf("E%d (%s) fill %v, want %s", i, v, st.Fill.Color, want)
		}
		counts[v]++
	}
	sum, err := f.GetRows("汇总")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range sum {
		if len(r) == 2 {
			got[r[0]] = r[1]
		}
	}
	if got["运行编号"] != s.RunID || got["数据截至"] != pipelinetest.AsOf.Format(time.DateOnly) || got["预警事项合计"] != strconv.FormatInt(s.WatchlistItems, 10) {
		t.Errorf("summary %v", got)
	}
	// The lists by township, category and unit are most first (other, if any, last).
	for i, r := range sum {
		if len(r) != 2 || r[1] != "" || !slices.Contains([]string{"按乡镇街道", "按问题类别", "按责任单位"}, r[0]) {
			continue
		}
		var n []int
		for _, x := range sum[i+1:] {
			if len(x) != 2 || x[1] == "" {
				break
			}
			if k, err := strconv.Atoi(x[1]); err == nil && x[0] != "其他" {
				n = append(n, k)
			}
		}
		if len(n) < 2 || !slices.IsSortedFunc(n, func(a, b int) int { return b - a }) {
			t.Errorf("summary list %s: %v, want two or more, most first", r[0], n)
		}
	}
	for tier, label := range map[string]string{"red": "红", "orange": "橙", "yellow": "黄"} {
		if s.Tiers[tier] > 0 && got[label] != strconv.FormatInt(s.Tiers[tier], 10) {
			t.Errorf("summary %s = %q, run has %d", label, got[label], s.Tiers[tier])
		}
		if int64(counts[label]) != s.Tiers[tier] {
			t.Errorf("%d %s rows, run has %d", counts[label], label, s.Tiers[tier])
		}
	}
	ledger, err := f.GetRows("包案台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(ledger) != 3 || ledger[0][1] != "事项" || ledger[0][6] != "包案领导" || !strings.HasPrefix(ledger[2][0], "目前没有包案事项") {
		t.Errorf("ledger of a database nobody reviewed: %v, want the header and a note", ledger)
	}
}

func TestLedgerListsOwnedMatters(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	var a, b, c string
	if err := db.QueryRow(`SELECT list(matter_id ORDER BY rank)[1], list(matter_id ORDER BY rank)[2], list(matter_id ORDER BY rank)[3] FROM watchlist WHERE run_id = $1`, s.RunID).Scan(&a, &b, &c); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	pipelinetest.Exec(t, db,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('`+a+`', 'owned', '张局长', '约谈并化解<方案>', DATE '2026-03-01', TIMESTAMPTZ '2026-02-10 09:00:00+00', NULL, 3, now(), '张局长')`,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('`+b+`', 'resolved', '李主任', '协调补偿', DATE '2026-04-30', TIMESTAMPTZ '2026-03-02 09:00:00+00', TIMESTAMPTZ '2026-03-10 09:00:00+00', 4, now(), '李主任')`,
		`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('`+c+`', 'dismissed', NULL, NULL, NULL, NULL, NULL, 1, now(), '王')`,
		`INSERT INTO dismissals (matter_id, run_id, dismissed_by, dismissed_at, reason, lifted_at, lifted_reason) VALUES ('`+c+`', '`+s.RunID+`', '王', now(), '重复登记', NULL, NULL)`,
		`INSERT INTO progress_notes VALUES ('`+a+`', TIMESTAMPTZ '2026-02-20 09:00:00+00', '张局长', '二月走访'),
		  ('`+a+`', TIMESTAMPTZ '2026-03-05 09:00:00+00', '张局长', '三月约谈'), ('`+a+`', TIMESTAMPTZ '2026-03-09 09:00:00+00', '张局长', '形成方案')`)
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := publish.WriteXLSX(context.Background(), db, s.RunID, publish.Settings{Lang: "zh"}, path, now); err != nil {
		t.Fatal(err)
	}
	f := open(t, path)
	rows, err := f.GetRows("包案台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("ledger rows %v, want header and two owned matters", rows)
	}
	if !hasAutoFilter(t, f, "包案台账", "A1:M3") {
		t.Error("no filter over the ledger")
	}
	if rows[0][10] != "本月进展（2026-03）" {
		t.Errorf("progress header %q", rows[0][10])
	}
	first := rows[1]
	var title string
	if err := db.QueryRow(`SELECT title FROM watchlist WHERE run_id = $1 AND matter_id = $2`, s.RunID, a).Scan(&title); err != nil {
		t.Fatal(err)
	}
	if first[0] != a || first[1] != title || first[6] != "张局长" || first[8] != "约谈并化解<方案>" || first[9] != "2026-03-01" || first[12] != "已逾期" {
		t.Errorf("overdue owned matter row %v", first)
	}
	if first[10] != "2026-03-05 张局长：三月约谈\n2026-03-09 张局长：形成方案" || first[11] != "2026-03-09" {
		t.Errorf("month's progress %q, last %q", first[10], first[11])
	}
	if rows[2][0] != b || rows[2][12] != "已化解" {
		t.Errorf("resolved matter row %v", rows[2])
	}
	wl, _ := f.GetRows("预警清单")
	wl = wl[1:] // the note
	if wl[1][15] != "包案办理中" || wl[1][16] != "张局长" || wl[3][15] != "已排除" {
		t.Errorf("watchlist review state: %v / %v", wl[1][15:17], wl[3][15:17])
	}
	// English labels.
	en := filepath.Join(t.TempDir(), "en.xlsx")
	if err := publish.WriteXLSX(context.Background(), db, s.RunID, publish.Settings{Lang: "en"}, en, now); err != nil {
		t.Fatal(err)
	}
	fe := open(t, en)
	if got := fe.GetSheetList(); !slices.Equal(got, []string{"To act on", "Watchlist", "Cleared", "Summary", "Ownership ledger", "Due soon", "Emerging topics"}) {
		t.Errorf("English sheets %v", got)
	}
}

func hasAutoFilter(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	// excelize has no getter for a sheet's auto filter; the hidden defined name it creates says where it is.
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" && n.Scope == sheet && strings.ReplaceAll(n.RefersTo, "$", "") == "'"+sheet+"'!"+ref {
			return true
		}
	}
	return false
}

func TestWorkbookLeadsWithWhatToActOnAndPrints(t *testing.T) {
	db, _, s2, cleared, run := twoRuns(t)
	pipelinetest.Exec(t, db, `UPDATE watchlist_ranks SET tier = 'red', state = 'worse', state_note_zh = '超期更久' WHERE `+run+` AND rank = 2`)
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := publish.WriteXLSX(context.Background(), db, s2.RunID, publish.Settings{Lang: "zh", LeaderTop: 30}, path, time.Now()); err != nil {
		t.Fatal(err)
	}
	f := open(t, path)
	rows, err := f.GetRows("需处理事项")
	if err != nil {
		t.Fatal(err)
	}
	text := func(r []string) string { return strings.Join(r, "|") }
	find := func(prefix string) int {
		for i, r := range rows {
			if strings.HasPrefix(text(r), prefix) {
				return i
			}
		}
		t.Fatalf("first sheet has no row starting %q:\n%v", prefix, rows)
		return -1
	}
	head := find("序号|事项编号|事项|预警等级|变化")
	if first := rows[head+1]; first[3] != "红" || first[4] != "加重" || first[10] != "超期更久" || !strings.HasPrefix(first[2], "新桥乡") {
		t.Errorf("first matter to act on %v", first)
	}
	for _, section := range []string{"二、预警事项分布", "三、督办统计", "|乡镇街道|红|橙|黄|合计", "|问题类别|红|橙|黄|合计", "|责任单位|红|橙|黄|合计"} {
		find(section)
	}
	// Print: A4 landscape, fitted to the width; each list's header row repeated on every page.
	titles := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" {
			titles[n.Scope] = n.RefersTo
		}
	}
	for sheet, want := range map[string]string{"需处理事项": "'需处理事项'!$" + strconv.Itoa(head+1) + ":$" + strconv.Itoa(head+1),
		"预警清单": "'预警清单'!$2:$2", "本次消除": "'本次消除'!$1:$1", "包案台账": "'包案台账'!$1:$1", "汇总": ""} {
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *pl.Orientation != "landscape" || *pl.Size != 9 || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s prints %s, size %d, fit %dx%d, fit to page %v", sheet, *pl.Orientation, *pl.Size, *pl.FitToWidth, *pl.FitToHeight, props.FitToPage)
		}
		if strings.ReplaceAll(titles[sheet], "$", "") != strings.ReplaceAll(want, "$", "") {
			t.Errorf("%s repeats %q on each page, want %q", sheet, titles[sheet], want)
		}
	}
	gone, err := f.GetRows("本次消除")
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 2 || gone[1][0] != cleared || gone[1][1] == "" || gone[1][8] == "" {
		t.Errorf("cleared sheet %v, want matter %s with its last reason", gone, cleared)
	}
	// No rule id anywhere a leader reads: the sheets show the rules' names.
	for _, sheet := range []string{"需处理事项", "预警清单", "本次消除", "汇总"} {
		all, _ := f.GetRows(sheet)
		for _, r := range all {
			for _, id := range []string{"repeat-contacts", "group-head-count", "stalled-overdue"} {
				if strings.Contains(text(r), id) {
					t.Errorf("%s shows rule id %s: %v", sheet, id, r)
				}
			}
		}
	}
}
