package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tiny fixture rejects 3 of its 10 cases (30%), 1 of 13 contacts and 1 of 13 events (7.7%):
// all over the default limit of 5%.
func TestRejectRateOverTheLimitFailsWithALinePerFile(t *testing.T) {
	dir := t.TempDir()
	args := []string{"run", "--config", "../../configs/default.yaml", "--input", "testdata/tiny",
		"--db", filepath.Join(dir, "ew.duckdb"), "--out", filepath.Join(dir, "out"), "--as-of", "2025-06-30"}
	code, out, errs := cli(t, args...)
	if code != exitFailure || strings.Count(strings.TrimSpace(errs), "\n") != 3 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, want := range []string{"3 个输入文件", "全部放行需 `--max-reject-rate 0.30`",
		filepath.Join("testdata", "tiny", "cases.csv"), "被隔离 3 行，共读取 10 行（30.0%）", "`quarantine.max_reject_rate` 0.05",
		filepath.Join("testdata", "tiny", "contacts.csv"), filepath.Join("testdata", "tiny", "events.csv"),
		"本次未保存任何数据", "--max-reject-rate 0.30"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a failed run wrote outputs")
	}

	// The config key raises the limit as the flag does.
	cfg := filepath.Join(dir, "lenient.yaml")
	body, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(body, "\nquarantine:\n  max_reject_rate: 0.3\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	args[2] = cfg
	if code, out, errs := cli(t, args...); code != exitOK || !strings.Contains(out, "quarantine.csv") {
		t.Errorf("with max_reject_rate 0.3: exit %d\n%s%s", code, out, errs)
	}
}
