package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/data/datatest"
)

func TestCopiedLettersBySimilarity(t *testing.T) {
	const text = "我们是新桥村村民，县自然资源局2023年征收我村土地120亩，至今补偿款未足额发放，多次找镇政府和县里都没有结果，请求依法处理。"
	// A copy with its own numbers and punctuation, a changed word and a dropped clause.
	edited := "我们是新桥村的村民 县自然资源局2024年征收我们村土地95亩！至今补偿款未足额发放，多次找镇政府都没有结果，请求依法处理"
	sameTopic := "县自然资源局征收新桥村土地以后，补偿款一直没有发放到位，村民多次去镇里反映都没有下文，希望上级过问。"
	for _, tt := range []struct {
		name       string
		similarity float64
		contents   []string
		gaps       []int // days after 2025-05-01
		want       bool
	}{
		{"edited copies at similarity 0.55", 0.55, []string{text, edited, text}, []int{0, 3, 6}, true},
		{"edited copies are not equal texts", 1, []string{text, edited, edited + "谢谢"}, []int{0, 3, 6}, false},
		{"the same topic in other words", 0.55, []string{text, edited, sameTopic}, []int{0, 3, 6}, false},
		{"more than window_days apart", 0.55, []string{text, edited, text}, []int{0, 3, 40}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := datatest.New(t)
			for i, content := range tt.contents {
				id := fmt.Sprintf("c%d", i)
				datatest.AddCases(t, q, datatest.Case{ID: id, Received: days("2025-05-01", tt.gaps[i])[0], Channel: "letter",
					Complainant: fmt.Sprintf("p%d", i), Content: content})
			}
			spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters", "similarity": tt.similarity}}
			flags := screenOne(t, q, spec, "2025-06-30")
			if got := len(flags) == 1; got != tt.want {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.want, flags)
			}
			for _, f := range flags {
				if f.Cases != "c0,c1,c2" || f.FirstFlagged != "2025-05-07" || f.Facts["complainants"] != 3.0 {
					t.Errorf("flag %+v", f)
				}
			}
		})
	}
}

func TestCopiedLettersSimilarityMustMakeSense(t *testing.T) {
	for _, v := range []float64{0, -0.5, 1.5} {
		_, err := Compile([]Spec{{ID: "c", Kind: KindGroup, Weight: 1, Params: map[string]any{"signal": "copied_letters", "similarity": v}}}, DefaultClocks())
		if err == nil || !strings.Contains(err.Error(), "rules[0].params.similarity:") {
			t.Errorf("similarity %v: error %v", v, err)
		}
	}
	for _, tt := range []struct {
		params map[string]any
		key    string
	}{
		{map[string]any{"similarity": 1, "template_townships": 3}, "template_townships"},
		{map[string]any{"template_categories": 0}, "template_categories"}, // similarity 1 by default
		{map[string]any{"similarity": 0.55, "template_townships": -1}, "template_townships"},
		{map[string]any{"similarity": 0.55, "template_categories": -2}, "template_categories"},
	} {
		params := map[string]any{"signal": "copied_letters"}
		for k, v := range tt.params {
			params[k] = v
		}
		_, err := Compile([]Spec{{ID: "c", Kind: KindGroup, Weight: 1, Params: params}}, DefaultClocks())
		if err == nil || !strings.Contains(err.Error(), "rules[0].params."+tt.key+":") {
			t.Errorf("%v: error %v", tt.params, err)
		}
	}
}

