package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBacktestCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := cli(t, "backtest", "--config", "../../configs/default.yaml", "--input", "testdata/tiny",
		"--out", dir, "--from", "2025-06-28", "--to", "2025-06-30", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"backtest 2025-06-28 to 2025-06-30: 3 days", "[stalled]", "stalled-overdue", "backtest.svg"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"backtest.csv", "backtest.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestBacktestRejectsBadDates(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2025-13-01"}, "`--from` 的值 \"2025-13-01\" 不是日期"},
		{[]string{"--from", "2025-06-10", "--to", "2025-06-01"}, "`--from` 2025-06-10 晚于 `--to` 2025-06-01"},
	} {
		args := append([]string{"backtest", "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--out", t.TempDir()}, tt.args...)
		code, _, errs := cli(t, args...)
		if code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, exitUsage, tt.want)
		}
	}
}
