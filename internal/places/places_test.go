package places

import (
	"errors"
	"strings"
	"testing"
)

// brief returns the mentions as "Context]Name/kind", one per mention ("]" only with a Context).
func brief(ms []Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		s := m.Name + "/" + string(m.Kind)
		if m.Context != "" {
			s = m.Context + "]" + s
		}
		out[i] = s
	}
	return out
}

// TestExtractHardCases runs hard cases taken from the real messages of
// shared/data/real/cn-message-board (the number is the message's 留言编号; x: a phrase of one
// of them, shortened or made up around it), labelled by hand.
func TestExtractHardCases(t *testing.T) {
	e := MustNew(nil)
	cases := []struct {
		id, text string
		want     []string
	}{
		// the left edge: verbs, particles and pronouns before the name
		{"x", "我是丽发新城小区的业主", []string{"丽发新城小区/estate"}},
		{"名都: a name's word that ends with a stop", "请求解决A市A8区明康梅名都小区物业收费问题", []string{"A市A8区]明康梅名都小区/estate"}},
		{"都 ends a name before its suffix", "碧源都小区消防通道被堵，金都花园也一样", []string{"碧源都小区/estate", "金都花园/estate"}},
		{"山村 ends a village's name, not a small village", "双山村红旗组排放扰民，像个小山村", []string{"双山村/village", "双山村]红旗组/village"}},
		{"和 before a suffix is a conjunction", "反映房屋和小区的问题", nil},
		{"化工厂 is a name, 工厂 alone is not", "反映兴庭化工厂偷排，工厂不管", []string{"兴庭化工厂/company"}},
		{"a named development without a district", "投诉东雅商业综合体项目楼盘烂尾", []string{"东雅商业综合体项目/project"}},
		{"安置房, 还建房 inside a project's name", "辉光安置房项目和云森还建房项目停工", []string{"辉光安置房项目/project", "云森还建房项目/project"}},
		{"棚改 inside a project's name", "A3区景岭岸棚改项目噪音扰民", []string{"A3区]景岭岸棚改项目/project"}},
		{"x", "反映A市A3区万家丽路与人民路交汇处", []string{"A市A3区]万家丽路/road", "人民路/road"}},
		{"5776", "星沙东四路与望仙路交汇处中建悦和城", []string{"星沙东四路/road", "望仙路/road"}},
		{"2554", "A3区潇楚南路洋湖段怎么还没修好？潇楚南路从2018年开始修",
			[]string{"A3区]潇楚南路/road", "潇楚南路/road"}},
		{"12708", "现住A5区华盛世纪新城。华盛世纪新城位于A5区莲湖村",
			[]string{"A5区]华盛世纪新城/estate", "华盛世纪新城/estate", "A5区]莲湖村/village"}},
		// nested places: a township, its village and the village's group are three mentions
		{"3760", "A9市北盛镇对泉水村塘下组土地征收存在违规行为",
			[]string{"A9市]北盛镇/township", "泉水村/village", "泉水村]塘下组/village"}},
		{"16542", "我坐落在A7县安沙镇花桥村插基塘组杨家冲",
			[]string{"A7县]安沙镇/township", "A7县安沙镇]花桥村/village", "A7县安沙镇花桥村]插基塘组/village"}},
		{"x", "我是A7县安沙镇水塘垸村祠堂巷组村民",
			[]string{"A7县]安沙镇/township", "A7县安沙镇]水塘垸村/village", "A7县安沙镇水塘垸村]祠堂巷组/village"}},
		{"2549", "位于A市A2区桂花坪街道的A2区公安分局宿舍区（景蓉华苑)出现了一番乱象，该小区的物业公司美顺物业扬言要退出小区",
			[]string{"A市A2区]桂花坪街道/street", "A2区]公安分局宿舍区/estate", "景蓉华苑/estate"}},
		// a road, then the estate on it: two mentions; a school named after a road: one
		{"3684", "反映A市洋湖新城和顺路洋湖壹号小区路段公共绿化带的问题",
			[]string{"A市]洋湖新城/estate", "A市洋湖新城]和顺路/road", "A市洋湖新城和顺路]洋湖壹号小区/estate"}},
		{"3700", "渔业路万国城小区", []string{"渔业路/road", "渔业路]万国城小区/estate"}},
		{"x", "人民路小学和黄花镇中学", []string{"人民路小学/school", "黄花镇中学/school"}},
		{"x", "A7县人民医院", []string{"A7县]人民医院/hospital"}},
		{"12000", "湖南省长沙市开福区四方坪街道东风路社区，长沙县星沙镇",
			[]string{"湖南省长沙市开福区]四方坪街道/street", "湖南省长沙市开福区四方坪街道]东风路社区/community", "长沙县]星沙镇/township"}},
		{"6274", "希望取缔A3区左栗路尽端南方职业学院斜对面废品站", []string{"A3区]左栗路/road", "南方职业学院/school"}},
		{"x", "对西地省艺术职业技术学院进行搬离", []string{"西地省]艺术职业技术学院/school"}},
		// names that begin with a stop word's character
		{"x", "在和平路和向阳村，同心社区", []string{"和平路/road", "向阳村/village", "同心社区/community"}},
		{"x", "七组和八组的村民", []string{"七组/village", "八组/village"}},
		// a locative after a district or a boundary begins the name; a time, a quantifier or
		// a verb before a name is none of it
		{"116330", "K2区上岭桥镇双坪村请求道路硬化", []string{"K2区]上岭桥镇/township", "K2区上岭桥镇]双坪村/village"}},
		{"x", "反映A区下湾村的问题", []string{"A区]下湾村/village"}},
		{"22904", "2019年春双河村杨某身故", []string{"双河村/village"}},
		{"27462", "王家冲,是个老社区,人员密集", nil},
		{"139544", "社会游医冒充省城武警总医院专家", []string{"武警总医院/hospital"}},
		{"9724", "开通A市枫林三路经行东方红路到地铁", []string{"A市]枫林三路/road", "东方红路/road"}},
		{"x", "投诉湖南和平建设公司拖欠", []string{"湖南和平建设公司/company"}},
		// roads named by a masked district and a direction
		{"6688", "A1区北路与A1区南路，K市大道", []string{"A1区北路/road", "A1区南路/road", "K市大道/road"}},
		{"41794", "C3县中路铺镇", []string{"C3县]中路铺镇/township"}},
		{"x", "A市路灯不亮，A3区中路", nil},
		// companies: verbs of their trade inside the name
		{"x", "投诉湖南美顺建设有限公司拖欠工资", []string{"湖南美顺建设有限公司/company"}},
		{"x", "A市美顺物业管理有限公司", []string{"A市]美顺物业管理有限公司/company"}},
		// full width and spaces
		{"x", "Ａ市Ａ３区丽发 新城小区业主反映", []string{"A市A3区]丽发新城小区/estate"}},
		// generic words, placeholders and common words are no places
		{"x", "我们小区，这个小区，本小区，该公司，我村，学校，XX小区，***公司，某某路", nil},
		{"x", "公交809路线路调整，修建道路，农村公路，城镇小区配套幼儿园", nil},
		{"x", "去医院看病，到学校接孩子，三家公司，两所学校，老旧小区改造", nil},
		{"3692", "A5区鄱阳村D区安置房人防工程的咨询", []string{"A5区]鄱阳村/village"}},
	}
	for _, c := range cases {
		got := brief(e.Extract(c.text))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: Extract(%q)\n got %q\nwant %q", c.id, c.text, got, c.want)
		}
	}
}

