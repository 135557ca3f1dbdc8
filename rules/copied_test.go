package rules

import (
	"fmt"
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
}
