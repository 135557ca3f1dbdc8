package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenFormat: --format office writes the office export's files; a format that does not
// exist is a usage error naming the flag and the formats there are.
func TestGenFormat(t *testing.T) {
	out := t.TempDir()
	code, stdout, errs := cli(t, "gen", "--seed", "3", "--cases", "1000", "--format", "office", "--out", out)
	if code != 0 || !strings.Contains(stdout, "1000") {
		t.Fatalf("exit %d\n%s%s", code, stdout, errs)
	}
	for _, name := range []string{"信访件.csv", "来访来信记录.csv", "办理过程.csv", "ground_truth.csv", "generator.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "cases.csv")); err == nil {
		t.Error("the office format also wrote cases.csv")
	}
	for lang, want := range map[string]string{"zh": "`--format` \"xlsx\" 不是可用的格式；可选 canonical, office",
		"en": "`--format` \"xlsx\" is not a format; choose canonical, office"} {
		code, _, errs = cli(t, "gen", "--format", "xlsx", "--out", t.TempDir(), "--lang", lang)
		if code != exitUsage || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, stderr %q", lang, code, errs)
		}
	}
}

// TestGenBoardLoadsThroughItsProfile: a board from `gen --format board` loads through the
// shipped profile cn-message-board-csv, named by --profile, with every row loaded and none
// quarantined.
func TestGenBoardLoadsThroughItsProfile(t *testing.T) {
	in, dir := t.TempDir(), t.TempDir()
	code, stdout, errs := cli(t, "gen", "--seed", "5", "--cases", "1500", "--format", "board", "--out", in)
	if code != 0 || !strings.Contains(stdout, "1500") {
		t.Fatalf("gen: exit %d\n%s%s", code, stdout, errs)
	}
	for _, name := range []string{"board.csv", "ground_truth.csv"} {
		if _, err := os.Stat(filepath.Join(in, name)); err != nil {
			t.Error(err)
		}
	}
	code, stdout, errs = cli(t, "run", "--config", "../../configs/default.yaml", "--input", in,
		"--profile", "cn-message-board-csv", "--db", filepath.Join(dir, "ew.duckdb"), "--out", filepath.Join(dir, "out"),
		"--as-of", "2025-12-31")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, errs)
	}
	var summary struct {
		Inputs []struct {
			Path        string `json:"path"`
			Read        int    `json:"rows_read"`
			Loaded      int    `json:"rows_loaded"`
			Quarantined int    `json:"rows_quarantined"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "out", "summary.json")), &summary); err != nil {
		t.Fatal(err)
	}
	board := false
	for _, f := range summary.Inputs {
		if filepath.Base(f.Path) != "board.csv" {
			continue
		}
		board = true
		if f.Read != 1500 || f.Loaded != 1500 || f.Quarantined != 0 {
			t.Errorf("board.csv: read %d, loaded %d, quarantined %d; want 1500, 1500, 0", f.Read, f.Loaded, f.Quarantined)
		}
	}
	if !board {
		t.Errorf("summary.json lists no board.csv: %+v", summary.Inputs)
	}
}
