package copydetect

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomText returns n random CJK characters.
func randomText(r *rand.Rand, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = rune(0x4E00 + r.IntN(0x5000))
	}
	return string(out)
}

// edit changes every 25th character of s (copies of one text are then about 0.6 alike).
func edit(r *rand.Rand, s string) string {
	rs := []rune(s)
	for i := r.IntN(25); i < len(rs); i += 25 {
		rs[i] = rune(0x4E00 + r.IntN(0x5000))
	}
	return string(rs)
}

// Letters written on one long template with their own specifics, from different townships and
// categories, are not copies: the template's shingles are seen in many townships and categories
// and get no weight. Three near-copies of one letter on the same template, from one village, are.
// So are copies from three townships about one category, under a township count of 5.
func TestTemplatePhrases(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	template := randomText(r, 150) // about 150 shingles; the specifics about 40 each
	towns := []string{"城关镇", "新华街道", "石桥镇", "高岭镇", "梅林乡", "双河镇"}
	cats := []string{"劳资纠纷", "征地拆迁", "城乡建设", "社会保障"}
	var ls []Letter
	for i := range 12 {
		ls = append(ls, Letter{ID: fmt.Sprintf("t%02d", i), Person: fmt.Sprintf("pt%02d", i),
			Text: template + randomText(r, 40), Township: towns[i%len(towns)], Category: cats[i%len(cats)]})
	}
	copied := randomText(r, 40)
	for i := range 3 {
		ls = append(ls, Letter{ID: fmt.Sprintf("v%d", i), Person: fmt.Sprintf("pv%d", i),
			Text: template + edit(r, copied), Township: "石桥镇", Category: "劳资纠纷"})
	}
	spread := randomText(r, 80)
	for i := range 3 {
		ls = append(ls, Letter{ID: fmt.Sprintf("w%d", i), Person: fmt.Sprintf("pw%d", i),
			Text: edit(r, spread), Township: towns[i], Category: "环境保护"})
	}

	// Without the template rule the templated letters are one cluster (Jaccard about 0.6).
	p := DefaultParams()
	got, err := Cluster(ls, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || !slices.Contains(got[0].IDs, "t00") {
		t.Fatalf("without the template rule: %v, want the templated letters clustered", ids(got))
	}

	p.TemplateTownships, p.TemplateCategories = 5, 3
	got, err = Cluster(ls, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"v0", "v1", "v2"}, {"w0", "w1", "w2"}}; !reflect.DeepEqual(ids(got), want) {
		t.Errorf("clusters %v, want %v", ids(got), want)
	}
	for _, c := range got {
		if c.MeanJaccard < p.Threshold || c.MinJaccard > c.MeanJaccard {
			t.Errorf("cluster %v: min %.3f mean %.3f", c.IDs, c.MinJaccard, c.MeanJaccard)
		}
		if lo, mean := c.JaccardAmong(c.IDs); lo != c.MinJaccard || abs(mean-c.MeanJaccard) > 1e-12 {
			t.Errorf("cluster %v: JaccardAmong %.3f %.3f, want %.3f %.3f", c.IDs, lo, mean, c.MinJaccard, c.MeanJaccard)
		}
	}

	// Letters whose townships or categories are unknown count towards neither.
	for i := range ls {
		ls[i].Township, ls[i].Category = "", ""
	}
	if got, _ := Cluster(ls, p); len(got) == 0 || !slices.Contains(got[0].IDs, "t00") {
		t.Errorf("unknown places: %v, want the templated letters clustered as without the rule", ids(got))
	}
}

// A letter that is all template takes part only through equal letters: two people sending the
// template alone are no copy group of the templated letters, three sending it are one.
func TestAllTemplate(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	template := randomText(r, 150)
	towns := []string{"城关镇", "新华街道", "石桥镇", "高岭镇"}
	var ls []Letter
	for i := range 8 {
		ls = append(ls, Letter{ID: fmt.Sprintf("t%02d", i), Person: fmt.Sprintf("pt%02d", i),
			Text: template + randomText(r, 40), Township: towns[i%4], Category: fmt.Sprint("类别", i%3)})
	}
	for i := range 3 {
		ls = append(ls, Letter{ID: fmt.Sprintf("x%d", i), Person: fmt.Sprintf("px%d", i), Text: template,
			Township: towns[i], Category: "类别0"})
	}
	p := DefaultParams()
	p.TemplateTownships, p.TemplateCategories = 5, 3
	got, err := Cluster(ls, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"x0", "x1", "x2"}}; !reflect.DeepEqual(ids(got), want) {
		t.Errorf("clusters %v, want %v", ids(got), want)
	}
}

func ids(cs []ClusterResult) [][]string {
	var out [][]string
	for _, c := range cs {
		out = append(out, c.IDs)
	}
	return out
}
