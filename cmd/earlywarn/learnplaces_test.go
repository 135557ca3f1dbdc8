package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/places"
)

// TestLearnPlaces learns a gazetteer from a generated board through its profile: the file reads
// back as a gazetteer with the board's estates and some short names, the same input writes the
// same bytes, the entries of the config's own gazetteer come first, and a run names the file in
// its config and screens with it. A --min-count below 1 is a usage error.
func TestLearnPlaces(t *testing.T) {
	dir := t.TempDir()
	board := filepath.Join(dir, "board")
	if code, out, errs := cli(t, "gen", "--seed", "3", "--cases", "1500", "--format", "board", "--out", board); code != exitOK {
		t.Fatalf("gen: exit %d\n%s%s", code, out, errs)
	}
	defaults, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.yaml")
	own := "name,aliases,kind\n某某职业技术学院,某某职院,school\n"
	if err := os.WriteFile(filepath.Join(dir, "own.csv"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, append(defaults, "\ntext:\n  gazetteer: own.csv\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "learnt.csv")
	learn := func(out string) string {
		code, stdout, errs := cli(t, "learn-places", "--config", config, "--input", board, "--profile", "cn-message-board-csv", "--out", out)
		if code != exitOK {
			t.Fatalf("learn-places: exit %d\n%s%s", code, stdout, errs)
		}
		return stdout
	}
	stdout := learn(out)
	for _, want := range []string{"条文本，学到", "个可按简称识别", "原地名表 `own.csv` 的 1 条照录在前", "地名表已写入"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	es, err := places.ReadGazetteer(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) < 30 || es[0].Name != "某某职业技术学院" {
		t.Fatalf("%d entries, the first %+v: want the config's own first and at least 50", len(es), es[0])
	}
	estates, short := 0, 0
	for _, e := range es[1:] {
		if e.Kind == places.KindEstate {
			estates++
		}
		for _, a := range e.Aliases {
			if strings.Contains(e.Name, a) && len(a) < len(e.Name) {
				short++
				break
			}
		}
	}
	if estates < 10 || short < 10 {
		t.Errorf("%d estates, %d entries with a short name: want at least 10 of each", estates, short)
	}
	// The same input again, to a folder still to make: the same bytes.
	nested := filepath.Join(dir, "new", "folder", "g.csv")
	learn(nested)
	if again, _ := os.ReadFile(nested); string(again) != string(b) {
		t.Error("the same input wrote a different gazetteer")
	}

	// A run with the learnt gazetteer.
	if err := os.WriteFile(config, append(defaults, "\ntext:\n  gazetteer: learnt.csv\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, errs := cli(t, "run", "--config", config, "--input", board, "--profile", "cn-message-board-csv",
		"--db", filepath.Join(dir, "x.duckdb"), "--out", filepath.Join(dir, "out"), "--as-of", "2025-12-31"); code != exitOK {
		t.Fatalf("run with the learnt gazetteer: exit %d\n%s%s", code, stdout, errs)
	}

	if code, _, errs := cli(t, "learn-places", "--config", config, "--input", board, "--profile", "cn-message-board-csv", "--min-count", "0"); code != exitUsage || !strings.Contains(errs, "--min-count") {
		t.Errorf("--min-count 0: exit %d, %s", code, errs)
	}
	// --out naming a folder.
	if code, _, errs := cli(t, "learn-places", "--config", config, "--input", board, "--profile", "cn-message-board-csv", "--out", dir); code == exitOK || !strings.Contains(errs, "是一个文件夹") {
		t.Errorf("--out a folder: exit %d, %s", code, errs)
	}
}
