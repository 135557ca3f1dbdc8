package main

import (
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
