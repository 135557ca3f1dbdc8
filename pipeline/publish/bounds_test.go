package publish_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/progress"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/web/review"
)

// bigRun is a database with the pipeline's run and a run "big" of n matters, every tenth owned,
// which cleared the first run's matters.
func bigRun(t *testing.T, n int) (*sql.DB, int) {
	t.Helper()
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	if err := review.EnsureSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	pipelinetest.AddBigRun(t, db, n)
	pipelinetest.Exec(t, db, `INSERT INTO matter_changes (run_id, matter_id, state, prev_run_id, tier, prev_tier, note_zh, note_en)
SELECT 'big', matter_id, 'cleared', run_id, NULL, tier, '本次不再触发任何预警规则', 'no longer flagged' FROM watchlist WHERE run_id = '`+s.RunID+`'`)
	// Ten cases due soon at two units, the most urgent (days left 0 to 2) at the second.
	pipelinetest.Exec(t, db, `UPDATE runs SET record = '{"due_soon_days": 7}' WHERE run_id = 'big'`,
		`INSERT INTO due_soon SELECT 'big', 'D' || i, 'handling', DATE '2025-12-31' + (7 - i % 8)::INTEGER, 7 - i % 8,
  CASE WHEN i % 8 >= 5 THEN '乙局' ELSE '甲局' END, '乡镇1', '类别1', DATE '2025-11-01' FROM range(0, 10) t(i)`)
	return db, int(s.WatchlistItems)
}