// Letters written on one long petition template, each with its own specifics, from different
// townships and categories, are not copies: at similarity 0.55 the template made them one
// cluster spanning townships. Near copies of one letter on the same template, from one village,
// are, and the reason gives their mean similarity, at least the threshold.
func TestCopiedLettersIgnoreTemplates(t *testing.T) {
	const template = "尊敬的县信访局领导：您好！我们怀着十分焦急的心情给您写这封信，恳请领导在百忙之中抽出时间，认真阅读并过问此事。" +
		"以下是我们反映的具体情况：%s我们相信党和政府一定会为老百姓做主，恳请领导高度重视，责成有关部门依法依规尽快调查处理，" +
		"给我们一个明确的答复，切实维护群众的合法权益。此致敬礼！"
	specifics := []string{
		"本村集体土地被县城投公司占用，补偿款一直没有发放到户，村干部说钱被挪作他用。",
		"我在信达建筑劳务公司打工八个月，老板拖欠工资两万多元，多次讨要无果。",
		"小区物业擅自提高收费标准，电梯长期故障无人维修，业主多次投诉未果。",
		"我父亲是退役军人，按政策应享受的优抚待遇从去年起被停发，原因不明。",
		"镇上化工厂夜间偷排废水，河里的鱼大面积死亡，村民饮水受到严重影响。",
		"学校违规收取补课费，每名学生每学期八百元，家长不交孩子就被区别对待。",
		"医院在手术中出现失误，造成我母亲二次手术，院方拒绝承担任何责任。",
		"低保评定不公开，真正困难的家庭评不上，村干部亲属却长期享受低保。",
		"拆迁评估面积只认定了一半，与实际严重不符，评估公司拒绝重新测量。",
	}
	towns := []string{"城关镇", "新华街道", "石桥镇", "高岭镇", "梅林乡", "双河镇"}
	cats := []string{"征地拆迁", "劳资纠纷", "城乡建设", "退役军人", "环境保护", "教育", "医疗卫生", "社会保障", "征地拆迁"}
	copied := "我们红星村三组的承包地二十亩被县开发区征收，每亩补偿标准比周边村低一万元，村委会不公开账目，分配方案未经村民大会讨论。"
	copies := []string{
		copied,
		strings.Replace(copied, "二十亩", "20亩", 1) + "（联系人：王某）",
		strings.Replace(copied, "不公开账目", "从不公开账目", 1),
	}
	q := datatest.New(t)
	for i, s := range specifics {
		datatest.AddCases(t, q, datatest.Case{ID: fmt.Sprintf("t%d", i), Received: days("2025-05-01", i)[0], Channel: "letter",
			Complainant: fmt.Sprintf("pt%d", i), Township: towns[i%len(towns)], Category: cats[i], Content: fmt.Sprintf(template, s)})
	}
	for i, s := range copies {
		datatest.AddCases(t, q, datatest.Case{ID: fmt.Sprintf("v%d", i), Received: days("2025-05-03", 2*i)[0], Channel: "letter",
			Complainant: fmt.Sprintf("pv%d", i), Township: "石桥镇", Category: "征地拆迁", Content: fmt.Sprintf(template, s)})
	}
	for _, tt := range []struct {
		name   string
		params map[string]any
		want   []string
	}{
		{"template phrases ignored", nil, []string{"v0,v1,v2"}},
		{"every 3-gram compared", map[string]any{"template_townships": 0, "template_categories": 0}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{"signal": "copied_letters", "similarity": 0.55}
			for k, v := range tt.params {
				params[k] = v
			}
			flags := screenOne(t, q, Spec{Kind: KindGroup, Params: params}, "2025-06-30")
			var got []string
			for _, f := range flags {
				got = append(got, f.Cases)
				if s := f.Facts["similarity"].(float64); s < 0.55 || s > 1 || f.Facts["similarity_threshold"] != 0.55 {
					t.Errorf("flag %s: similarity %v, threshold %v", f.Cases, s, f.Facts["similarity_threshold"])
				}
			}
			if tt.want != nil {
				if !slices.Equal(got, tt.want) {
					t.Errorf("flags %v, want %v", got, tt.want)
				}
				return
			}
			// Without the template rule, the templated letters of other townships join in.
			if len(got) != 1 || !strings.Contains(got[0], "t0") {
				t.Errorf("flags %v, want one cluster with the templated letters", got)
			}
		})
	}
}

// TestLettersAreKeptAndReducedAgainWhenTheTextChanges: the copied-letters rule compares the
// texts as table case_letters holds them, which LettersSQL keeps up to date: a text already
// reduced is not reduced again, a changed text is, and a text gone takes its row with it. Three
// equal letters flag; once one of them is rewritten, they no longer do, and once it is written
// back, they do again.
func TestLettersAreKeptAndReducedAgainWhenTheTextChanges(t *testing.T) {
	const text = "我们是新桥村村民，县自然资源局2023年征收我村土地120亩，至今补偿款未足额发放，请求依法处理。"
	q := datatest.New(t)
	for i := range 3 {
		datatest.AddCases(t, q, datatest.Case{ID: fmt.Sprintf("c%d", i), Received: days("2025-05-01", 3*i)[0], Channel: "letter",
			Complainant: fmt.Sprintf("p%d", i), Content: text})
	}
	datatest.AddCases(t, q, datatest.Case{ID: "other", Received: "2025-05-02", Channel: "letter", Content: "另一件事"})
	spec := Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters", "similarity": 1}}
	flagged := func() int {
		t.Helper()
		return len(screenOne(t, q, spec, "2025-06-30"))
	}
	if n := flagged(); n != 1 {
		t.Fatalf("three equal letters: %d flags, want 1", n)
	}
	// A row marked as reduced before stays as it is while its text does not change.
	datatest.Exec(t, q, `UPDATE case_letters SET letters_len = -1 WHERE case_id = 'other'`)
	datatest.Exec(t, q, `UPDATE cases SET content = '我们是新桥村村民，反映的是另一件事。' WHERE case_id = 'c1'`)
	if n := flagged(); n != 0 {
		t.Errorf("one letter rewritten: %d flags, want 0", n)
	}
	count := func(where string) (n int64) {
		t.Helper()
		if err := q.QueryRowContext(t.Context(), `SELECT count(*) FROM case_letters WHERE `+where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(`case_id = 'other' AND letters_len = -1`) != 1 {
		t.Error("a text reduced before was reduced again")
	}
	datatest.Exec(t, q, `UPDATE cases SET content = $1 WHERE case_id = 'c1'`, text)
	datatest.Exec(t, q, `UPDATE cases SET content = NULL WHERE case_id = 'other'`)
	if n := flagged(); n != 1 {
		t.Errorf("the letter written back: %d flags, want 1", n)
	}
	if n := count(`true`); n != 3 || count(`case_id = 'other'`) != 0 {
		t.Errorf("case_letters holds %d rows, want the 3 letters' only", n)
	}
}
