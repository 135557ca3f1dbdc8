package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// TestCorrectedExportThroughProfile: a later export of the same cases (closed since, one
// geography filled in) replaces them with their contact and events; the earlier file is
// skipped when seen again.
func TestCorrectedExportThroughProfile(t *testing.T) {
	const header = "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n"
	cfg := testConfig(t)
	cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
	dir := t.TempDir()
	cfg.Input = dir
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(header+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2024-01.csv", "NYCC1,NYCC01,2023-01-02,,Housing,Heat,,,,,\nNYCC2,NYCC01,2023-01-03,,Housing,Heat,,,,,\n")
	run := func() *Summary {
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2024-06-30"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	run()
	write("2024-02.csv", "NYCC1,NYCC01,2023-01-02,2024-02-01,Housing,Heat,10001,Manhattan,New York,NYCC01,01 Manhattan\n")
	s := run()
	if len(s.Inputs) != 2 || !s.Inputs[0].Skipped || s.Inputs[1].Read != 1 || s.Inputs[1].Loaded != 1 {
		t.Fatalf("inputs %+v", s.Inputs)
	}
	r := query(t, cfg, `SELECT case_id, status, township, (SELECT count(*) FROM contacts o WHERE o.case_id = c.case_id),
  (SELECT string_agg(event_type, ',' ORDER BY event_type) FROM events e WHERE e.case_id = c.case_id) FROM cases c ORDER BY case_id`)
	want := [][]any{{"NYCC1", "closed", "Manhattan", int64(1), "accepted,closed"}, {"NYCC2", "open", "Unspecified", int64(1), "accepted"}}
	if len(r) != 2 {
		t.Fatalf("cases %v", r)
	}
	for i := range want {
		for j := range want[i] {
			if r[i][j] != want[i][j] {
				t.Errorf("case %d: %v, want %v", i, r[i], want[i])
				break
			}
		}
	}
	// The closed case is no longer on the watchlist; the open one still is.
	w := query(t, cfg, "SELECT matter_id FROM watchlist WHERE run_id = $1 ORDER BY matter_id", s.RunID)
	if len(w) != 1 || w[0][0] != "case:NYCC2" {
		t.Errorf("watchlist %v, want only case:NYCC2", w)
	}
}

// A field read through a profile is named with the export's column it comes from: in
// quarantine.csv and in the error of a file over the reject limit.
func TestRejectsNameTheExportColumn(t *testing.T) {
	const header = "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n"
	cfg := testConfig(t)
	cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
	dir := t.TempDir()
	cfg.Input = dir
	body := ""
	for i := range 40 {
		closed := ""
		if i == 7 {
			closed = "2023-01-01" // closed before it was received
		}
		body += fmt.Sprintf("NYCC%d,NYCC01,2023-01-%02d,%s,Housing,Heat,,,,,\n", i, 2+i%27, closed)
	}
	if err := os.WriteFile(filepath.Join(dir, "2024-01.csv"), []byte(header+body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2024-06-30"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(cfg.Output, "quarantine.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "办结日期（closed_date），即导出的“closedate”列"; !strings.Contains(string(b), want) || s.Inputs[0].Quarantined != 1 {
		t.Errorf("quarantine.csv (%d rows quarantined) lacks %q:\n%s", s.Inputs[0].Quarantined, want, b)
	}
	// A repeated id: quarantined with the line of the row that stands (the header is line 1):
	// line 42 repeats line 7's NYCC5 as completely, and is the later.
	dup := "NYCC5,NYCC01,2023-01-09,,Housing,Heat,,,,,\n"
	if err := os.WriteFile(filepath.Join(dir, "2024-01b.csv"), []byte(header+body+dup), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2024-06-30"), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if b, err = os.ReadFile(filepath.Join(cfg.Output, "quarantine.csv")); err != nil {
		t.Fatal(err)
	}
	if want := "2024-01b.csv,7,NYCC5,信访件编号（case_id），即导出的“unique_key”列,文件内编号重复；已载入同一编号下更完整或更靠后的第 42 行,NYCC5"; !strings.Contains(string(b), want) {
		t.Errorf("quarantine.csv lacks %q:\n%s", want, b)
	}
	if err := os.Remove(filepath.Join(dir, "2024-01b.csv")); err != nil {
		t.Fatal(err)
	}
	// Every date unreadable: the error names the column too.
	body = strings.ReplaceAll(body, ",2023-01-", ",01/")
	if err := os.WriteFile(filepath.Join(dir, "2024-02.csv"), []byte(header+body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Quarantine.MaxRejectRate = 0.05
	_, err = Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2024-06-30"), Version: "test"})
	if want := "受理日期（received_date），即导出的“opendate”列"; err == nil || !strings.Contains(i18n.Localize("zh", err), want) {
		t.Errorf("error %v, want one naming %q", err, want)
	}
}
