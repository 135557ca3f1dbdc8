package groundtruth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func TestEvaluate(t *testing.T) {
	events := []Event{
		{ID: "t1", Family: "repeat", CaseIDs: []string{"a"}},
		{ID: "t2", Family: "repeat", CaseIDs: []string{"b"}},
		{ID: "t3", Family: "group", CaseIDs: []string{"c", "d", "e"}},
	}
	flags := []Flag{
		{Family: "repeat", Matter: "case:a", CaseIDs: []string{"a"}},
		{Family: "repeat", Matter: "case:z", CaseIDs: []string{"z"}},
		{Family: "group", Matter: "group:1", CaseIDs: []string{"e", "f"}},
		{Family: "stalled", Matter: "case:b", CaseIDs: []string{"b"}}, // right case, wrong family
	}
	s := Evaluate(events, flags)
	check := func(family string, recall, precision float64) {
		t.Helper()
		if got := s[family]; got.Recall() != recall || got.Precision() != precision {
			t.Errorf("%s: recall %v precision %v, want %v %v", family, got.Recall(), got.Precision(), recall, precision)
		}
	}
	check("repeat", 0.5, 0.5)
	check("group", 1, 1)
	check("stalled", 1, 0)
	if len(s["repeat"].Missed) != 1 || s["repeat"].Missed[0] != "t2" {
		t.Errorf("missed %v", s["repeat"].Missed)
	}
}

// TestReadErrors: what is wrong with a ground-truth file is said with the file and the line, in
// the user's language.
func TestReadErrors(t *testing.T) {
	const header = "truth_id,family,kind,case_ids,first_date,peak_date,note\n"
	dir := t.TempDir()
	for _, c := range []struct {
		name, body string
		zh, en     string
	}{
		{"empty", "", "是空的", "is empty"},
		{"no column", "truth_id,family\n", "缺少 kind 列", "has no column kind"},
		{"bad date", header + "T1,group,wave,a;b,2025-01-02,2025-01-03,\nT2,group,wave,c,2025-02-30,2025-03-01,\n",
			"第 3 行：first_date 的值 \"2025-02-30\" 不是", "line 3: first_date \"2025-02-30\" is not a date"},
		{"field count", header + "T1,group\n", "第 2 行：字段数与表头不一致", "line 2: the number of fields differs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".csv")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(path)
			if err == nil {
				t.Fatal("Read accepted a bad file")
			}
			if got := i18n.Localize("zh", err); !strings.Contains(got, c.zh) || !strings.Contains(got, path) {
				t.Errorf("zh: %q, want %q and the path", got, c.zh)
			}
			if got := i18n.Localize("en", err); !strings.Contains(got, c.en) {
				t.Errorf("en: %q, want %q", got, c.en)
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(i18n.Localize("en", err), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
}
