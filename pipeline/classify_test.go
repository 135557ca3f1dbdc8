package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/textclass"
)

// writeToyModel trains a classifier of water, wage and school complaints and writes it to dir,
// returning its path and the first 12 hex digits of its SHA-256.
func writeToyModel(t *testing.T, dir string) (string, string) {
	t.Helper()
	var s textclass.Set
	for _, r := range [][2]string{
		{"小区停水三天了", "供水"}, {"自来水管道破裂漏水", "供水"}, {"水压太低，楼上没有水", "供水"}, {"停水没有通知，自来水公司不管", "供水"},
		{"公司拖欠工资半年", "欠薪"}, {"老板欠薪不还，农民工工资", "欠薪"}, {"工地拖欠农民工工资", "欠薪"}, {"讨要工资无果，欠薪", "欠薪"},
		{"学校乱收补课费", "教育"}, {"孩子入学难，学位不够", "教育"}, {"小学老师体罚学生", "教育"}, {"中学违规补课收费", "教育"},
	} {
		s.Add(r[0], r[1])
	}
	o := textclass.DefaultOptions()
	o.Features.MinDF = 1
	m, err := textclass.Train(s.Texts, s.Labels, o)
	if err != nil {
		t.Fatal(err)
	}
	m.Temperature = 30
	path := filepath.Join(dir, "model.json")
	if _, err := writeModel(path, m); err != nil {
		t.Fatal(err)
	}
	b := readFile(t, path)
	sum := sha256.Sum256([]byte(b))
	return path, hex.EncodeToString(sum[:])[:12]
}

// TestCategoryFromText: with text.category_model set, a run gives each case loaded with a
// placeholder category the category the model predicts, when confident enough, and records the
// class, confidence, model and words in its found_in_text; a case with a real category is left
// alone; a doubtful prediction leaves the category and records the guess. The next run
// classifies nothing again.
func TestCategoryFromText(t *testing.T) {
	cfg := testConfig(t)
	dir := t.TempDir()
	for _, name := range []string{"contacts.csv", "events.csv"} {
		copyFile(t, filepath.Join(tinyInput, name), filepath.Join(dir, name))
	}
	cases := readFile(t, filepath.Join(tinyInput, "cases.csv"))
	for _, row := range []string{
		"XF-201,2025-05-20,letter,county,P-w,1,未分类,城关镇,,,县水务局,办理中,我们小区又停水了，自来水一直没有",
		"XF-202,2025-05-21,letter,county,P-x,1,其他,城关镇,,,县人社局,办理中,包工头拖欠我们农民工的工资",
		"XF-203,2025-05-22,letter,county,P-y,1,征地拆迁,城关镇,,,县教育局,办理中,学校补课收费太高",
		"XF-204,2025-05-23,letter,county,P-z,1,未分类,城关镇,,,县政府,办理中,你好",
	} {
		cases += row + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.csv"), []byte(cases), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Input = dir
	model, hash := writeToyModel(t, t.TempDir())
	cfg.Text = configs.Text{CategoryModel: model, CategoryMinConfidence: 0.6}

	s := run(t, cfg)
	c := s.Categories
	if c == nil || c.Classified["供水"] != 1 || c.Classified["欠薪"] != 1 || c.Uncertain != 1 || c.Total() != 3 || c.SHA256[:12] != hash {
		t.Fatalf("run record: %+v", c)
	}
	got := map[string][2]string{}
	for _, r := range query(t, cfg, "SELECT case_id, category, coalesce(found_in_text, '') FROM cases WHERE case_id LIKE 'XF-2%'") {
		got[r[0].(string)] = [2]string{r[1].(string), r[2].(string)}
	}
	found := func(id string) map[string]string {
		m := map[string]string{}
		if f := got[id][1]; f != "" {
			if err := json.Unmarshal([]byte(f), &m); err != nil {
				t.Fatalf("%s: found_in_text %q: %v", id, f, err)
			}
		}
		return m
	}
	for id, want := range map[string]string{"XF-201": "供水", "XF-202": "欠薪"} {
		f := found(id)
		if got[id][0] != want || f["category_class"] != want || f["category_model"] != hash || f["category"] == "" || f["category_confidence"] < "0.60" {
			t.Errorf("%s: category %q, found_in_text %v; want %s, with the model's words, confidence and hash", id, got[id][0], f, want)
		}
	}
	if got["XF-203"] != [2]string{"征地拆迁", ""} {
		t.Errorf("XF-203, with a category: %v", got["XF-203"])
	}
	if f := found("XF-204"); got["XF-204"][0] != "未分类" || f["category_class"] == "" || f["category"] != "" || f["category_model"] != hash || f["category_confidence"] >= "0.60" {
		t.Errorf("XF-204, doubtful: category %q, found_in_text %v; want it kept, the guess recorded", got["XF-204"][0], f)
	}

	// The next run loads nothing new and classifies nothing: every case is classified once.
	if again := run(t, cfg).Categories; again == nil || again.Total() != 0 {
		t.Errorf("second run classified %+v", again)
	}
}

// TestCategoryModelErrors: a config naming a model that is missing, not a model or of another
// version fails before any data is read, with the key's line and what to do; a relative path is
// read beside the config file.
func TestCategoryModelErrors(t *testing.T) {
	dir := t.TempDir()
	writeToyModel(t, dir)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("other.json", `{"classes": ["a", "b"]}`)
	var m map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "model.json"))), &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = 99
	b, _ := json.Marshal(m)
	write("v99.json", string(b))
	for _, c := range []struct {
		model string
		want  []string // in the Chinese message
	}{
		{"model.json", nil},
		{"missing.json", []string{"找不到", "missing.json", "earlywarn train-category"}},
		{"other.json", []string{"不是", "other.json", "earlywarn train-category --out"}},
		{"v99.json", []string{"版本为 99", "重新训练"}},
	} {
		write("config.yaml", "version: 1\ninput: in\ntext:\n  category_model: "+c.model+"\n"+
			"rules:\n  - {id: r, kind: repeat_visits, weight: 1, description: 反复来信, params: {window_days: 90, min_contacts: 4}}\n")
		cfg, err := configs.Load(filepath.Join(dir, "config.yaml"), true, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Prepare(context.Background(), cfg)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s beside the config: %v", c.model, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error", c.model)
			continue
		}
		msg := i18n.Localize("zh", err)
		for _, w := range append(c.want, "config.yaml:4", "text.category_model") {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", c.model, msg, w)
			}
		}
	}
}
