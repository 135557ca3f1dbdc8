package places

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func seqOf(ts []string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, t := range ts {
			if !yield(t) {
				return
			}
		}
	}
}

func TestLearn(t *testing.T) {
	texts := []string{
		"我是梅溪青秀小区的业主，反映噪音",
		"A3区梅溪青秀小区门口积水",
		"梅溪青秀小区停车难",
		"幸福里小区业主反映",
		"幸福里小区物业乱收费",
		"生活幸福里面", "幸福里有", "家庭幸福里外", "幸福里程", "我们的幸福里", "幸福里头", "幸福里啊",
		"步步高超市占道经营",
		"投诉步步高超市卖过期食品",
		"和顺路小区业主", "和顺路小区停水",
		"A市公安局", "A市公安局",
		"只一次的丽华小区",
		"湖南美顺建设有限公司拖欠工资", "美顺建设有限公司欠薪",
	}
	es := Learn(seqOf(texts), LearnOptions{})
	got := map[string]Entry{}
	for _, e := range es {
		got[e.Name] = e
	}
	check := func(name string, kind Kind, alias string) {
		t.Helper()
		e, ok := got[name]
		if !ok {
			t.Errorf("%s not learnt: %+v", name, es)
			return
		}
		if e.Kind != kind || alias != "" && !slices.Contains(e.Aliases, alias) {
			t.Errorf("%s: %+v, want kind %s and alias %q", name, e, kind, alias)
		}
	}
	check("梅溪青秀小区", KindEstate, "梅溪青秀")
	check("步步高超市", KindMarket, "步步高")
	check("和顺路小区", KindEstate, "")
	check("幸福里小区", KindEstate, "")
	check("湖南美顺建设有限公司", KindCompany, "美顺建设")
	if a := got["幸福里小区"].Aliases; slices.Contains(a, "幸福里") {
		t.Errorf("幸福里 is written bare as a common word more often than as the estate: %v", a)
	}
	if a := got["和顺路小区"].Aliases; slices.Contains(a, "和顺路") {
		t.Errorf("和顺路 is a road: %v", a)
	}
	for _, n := range []string{"A市公安局", "市公安局", "公安局", "丽华小区"} {
		if _, ok := got[n]; ok {
			t.Errorf("%s learnt", n)
		}
	}
	e, err := New(es)
	if err != nil {
		t.Fatal(err)
	}
	ms := e.Extract("梅溪青秀停水三天，步步高门口")
	if b := strings.Join(brief(ms), " "); b != "梅溪青秀小区/estate 步步高超市/market" || ms[0].Key != "梅溪青秀" || !ms[0].Gazetteer {
		t.Errorf("with the learnt gazetteer: %s %+v", b, ms)
	}
	// the gazetteer's left edge wins over the walk's: 星沙泉塘泉星小区 → 泉星小区
	e = MustNew([]Entry{{Name: "泉星小区", Kind: KindEstate}})
	if b := brief(e.Extract("星沙泉塘泉星小区飞歌KTV扰民")); len(b) == 0 || b[0] != "泉星小区/estate" {
		t.Errorf("gazetteer left edge: %s", b)
	}
	// Known names are not learnt again
	es = Learn(seqOf(texts), LearnOptions{Known: []Entry{{Name: "梅溪青秀", Aliases: []string{"梅溪青秀小区"}, Kind: KindEstate}}})
	for _, e := range es {
		if e.Name == "梅溪青秀小区" || slices.Contains(e.Aliases, "梅溪青秀") {
			t.Errorf("known name learnt: %+v", e)
		}
	}
	if _, err := New(append([]Entry{{Name: "梅溪青秀", Aliases: []string{"梅溪青秀小区"}, Kind: KindEstate}}, es...)); err != nil {
		t.Error(err)
	}
}

// TestWriteGazetteerRoundTrip checks that what WriteGazetteer writes ReadGazetteer reads back
// as it was, and that the learnt entries of a few texts are a gazetteer New accepts.
func TestWriteGazetteerRoundTrip(t *testing.T) {
	texts := []string{
		"梅溪青秀小区物业乱收费", "梅溪青秀小区停车难", "梅溪青秀的业主反映噪音",
		"步步高超市门口占道", "步步高超市扰民", "关于丽发新城小区的问题", "丽发新城小区门口积水",
	}
	learnt := Learn(slices.Values(texts), LearnOptions{})
	if len(learnt) == 0 {
		t.Fatal("nothing learnt")
	}
	want := append([]Entry{{Name: "某某学院", Aliases: []string{"某某职院", "某某大学"}, Kind: KindSchool}}, learnt...)
	var b strings.Builder
	if err := WriteGazetteer(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadGazetteer(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	if _, err := New(got); err != nil {
		t.Fatal(err)
	}
}

// TestLearnLeavesPhrasesOut: a name that is another place's name with a word stuck before it,
// a generic name and a phrase are not learnt, though each is written with its suffix often.
func TestLearnLeavesPhrasesOut(t *testing.T) {
	var texts []string
	for range 4 {
		texts = append(texts, "龙隆花园停水三天", "物业公司乱收停车费", "业主不顾小区规定")
	}
	texts = append(texts, "请尽快疏通龙隆花园的下水道", "要求疏通龙隆花园下水道", "国际小区门口积水", "国际小区停电")
	learnt := Learn(slices.Values(texts), LearnOptions{})
	var names []string
	for _, e := range learnt {
		names = append(names, e.Name)
	}
	if !slices.Contains(names, "龙隆花园") {
		t.Errorf("learnt %v: want 龙隆花园", names)
	}
	for _, bad := range []string{"疏通龙隆花园", "物业公司", "国际小区", "不顾小区"} {
		if slices.Contains(names, bad) {
			t.Errorf("learnt %v: %s is no place", names, bad)
		}
	}
}
