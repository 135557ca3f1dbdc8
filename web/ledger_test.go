package web_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/web/review"
)

// baoanMonth assigns the first two matters to leader and leader2 on 2026-03-01 (the app's
// clock), both with plans; leader reports progress, the office supervises leader2's matter.
func baoanMonth(a *app) (m1, m2 string) {
	m1, m2 = a.matters[0], a.matters[1]
	a.apply("office", review.RoleOffice, m1, review.Change{Action: review.ActAssign, Owner: "leader", Due: "2026-03-08"})
	a.apply("office", review.RoleOffice, m2, review.Change{Action: review.ActAssign, Owner: "leader2", Due: "2026-03-08"})
	a.apply("leader", review.RoleLeader, m1, review.Change{Action: review.ActPlan, Plan: "约谈信访人", Due: "2026-04-30"})
	a.apply("leader2", review.RoleLeader, m2, review.Change{Action: review.ActPlan, Plan: "协调补偿", Due: "2026-03-25"})
	a.apply("leader", review.RoleLeader, m1, review.Change{Action: review.ActProgress, Note: "三月走访两次"})
	a.apply("office", review.RoleOffice, m2, review.Change{Action: review.ActSupervise, Note: "请三日内约谈", Due: "2026-03-10"})
	return m1, m2
}

