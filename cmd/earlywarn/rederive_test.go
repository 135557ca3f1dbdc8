package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestOutputsRederivedAfterKillDuringPublish (issue 12, finding 7): run B is stored and killed
// with SIGKILL while it renames its outputs into place. The next run, on the next night's
// export (B's contacts and events again, and a cases file with one more row, rejected), first
// writes B's outputs again from the database and says so; its own outputs then carry B's
// files: 读入 counts B's rows and its own, and quarantine.csv lists B's rejected rows as an
// uninterrupted B run listed them, beside its own. The run after that carries nothing.
func TestOutputsRederivedAfterKillDuringPublish(t *testing.T) {
	inputA, inputB, wantB := uninterrupted(t)
	var refB pipeline.Summary
	if err := json.Unmarshal(wantB[publish.SummaryJSON], &refB); err != nil {
		t.Fatal(err)
	}
	readB := int64(0)
	for _, f := range refB.Inputs {
		readB += f.Read
	}

	dir := t.TempDir()
	mustRun(t, runArgs(dir, inputA)...)
	kill(t, startPaused(t, "moving outputs into place", runArgs(dir, inputB)))
	var killed string
	withDB(t, filepath.Join(dir, "ew.duckdb"), func(db *sql.DB) error {
		return db.QueryRow("SELECT run_id FROM runs ORDER BY finished_at DESC LIMIT 1").Scan(&killed)
	})

	inputC := t.TempDir()
	for _, name := range []string{"contacts.csv", "events.csv", "cases.csv"} {
		b, err := os.ReadFile(filepath.Join(inputB, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "cases.csv" {
			b = append(b, "XF-016,2025-06-25,pigeon,county,P-q,1,教育,城关镇,,县教育局,县教育局,办理中,渠道不明。\n"...)
		}
		if err := os.WriteFile(filepath.Join(inputC, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := cli(t, runArgs(dir, inputC)...)
	if code != exitOK {
		t.Fatalf("run after the kill: exit %d\n%s%s", code, out, errs)
	}
	got := outputs(t, filepath.Join(dir, "out"))
	var s pipeline.Summary
	if err := json.Unmarshal(got[publish.SummaryJSON], &s); err != nil {
		t.Fatal(err)
	}
	var read, readC int64
	for _, f := range s.Inputs {
		read += f.Read
		if f.UnpublishedRun == "" && !f.Skipped {
			readC += f.Read
		}
	}
	casesC := filepath.Join(inputC, "cases.csv")
	if lines := int64(bytes.Count(readFile(t, casesC), []byte("\n"))) - 1; readC != lines || read != readB+lines {
		t.Errorf("rows read %d (%d of its own), want B's %d and the %d of %s", read, readC, readB, lines, casesC)
	}
	for _, want := range []string{
		fmt.Sprintf("中没有运行 %s 的完整结果（其发布中断，或换了输出文件夹），已从数据库重新写出", killed),
		fmt.Sprintf("结果文件未曾完整发布的运行 %s 载入的文件 3 个", killed),
		fmt.Sprintf("读入 %d 行", read),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the run after the kill does not say %q:\n%s", want, out)
		}
	}

	// quarantine.csv: B's rows as the uninterrupted B run wrote them, then the new cases file's.
	var ofB, ofC [][]string
	for _, r := range csvRows(t, got[publish.QuarantineCSV]) {
		if r[0] == casesC {
			ofC = append(ofC, r)
		} else {
			ofB = append(ofB, r)
		}
	}
	if wantRows := csvRows(t, wantB[publish.QuarantineCSV]); !slices.EqualFunc(ofB, wantRows, slices.Equal) || len(wantRows) == 0 {
		t.Errorf("quarantine.csv lists of B's rows\n%q\nthe uninterrupted B run listed\n%q", ofB, wantRows)
	}
	if !slices.ContainsFunc(ofC, func(r []string) bool { return r[3] == "来信来访方式（channel）" && r[5] == "pigeon" }) {
		t.Errorf("quarantine.csv lacks the new rejected row: %q", ofC)
	}

	// The outputs are in place whole now. The next run finds nothing new and leaves them; told to
	// screen in full, it neither writes them again nor carries B.
	code, out, errs = cli(t, runArgs(dir, inputC)...)
	if code != exitOK || !strings.Contains(out, "没有新记录") || len(csvRows(t, outputs(t, filepath.Join(dir, "out"))[publish.QuarantineCSV])) != len(ofB)+len(ofC) {
		t.Errorf("the run after that, with nothing new: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, append(runArgs(dir, inputC), "--full")...)
	if code != exitOK || strings.Contains(out, "重新写出") || strings.Contains(out, "未曾完整发布") || !strings.Contains(out, "读入 0 行") {
		t.Errorf("the run after that, in full: exit %d\n%s%s", code, out, errs)
	}
	if rows := csvRows(t, outputs(t, filepath.Join(dir, "out"))[publish.QuarantineCSV]); len(rows) != 0 {
		t.Errorf("quarantine.csv of the run after that: %q", rows)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// csvRows are the records of a CSV output after its byte-order mark and header.
func csvRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("not a CSV with a header: %v", err)
	}
	return recs[1:]
}