// Each list of the workbook and the report holds at most watchlist.sheet_rows rows and says how
// many there are in all; watchlist.csv and watchlist.parquet still hold every matter, also when
// the CSV is read in pages smaller than the list.
func TestListsHoldSheetRowsAndTheFilesEveryMatter(t *testing.T) {
	const n, rows = 53, 7
	db, cleared := bigRun(t, n)
	if cleared <= 3 || cleared > rows {
		t.Fatalf("the first run has %d matters; the test wants 4 to %d cleared", cleared, rows)
	}
	defer publish.SetCSVPageRows(5)()
	dir := t.TempDir()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	set := publish.Settings{Lang: "zh", SheetRows: rows, Location: time.UTC}
	if err := publish.Publish(ctx, conn, db, dir, set, &runrecord.Summary{RunID: "big"}, progress.Quiet{}); err != nil {
		t.Fatal(err)
	}

	// watchlist.csv: every matter, in rank order, across the pages.
	recs := readCSV(t, filepath.Join(dir, publish.WatchlistCSV))
	if len(recs) != n+1 {
		t.Fatalf("watchlist.csv has %d rows, want the header and %d matters", len(recs), n)
	}
	for i, r := range recs[1:] {
		if r[0] != strconv.Itoa(i+1) {
			t.Fatalf("watchlist.csv row %d has rank %s", i+1, r[0])
		}
	}
	// watchlist.parquet: every matter.
	var inParquet, lastRank int
	if err := db.QueryRow(`SELECT count(*), max(rank) FROM read_parquet($1)`, filepath.Join(dir, publish.WatchlistParquet)).Scan(&inParquet, &lastRank); err != nil {
		t.Fatal(err)
	}
	if inParquet != n || lastRank != n {
		t.Errorf("watchlist.parquet has %d matters up to rank %d, want %d", inParquet, lastRank, n)
	}

	wb := open(t, filepath.Join(dir, publish.WatchlistXLSX))
	sheet := func(name string) [][]string {
		t.Helper()
		r, err := wb.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wl := sheet("预警清单")
	if want := "预警清单共 53 项，本表按序号列出前 7 项；全部事项见同一文件夹中的 watchlist.csv 和 watchlist.parquet。"; wl[0][0] != want {
		t.Errorf("watchlist sheet's note %q, want %q", wl[0][0], want)
	}
	if len(wl) != 2+rows || wl[2][0] != "1" || wl[len(wl)-1][0] != strconv.Itoa(rows) {
		t.Errorf("watchlist sheet has %d rows (ranks %s to %s), want the note, the header and ranks 1 to %d", len(wl), wl[2][0], wl[len(wl)-1][0], rows)
	}
	if tables, err := wb.GetTables("预警清单"); err != nil || len(tables) != 1 || tables[0].Range != "A2:T9" {
		t.Errorf("tables %+v %v, want one over A2:T9", tables, err)
	}
	if !strings.Contains(strings.Join(flat(sheet("需处理事项")), "|"), "完整清单共 53 项：“预警清单”表按序号列出前 7 项，全部事项见同一文件夹中的 watchlist.csv 和 watchlist.parquet") {
		t.Error("the first sheet does not say the watchlist sheet lists the first 7 of 53")
	}
	// The first run's matters, all cleared by run big: fewer than rows, all listed.
	gone := sheet("本次消除")
	if len(gone) != 1+cleared {
		t.Errorf("cleared sheet has %d rows for %d cleared matters", len(gone), cleared)
	}
	// 包案台账: the six owned matters of run big (ranks 1, 11, …, 51), all listed.
	ledger := sheet("包案台账")
	if len(ledger) != 7 {
		t.Errorf("ledger %d rows, want the header and 6", len(ledger))
	}

	// report.html: the collapsed list at most rows, and where every matter is.
	b, err := os.ReadFile(filepath.Join(dir, publish.ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"完整清单（53 项）", "展开前 7 项", `<a href="watchlist.csv">watchlist.csv</a> · <a href="watchlist.parquet">watchlist.parquet</a>`,
		`另见工作簿（“预警清单”表，按序号列出前 7 项）： <a href="watchlist.xlsx">watchlist.xlsx</a>`} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	full := html[strings.Index(html, `<details id="full">`):]
	if got := strings.Count(full[:strings.Index(full, "</details>")], "<tr>") - 1; got != rows {
		t.Errorf("report.html's full list shows %d matters, want %d", got, rows)
	}
	// The ownership section lists the first 3 of the 6 owned when the cap is 3.
	d, err := publish.LoadReport(ctx, db, "big", publish.Settings{Lang: "zh", SheetRows: 3}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Baoan.Matters) != 3 || !strings.HasSuffix(d.Baoan.Intro, "此处按序号列出前 3 项。") || len(d.Full) != 3 {
		t.Errorf("report with 3 rows: %d owned shown (%q), %d of the full list", len(d.Baoan.Matters), d.Baoan.Intro, len(d.Full))
	}
	if d.DueSoon.Total != 10 || len(d.DueSoon.Units) != 1 || len(d.DueSoon.Units[0].Cases) != 3 {
		t.Errorf("report's due-soon list with 3 rows: %d in all, %+v", d.DueSoon.Total, d.DueSoon.Units)
	}
	// With 3 rows: the ledger, the cleared matters (the first run's) and 临期预警 are cut too.
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := publish.WriteXLSX(ctx, db, "big", publish.Settings{Lang: "zh", SheetRows: 3}, path, time.Now()); err != nil {
		t.Fatal(err)
	}
	wb = open(t, path)
	// 临期预警: the 3 most urgent of 10, the note saying so, in the workbook and the report.
	due := sheet("临期预警")
	if want := "此处列出其中最紧迫的 3 件，全部见审阅应用的“临期预警”页。"; len(due) != 2+3 || !strings.HasPrefix(due[0][0], "当前阶段将在 7 天内到期、仍在办理的信访件共 10 件，涉及 2 个责任单位") || !strings.HasSuffix(due[0][0], want) {
		t.Errorf("due-soon sheet with 3 rows: %v, want the note ending %q, the header and 3 cases", due, want)
	}
	for _, r := range due[2:] {
		if r[0] != "乙局" || r[4] > "2" {
			t.Errorf("due-soon sheet lists %v, not one of the 3 most urgent", r)
		}
	}
	ledger = sheet("包案台账")
	if want := "包案事项共 6 项，此表列出前 3 项；"; len(ledger) != 1+3+2 || !strings.HasPrefix(ledger[5][0], want) {
		t.Errorf("ledger with 3 rows: %v, want the header, 3 matters, a blank row and %q…", ledger, want)
	}
	if !hasAutoFilter(t, wb, "包案台账", "A1:M4") {
		t.Error("the ledger's filter is not over its 3 rows")
	}
	gone = sheet("本次消除")
	if want := "本次共消除 " + strconv.Itoa(cleared) + " 项，此表按上次的序号列出前 3 项"; len(gone) != 1+3+2 || !strings.HasPrefix(gone[5][0], want) {
		t.Errorf("cleared sheet with 3 rows: %v, want the header, 3 matters, a blank row and %q…", gone, want)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestPublishPastExcelsRows publishes a run of more matters than an Excel sheet holds, with the
// default settings: the workbook lists the first watchlist.sheet_rows of them and the CSV and the
// Parquet file all. Slow (a minute or more), so it runs only when asked:
// EW_BIG_WATCHLIST=1100000 go test -tags duckdb_arrow ./pipeline/publish -run PastExcelsRows -v
func TestPublishPastExcelsRows(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("EW_BIG_WATCHLIST"))
	if n == 0 {
		t.Skip("set EW_BIG_WATCHLIST to a number of matters, e.g. 1100000")
	}
	db, _ := bigRun(t, n)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	dir := t.TempDir()
	start := time.Now()
	if err := publish.Publish(ctx, conn, db, dir, publish.Settings{Lang: "zh"}, &runrecord.Summary{RunID: "big"}, progress.Quiet{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("published %d matters in %.1f s", n, time.Since(start).Seconds())
	var inCSV, inParquet int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM read_csv($1, header = true, all_varchar = true)), (SELECT count(*) FROM read_parquet($2))`,
		filepath.Join(dir, publish.WatchlistCSV), filepath.Join(dir, publish.WatchlistParquet)).Scan(&inCSV, &inParquet); err != nil {
		t.Fatal(err)
	}
	if inCSV != n || inParquet != n {
		t.Errorf("watchlist.csv has %d matters, watchlist.parquet %d; want %d", inCSV, inParquet, n)
	}
	wb := open(t, filepath.Join(dir, publish.WatchlistXLSX))
	for _, name := range wb.GetSheetList() {
		rows, err := wb.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d rows", name, len(rows))
		if len(rows) > 10_004 {
			t.Errorf("sheet %s has %d rows", name, len(rows))
		}
	}
}

// Under a memory_limit too small for the watchlist's id lists three times over, the lanes take
// turns, and write the same full list as side by side.
func TestTightMemoryPublishesInTurnsTheSameFiles(t *testing.T) {
	db, _ := bigRun(t, 53)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var ids int64
	if err := conn.QueryRowContext(ctx, `SELECT sum(len(case_ids) + len(contact_ids) + len(event_ids)) FROM watchlist WHERE run_id = 'big'`).Scan(&ids); err != nil || ids == 0 {
		t.Fatalf("run big's ids: %d %v", ids, err)
	}
	for _, c := range []struct {
		memory int64
		want   bool
	}{{0, true}, {6 * ids * 32, true}, {6*ids*32 - 1, false}, {1, false}} {
		if got, err := publish.SideBySide(ctx, conn, "big", c.memory); err != nil || got != c.want {
			t.Errorf("side by side under %d bytes: %v %v, want %v", c.memory, got, err, c.want)
		}
	}
	files := func(memory int64) (csv, parquet string) {
		t.Helper()
		dir := t.TempDir()
		set := publish.Settings{Lang: "zh", Location: time.UTC, Memory: memory}
		if err := publish.Publish(ctx, conn, db, dir, set, &runrecord.Summary{RunID: "big"}, progress.Quiet{}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, publish.WatchlistCSV))
		if err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, `SELECT string_agg(CAST(p AS VARCHAR), '|') FROM read_parquet($1) p`,
			filepath.Join(dir, publish.WatchlistParquet)).Scan(&parquet); err != nil {
			t.Fatal(err)
		}
		return string(b), parquet
	}
	csvTurns, parquetTurns := files(1)
	csvSide, parquetSide := files(0)
	if csvTurns != csvSide || parquetTurns != parquetSide {
		t.Error("the lanes in turns wrote another watchlist.csv or watchlist.parquet than side by side")
	}
	if !strings.Contains(csvTurns, "\n53,") {
		t.Error("watchlist.csv written in turns lacks rank 53")
	}
}
