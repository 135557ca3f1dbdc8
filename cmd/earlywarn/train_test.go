package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/realdata"
)

// TestTrainCategoryEndToEnd trains a category model on the real board's labelled messages,
// read through their profile, with the category scheme, and checks the cross-validation it
// prints; then a run of the board's replies, which have no category, with the model in its
// config fills most cases' categories and says so. The same training writes the same bytes.
func TestTrainCategoryEndToEnd(t *testing.T) {
	labelled := realdata.File(t, "cn-message-board/labelled.xlsx")
	taxonomy := realdata.File(t, "cn-message-board/taxonomy.xlsx")
	dir := t.TempDir()
	model := filepath.Join(dir, "model.json")
	train := func() string {
		code, out, errs := cli(t, "train-category", "--config", "../../configs/default.yaml", "--input", labelled,
			"--profile", "cn-message-board-labelled", "--taxonomy", taxonomy, "--out", model)
		if code != exitOK {
			t.Fatalf("train-category: exit %d\n%s%s", code, out, errs)
		}
		return out
	}
	out := train()
	for _, want := range []string{"训练文本：494 条，7 个问题类别", "250 条二、三级分类词", "5 折分层交叉验证（种子 1；模型 cnb，字符 1–3 元组）", "城乡建设", "环境保护"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	m := regexp.MustCompile(`宏平均 F1：([0-9.]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no macro-F1 in\n%s", out)
	}
	if f1, _ := strconv.ParseFloat(m[1], 64); f1 < 0.84 {
		t.Errorf("macro-F1 %.3f, under 0.84:\n%s", f1, out)
	}
	first, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	train()
	if again, _ := os.ReadFile(model); string(again) != string(first) {
		t.Error("a second training wrote a different model file")
	}

	// A run of the replies, with the model named beside the config.
	input := filepath.Join(dir, "in")
	if err := os.Mkdir(input, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(realdata.File(t, "cn-message-board/replies.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(input, "replies.xlsx"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	body := regexp.MustCompile(`(?m)^(input|database|output|profile):.*\n`).ReplaceAllString(string(def), "") +
		"\ninput: " + input + "\ndatabase: " + filepath.Join(dir, "ew.duckdb") + "\noutput: " + filepath.Join(dir, "out") +
		"\nprofile: cn-message-board-replies\ntext:\n  category_model: model.json\n" // the model beside the config
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "run", "--config", cfg, "--as-of", "2020-01-31")
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, errs)
	}
	line := regexp.MustCompile(`问题类别据文本识别：(\d+) 件（[^）]*城乡建设 \d+[^）]*）；(\d+) 件置信度低于 0.50`).FindStringSubmatch(out)
	if line == nil {
		t.Fatalf("the run does not say what the classifier did:\n%s", out)
	}
	filled, left := atoi(line[1]), atoi(line[2])
	t.Logf("replies: %d cases given a category, %d left as they were", filled, left)
	if filled+left != 2774 || filled < 2*left {
		t.Errorf("%d filled, %d left, of the board's 2774 cases", filled, left)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
