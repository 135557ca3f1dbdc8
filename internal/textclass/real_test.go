package textclass

import (
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/realdata"
)

// sheet reads the rows of Sheet1 of a file of the real message board.
func sheet(t testing.TB, name string) [][]string {
	f, err := excelize.OpenFile(realdata.File(t, "cn-message-board/"+name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// labelled reads the real board's labelled messages: subject and body, and the category.
func labelled(t testing.TB) (texts, labels []string) {
	rows := sheet(t, "labelled.xlsx")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	get := func(r []string, name string) string {
		if i := col[name]; i < len(r) {
			return r[i]
		}
		return ""
	}
	for _, r := range rows[1:] {
		if get(r, "一级分类") == "" {
			continue
		}
		texts = append(texts, get(r, "留言主题")+"\n"+get(r, "留言详情"))
		labels = append(labels, get(r, "一级分类"))
	}
	return texts, labels
}

// taxonomy reads the office's category scheme: each level-2 and level-3 pair as a text labelled
// with its level-1 category, for the categories in have.
func taxonomy(t testing.TB, have []string) Set {
	var s Set
	for _, r := range sheet(t, "taxonomy.xlsx")[1:] {
		if len(r) == 3 && slices.Contains(have, r[0]) {
			s.Add(r[1]+" "+r[2], r[0])
		}
	}
	return s
}

// TestLabelledCrossValidation is the README's figure: macro-F1 in 5-fold cross-validation
// (seed 1) of the default model on the real board's 495 labelled messages, trained with and
// without the category scheme's terms. The floors are a little under what it measured.
func TestLabelledCrossValidation(t *testing.T) {
	texts, labels := labelled(t)
	if len(texts) != 495 {
		t.Fatalf("%d labelled messages, want 495", len(texts))
	}
	for _, c := range []struct {
		extra Set
		floor float64
	}{{Set{}, 0.75}, {taxonomy(t, labels), 0.81}} {
		ev, err := CrossValidate(Set{texts, labels}, c.extra, DefaultOptions(), 5, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		temp := ev.Calibrate()
		cover, prec := ev.AtConfidence(labels, 0.5)
		t.Logf("with %d taxonomy terms: macro-F1 %.3f, accuracy %.3f; temperature %.3g: confidence ≥ 0.5 for %.0f%% of messages, %.1f%% of them right",
			len(c.extra.Texts), ev.MacroF1, ev.Accuracy, temp, 100*cover, 100*prec)
		if ev.MacroF1 < c.floor {
			t.Errorf("macro-F1 %.3f, under %.2f", ev.MacroF1, c.floor)
		}
	}
}