// TestPersonNames: a person's name or title is never a mention nor part of one.
func TestPersonNames(t *testing.T) {
	e := MustNew([]Entry{{Name: "丽发新城", Kind: KindEstate}})
	cases := []struct {
		text string
		want []string
	}{
		{"张某某在丽发新城小区门口", []string{"丽发新城小区/estate"}},
		{"王书记说丽发新城的业主", []string{"丽发新城/estate"}},
		{"开发商的物业李经理说要等他们开会讨论后在答复", nil},
		{"然后接待我婆婆的是赵家冲居委会的王书记", []string{"赵家冲居委会/community"}}, // 赵家冲 is a place
		{"街道李书记及A4区政府相关领导也非常重视", nil},
		{"尊敬的胡书记：您好！过去在小区买房是为了自己", nil},
		{"王书记村，李经理公司，张某某公司，刘主任小区，陈老板厂", nil},
		{"黄花镇王书记新桥村", []string{"黄花镇/township", "新桥村/village"}},
		{"张某某承包的XX工程，李某小区", nil},
	}
	surnames := "张王李刘陈赵胡"
	for _, c := range cases {
		ms := e.Extract(c.text)
		got := brief(ms)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("Extract(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
		for _, m := range ms {
			for _, p := range []string{"某", "书记", "经理", "主任", "老板"} {
				if strings.Contains(m.Name, p) || strings.Contains(m.Context, p) {
					t.Errorf("Extract(%q): %+v holds a person's name", c.text, m)
				}
			}
			if strings.ContainsRune(surnames, []rune(m.Name)[0]) && !strings.HasPrefix(m.Name, "黄花") && !strings.HasPrefix(m.Name, "赵家冲") {
				t.Errorf("Extract(%q): %+v begins with a surname", c.text, m)
			}
		}
	}
}

func TestOffsetsAndNames(t *testing.T) {
	e := MustNew(nil)
	text := "反映：Ａ市Ａ３区 丽发新城 小区，\n位于黄花镇新桥村。"
	ms := e.Extract(text)
	if len(ms) != 3 {
		t.Fatalf("got %+v, want 3 mentions", ms)
	}
	for _, m := range ms {
		if got := Normalise(text[m.Start:m.End]); got != m.Name {
			t.Errorf("%+v: text[Start:End] normalised is %q", m, got)
		}
	}
	if ms[0].Key != "丽发新城" || ms[0].Context != "A市A3区" {
		t.Errorf("first: %+v", ms[0])
	}
}

func TestKeys(t *testing.T) {
	e := MustNew([]Entry{
		{Name: "西地省某某职业技术学院", Aliases: []string{"某某学院", "某某职院"}, Kind: KindSchool},
		{Name: "华盛世纪新城", Aliases: []string{"华盛新城"}, Kind: KindEstate},
	})
	cases := []struct{ text, key string }{
		{"丽发新城小区", "丽发新城"},
		{"丽发新城", "丽发新城"},
		{"湖南美顺物业管理有限公司", "美顺物业管理公司"},
		{"美顺物业管理公司", "美顺物业管理公司"},
		{"长沙美顺物业管理有限责任公司", "美顺物业管理公司"},
		{"在西地省某某职业技术学院", "西地省某某学院"}, // the entry's Key: its name, vocation dropped
		{"在某某学院", "西地省某某学院"},
		{"在某某职院", "西地省某某学院"},
		{"去嘉春批发市场", "嘉春市场"},
		{"新雅光电子科技有限公司", "新雅光电子公司"},
		{"去嘉春市场", "嘉春市场"},
		{"望昌职业技术学院", "望昌学院"},
		{"住华盛新城小区", "华盛世纪新城"},
		{"住华盛世纪新城小区", "华盛世纪新城"},
		{"在某某大学", ""}, // a placeholder: no mention
		{"A7县人民医院", "A7县人民医院"},
		{"湖南省长沙市开福区第一中学", "开福区第一中学"},
		{"人民医院", ""}, // every county has one: no mention without its jurisdiction
		{"到县人民医院", "县人民医院"},
	}
	for _, c := range cases {
		ms := e.Extract(c.text)
		got := ""
		if len(ms) > 0 {
			got = ms[len(ms)-1].Key
		}
		if got != c.key {
			t.Errorf("Extract(%q) = %+v: key %q, want %q", c.text, ms, got, c.key)
		}
	}
	ms := e.Extract("我在某某学院读书")
	if len(ms) != 1 || !ms[0].Gazetteer || ms[0].Name != "西地省某某职业技术学院" || ms[0].Kind != KindSchool {
		t.Errorf("gazetteer alias: %+v", ms)
	}
}

func TestGazetteerContext(t *testing.T) {
	e := MustNew([]Entry{{Name: "泉水村", Kind: KindVillage}, {Name: "长丰投资", Aliases: []string{"长丰"}, Kind: KindCompany}})
	ms := e.Extract("反映A9市北盛镇泉水村的问题，长丰拖欠")
	got := brief(ms)
	want := []string{"A9市]北盛镇/township", "A9市北盛镇]泉水村/village", "长丰投资/company"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !ms[1].Gazetteer || !ms[2].Gazetteer || ms[0].Gazetteer {
		t.Errorf("Gazetteer flags: %+v", ms)
	}
}

func TestReadGazetteer(t *testing.T) {
	in := "\ufeffname,aliases,kind\n丽发新城, 丽发新城小区|丽发 ,estate\n\n西地省职业技术学院,某某学院,school\n长丰投资,,\n"
	es, err := ReadGazetteer(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].Name != "丽发新城" || len(es[0].Aliases) != 2 || es[0].Aliases[1] != "丽发" ||
		es[1].Kind != KindSchool || es[2].Kind != KindOther || len(es[2].Aliases) != 0 {
		t.Fatalf("got %+v", es)
	}
	if _, err := New(es); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		in     string
		line   int
		reason Reason
	}{
		{"", 1, ReasonHeader},
		{"name,kind\n", 1, ReasonHeader},
		{"name,aliases,kind\n甲村,,village\n乙村,,villages\n", 3, ReasonKind},
		{"name,aliases,kind\n甲村,,village\n,乙,village\n", 3, ReasonNoName},
		{"name,aliases,kind\n甲村,,village\n乙村,village\n", 3, ReasonColumns},
		{"name,aliases,kind\n甲村,,village\n乙村,甲村,village\n", 3, ReasonDuplicate},
		{"name,aliases,kind\n甲村,,village\n\"乙村,,village\n", 3, ReasonCSV},
		{"name,aliases,kind\n甲村,,village\n乙\xff村,,village\n", 3, ReasonEncoding},
	}
	for _, c := range bad {
		_, err := ReadGazetteer(strings.NewReader(c.in))
		var ge *GazetteerError
		if !errors.As(err, &ge) || ge.Line != c.line || ge.Reason != c.reason {
			t.Errorf("ReadGazetteer(%q): %v, want line %d %s", c.in, err, c.line, c.reason)
		}
	}
}

func TestNewErrors(t *testing.T) {
	cases := []struct {
		es     []Entry
		index  int
		reason Reason
	}{
		{[]Entry{{Name: "甲村"}, {Name: " "}}, 1, ReasonNoName},
		{[]Entry{{Name: "甲村", Kind: "town"}}, 0, ReasonKind},
		{[]Entry{{Name: "甲村"}, {Name: "乙村", Aliases: []string{"甲村"}}}, 1, ReasonDuplicate},
	}
	for _, c := range cases {
		_, err := New(c.es)
		var ee *EntryError
		if !errors.As(err, &ee) || ee.Index != c.index || ee.Reason != c.reason {
			t.Errorf("New(%+v): %v, want entry %d %s", c.es, err, c.index, c.reason)
		}
	}
}

func TestConcurrent(t *testing.T) {
	e := MustNew([]Entry{{Name: "丽发新城", Kind: KindEstate}})
	text := "反映A市A3区丽发新城小区与万家丽路，黄花镇新桥村3组"
	want := strings.Join(brief(e.Extract(text)), "\n")
	done := make(chan string)
	for range 8 {
		go func() {
			var got string
			for range 200 {
				got = strings.Join(brief(e.Extract(text)), "\n")
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent: %q, want %q", got, want)
		}
	}
}