func TestLedgerShowsTheMonthsOwnedMatters(t *testing.T) {
	a := newApp(t)
	m1, m2 := baoanMonth(a)
	a.clock.Add(35 * 24 * time.Hour) // 2026-04-05: m2 overdue, no progress for a month
	u := a.as("leader")
	_, page := u.get("/ledger?month=2026-03")
	for _, want := range []string{`id="ledger"`, m1, m2, "约谈信访人", "协调补偿", "三月走访两次", "请三日内约谈", "期限 2026-03-10",
		"office 于 2026-03-01 交办", "信访局 · 月度包案台账 · 2026年03月 · 打印日期 2026-04-05", "<thead>", `id="export-xlsx"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the March ledger lacks %s:\n%s", want, excerpt(page))
		}
	}
	// Last month's reminders are those of its last day; this month's today's.
	if strings.Contains(page, "本月未报进展</span>") {
		t.Errorf("the March ledger shows April's reminder:\n%s", excerpt(page))
	}
	_, page = u.get("/ledger")
	for _, want := range []string{"2026年04月", "本月无进展记录", "reminder-overdue", "本月未报进展"} {
		if !strings.Contains(page, want) {
			t.Errorf("this month's ledger lacks %s", want)
		}
	}
	if strings.Contains(page, "三月走访两次") {
		t.Error("April's ledger shows March's progress")
	}
	// One owner's; a month before anything was owned is empty.
	if _, page = u.get("/ledger?month=2026-03&owner=leader2"); strings.Contains(page, m1+"<") || !strings.Contains(page, m2) {
		t.Errorf("leader2's ledger:\n%s", excerpt(page))
	}
	if _, page = u.get("/ledger?month=2026-02"); !strings.Contains(page, "本月没有包案事项") {
		t.Errorf("February, before anything was owned:\n%s", excerpt(page))
	}
	for _, bad := range []string{"/ledger?month=2026-13", "/ledger?month=march", "/bulletin?month=1999-01", "/ledger?owner=analyst"} {
		if resp, _ := u.get(bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, resp.StatusCode)
		}
	}
	// A month to come has no ledger yet: its reminders and counts would be made up.
	if resp, page := u.get("/bulletin?month=2099-01"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "尚未到来") {
		t.Errorf("a month to come: %d\n%s", resp.StatusCode, excerpt(page))
	}
	if resp, _ := a.as("analyst").get("/ledger"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst reads the ledger: %d", resp.StatusCode)
	}
}

func TestBulletinCountsTheMonth(t *testing.T) {
	a := newApp(t)
	baoanMonth(a)
	a.apply("leader", review.RoleLeader, a.matters[2], review.Change{Action: review.ActDismiss, Note: "重复件"})
	_, page := a.as("office").get("/bulletin?month=2025-06")
	live := len(a.matters) - 1
	for _, want := range []string{"截至 2025-06-30，在册预警事项 " + strconv.Itoa(live) + " 项", "新增 " + strconv.Itoa(len(a.matters)) + " 项",
		"加重 0 项", `id="bulletin-leaders"`, `id="bulletin-units"`, `id="bulletin-townships"`, `id="bulletin-categories"`, "城关镇"} {
		if !strings.Contains(page, want) {
			t.Errorf("the June 2025 bulletin lacks %s:\n%s", want, excerpt(page))
		}
	}
	// The leaders' row: leader owns one matter with progress this month.
	if !strings.Contains(page, "<tr><td>leader</td><td>1</td><td>1</td>") {
		t.Errorf("leader's progress:\n%s", page[strings.Index(page, `id="bulletin-leaders"`):])
	}
	// A month no run was screened in: no changes; before any run: says so.
	if _, page = a.as("office").get("/bulletin?month=2025-05"); !strings.Contains(page, "2025-05 月底前尚无筛查结果") {
		t.Errorf("a month before the first run:\n%s", excerpt(page))
	}
}

// TestLedgerWorkbookPrints reads the ledger's and the bulletin's workbooks back: landscape, one
// page wide, the header row repeated on every page and frozen, a title row, Chinese-wide columns
// and wrapped long text.
func TestLedgerWorkbookPrints(t *testing.T) {
	a := newApp(t)
	m1, _ := baoanMonth(a)
	u := a.as("office")
	resp, body := u.get("/ledger.xlsx?month=2026-03")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("ledger.xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if sheet != "月度包案台账" {
		t.Errorf("sheet %q", sheet)
	}
	checkPrintable(t, f, sheet, "$2:$2")
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || !strings.HasPrefix(rows[0][0], "信访局 · 月度包案台账 · 2026年03月") || rows[1][0] != "序号" || rows[1][9] != "本月进展" {
		t.Fatalf("ledger rows: %q", rows)
	}
	var title1 string
	if err := a.db.QueryRow(`SELECT title FROM watchlist WHERE matter_id = $1 LIMIT 1`, m1).Scan(&title1); err != nil || title1 == "" {
		t.Fatalf("the first matter's title %q: %v", title1, err)
	}
	if rows[2][1] != title1 || rows[2][3] != "leader" || rows[2][4] != "office" || !strings.Contains(rows[2][9], "三月走访两次") {
		t.Errorf("the first matter's row: %q", rows[2])
	}
	if !strings.Contains(rows[3][10], "请三日内约谈") {
		t.Errorf("the supervised matter's row: %q", rows[3])
	}
	if w, _ := f.GetColWidth(sheet, "J"); w < 30 {
		t.Errorf("progress column %v characters wide", w)
	}
	if st, _ := f.GetCellStyle(sheet, "J3"); st == 0 {
		t.Error("progress cells have no style")
	} else if s, _ := f.GetStyle(st); s.Alignment == nil || !s.Alignment.WrapText {
		t.Error("progress cells do not wrap")
	}

	_, body = u.get("/bulletin.xlsx?month=2025-06")
	fb, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	checkPrintable(t, fb, "月度通报", "")
	rows, _ = fb.GetRows("月度通报")
	if len(rows) < 8 || !strings.Contains(rows[1][0], "在册预警事项") {
		t.Errorf("bulletin rows: %q", rows)
	}
}

// checkPrintable checks sheet prints on A4 landscape one page wide, with titles repeating
// rows titles ("" for none).
func checkPrintable(t *testing.T, f *excelize.File, sheet, titles string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("%s page layout: %+v", sheet, pl)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("%s does not fit to the page: %+v %v", sheet, props, err)
	}
	var got string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			got = dn.RefersTo
		}
	}
	if titles == "" {
		if got != "" {
			t.Errorf("%s repeats %s", sheet, got)
		}
		return
	}
	if want := "'" + sheet + "'!" + titles; got != want {
		t.Errorf("%s print titles %q, want %q", sheet, got, want)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("%s panes %+v %v", sheet, panes, err)
	}
}
