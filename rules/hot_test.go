package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/baseline"
)

func TestPrimaryPlace(t *testing.T) {
	m := func(key, kind string, subject bool) placeMention {
		return placeMention{key: key, name: key, kind: kind, inSubject: subject}
	}
	cases := []struct {
		name string
		ms   []placeMention
		want int
	}{
		{"none", nil, -1},
		{"first specific on the subject line", []placeMention{
			m("万家丽路", "road", true), m("丽发新城", "estate", true), m("星沙中学", "school", true), m("丽发新城", "estate", false)}, 1},
		{"subject over a body named more often", []placeMention{
			m("星沙中学", "school", true), m("丽发新城", "estate", false), m("丽发新城", "estate", false)}, 0},
		{"a road on the subject line over an estate in the body", []placeMention{
			m("万家丽路", "road", true), m("丽发新城", "estate", false)}, 0},
		{"an estate's property company counts for the estate", []placeMention{
			m("丽发新城物业公司", "company", true), m("丽发新城", "estate", false)}, 1},
		{"another company stays itself", []placeMention{
			m("远大建筑公司", "company", true), m("丽发新城", "estate", false)}, 0},
		{"the body's most mentioned specific place", []placeMention{
			m("星沙中学", "school", false), m("丽发新城", "estate", false), m("丽发新城", "estate", false)}, 1},
		{"tie: the first named", []placeMention{
			m("星沙中学", "school", false), m("丽发新城", "estate", false)}, 0},
		{"broad only: the subject's", []placeMention{
			m("黄花镇", "township", false), m("万家丽路", "road", true), m("黄花镇", "township", false)}, 1},
		{"broad only, none in the subject: the most mentioned", []placeMention{
			m("万家丽路", "road", false), m("黄花镇", "township", false), m("黄花镇", "township", false)}, 1},
		{"village inside its township", []placeMention{
			m("黄花镇", "township", true), m("新桥村", "village", true)}, 1},
	}
	for _, c := range cases {
		if got := primaryPlace(c.ms); got != c.want {
			t.Errorf("%s: primaryPlace = %d, want %d", c.name, got, c.want)
		}
	}
}

// Test messages: a salutation, one or two sentences of a topic, a closing; the topics' pools
// vary the wording so that no two messages are copies.
var (
	testGreetings = []string{"尊敬的领导您好：", "您好！", "领导好，", "尊敬的市长：", ""}
	testClosings  = []string{"希望相关部门尽快处理，谢谢！", "恳请领导重视，给我们一个答复。", "望尽快解决。", "请领导调查处理。", ""}
	testTopics    = map[string][]string{
		"物业": {"小区物业费收费标准过高，物业服务却很差。", "物业公司擅自上调物业费，业主很不满意。", "物业收费不透明，公摊水电费乱收。",
			"物业费每平米涨到了三元，但是卫生没人打扫。", "物业乱收停车管理费和物业费，请查处。", "我们交了物业费，物业却不作为，电梯坏了也不修。",
			"物业服务合同到期后物业公司继续收取高额物业费。", "物业费上涨没有经过业主大会同意。"},
		"噪音": {"附近工地夜间施工噪音很大，严重影响休息。", "晚上十一点后还在施工，机器轰鸣扰民。", "工地噪音扰民，老人小孩都睡不着。",
			"夜间施工噪声超标，多次投诉无果。", "渣土车和打桩机半夜作业，噪音太大。", "施工单位不顾居民休息，通宵施工，噪音扰民严重。"},
		"学位": {"孩子入学学位紧张，划片不合理。", "适龄儿童无法就近入学，学位不够。", "今年学区划分把我们划到很远的学校。",
			"入学报名时被告知没有学位，家长很着急。", "小学学位不足，孩子上学要跨区。", "学区划片调整后孩子不能就近入学。"},
		"漏水": {"房屋外墙渗水，下雨天家里墙面发霉。", "楼顶防水层破损，顶楼住户家中漏水。", "开发商交房后房屋质量问题严重，多处漏水开裂。",
			"卫生间楼板渗漏，楼下天花板一直滴水。", "新房墙体开裂渗水，开发商拒不维修。"},
		"公交": {"公交线路调整后附近没有公交站了，出行很不方便。", "希望增开一条公交线路，早晚高峰等车太久。", "公交车班次太少，一等就是半小时。",
			"公交站台被取消，老人出行困难。"},
		"油烟": {"楼下餐馆油烟直排，熏得家里不敢开窗。", "烧烤店油烟污染严重，还占道经营。", "饭店排烟管道对着住户窗户，油烟扰民。"},
	}
	testTopicNames = []string{"物业", "噪音", "学位", "漏水", "公交", "油烟"}
	// testSubjects are the subject lines of each topic, after the place.
	testSubjects = map[string][]string{
		"物业": {"物业乱收费", "物业费上涨问题", "物业收费不合理"}, "噪音": {"噪音扰民", "夜间施工噪音", "施工噪音问题"},
		"学位": {"入学学位问题", "学位不足", "入学难"}, "漏水": {"房屋漏水", "房屋渗水问题", "漏水没人修"},
		"公交": {"公交线路问题", "公交不便", "增开公交"}, "油烟": {"油烟扰民", "油烟污染", "餐馆油烟"},
	}
)

func testMessage(rng *rand.Rand, place, topic string) string {
	pool := testTopics[topic]
	var b strings.Builder
	subjects := testSubjects[topic]
	b.WriteString([]string{"", "关于", "投诉", "反映"}[rng.IntN(4)] + place + subjects[rng.IntN(len(subjects))] + "\n")
	b.WriteString(testGreetings[rng.IntN(len(testGreetings))])
	b.WriteString("我是" + place + "的居民，")
	i := rng.IntN(len(pool))
	b.WriteString(pool[i])
	if rng.IntN(2) == 0 {
		b.WriteString(pool[(i+1+rng.IntN(len(pool)-1))%len(pool)])
	}
	b.WriteString(testClosings[rng.IntN(len(testClosings))])
	return b.String()
}

// testMsg is one message of a test board: its person, day and place (key and name), and text.
type testMsg struct {
	person int64
	day    int32
	place  string
	text   string
}

// hotBoard runs the Go part of hot_issue on messages, each one case with one contact.
func hotBoard(t *testing.T, p HotIssueParams, msgs []testMsg) []hotEpisode {
	t.Helper()
	h, r := hotBoardRun(p, msgs)
	eps, err := h.allEpisodes(context.Background(), nil, r) // every text is kept: no reading
	if err != nil {
		t.Fatal(err)
	}
	return eps
}

// hotBoardRun prepares the Go part of hot_issue on messages, each one case (ck i for message
// i) with one contact, every candidate's topicText kept.
func hotBoardRun(p HotIssueParams, msgs []testMsg) (*hotIssue, *hotRun) {
	h := &hotIssue{p: p}
	h.test = hotTestParams(p)
	r := &hotRun{byKey: map[string]int{}, df: newDocFreq(), budget: hotTextBudget}
	r.firstD, r.asOf = msgs[0].day, msgs[0].day
	for _, m := range msgs {
		r.firstD, r.asOf = min(r.firstD, m.day), max(r.asOf, m.day)
	}
	r.from = r.asOf - int32(p.LookbackDays) + 1
	for i, m := range msgs {
		pl, ok := r.byKey[m.place]
		if !ok {
			pl = len(r.places)
			r.byKey[m.place] = pl
			r.places = append(r.places, hotPlace{key: m.place})
		}
		c := hotCase{ck: int64(i), place: int32(pl), first: m.day,
			primary: &placeMention{key: m.place, name: m.place, kind: "estate"}, names: []string{m.place},
			contacts: []hotContact{{pk: m.person, day: m.day}}}
		c.text = topicText(m.text, c.names)
		c.textLen = int32(len(c.text))
		r.df.add(countNgrams(c.text))
		r.setIndex(c.ck, len(r.cases))
		r.places[pl].cases = append(r.places[pl].cases, len(r.cases))
		r.cases = append(r.cases, c)
	}
	r.summarise(p.MinComplainants)
	r.weigh()
	return h, r
}

func hotTestParams(p HotIssueParams) baseline.Params {
	return baseline.Params{Method: baseline.MethodNegBin, BaselineDays: p.BaselineDays, WindowDays: 1, MinObserved: p.MinComplainants,
		Alpha: p.Alpha, MinMean: p.MinMean}
}

func defaultHotParams() HotIssueParams {
	return HotIssueParams{WindowDays: hotWindowDays, MinComplainants: hotMinComplainants, Similarity: hotSimilarity,
		BaselineDays: hotBaselineDays, Alpha: hotAlpha, MinMean: hotMinMean, LookbackDays: 365, SkipResolved: true}
}

// background is n messages of one person each at random places of a pool of 300 and random
// topics over 400 days, for the document frequencies and the board's place rate.
func background(rng *rand.Rand, n int, firstPerson int64) []testMsg {
	var out []testMsg
	for i := range n {
		place := fmt.Sprintf("%s%s", []string{"金", "银", "东", "西", "南", "北", "新", "老", "春", "秋"}[rng.IntN(10)],
			[]string{"桂苑", "湖家园", "城花园", "山小区", "河公寓", "塘村", "岭社区", "洲新城", "港家园", "峰花园"}[rng.IntN(10)])
		place += []string{"", "一期", "二期"}[rng.IntN(3)]
		text := testMessage(rng, place, testTopicNames[rng.IntN(len(testTopicNames))])
		if rng.IntN(5) > 0 {
			text = otherTopic(rng, place)
		}
		out = append(out, testMsg{person: firstPerson + int64(i), day: int32(rng.IntN(400)), place: place, text: text})
	}
	return out
}

func TestEstateOf(t *testing.T) {
	for _, c := range []struct{ key, kind, want, wantKind string }{
		{"锦华国际小区物业公司", "company", "锦华国际", "estate"},
		{"锦华国际物业公司", "company", "锦华国际", "estate"},
		{"远大建筑公司", "company", "远大建筑公司", "company"},
		{"物业公司", "company", "物业公司", "company"},
		{"丽发新城", "estate", "丽发新城", "estate"},
	} {
		got := estateOf(placeMention{key: c.key, kind: c.kind})
		if got.key != c.want || got.kind != c.wantKind {
			t.Errorf("estateOf(%s) = %s %s, want %s %s", c.key, got.key, got.kind, c.want, c.wantKind)
		}
	}
}

// otherTopic is a message on one of many other topics (a board has hundreds): a few words of a
// made-up vocabulary, so that the test topics' words are as rare as a real board's.
func otherTopic(rng *rand.Rand, place string) string {
	const chars = "安宝北边材仓草场厂车城池春村大道灯地电东冬断队儿发饭方房放费分风服富港工公关管广贵国海河黑红湖花华黄回会机鸡家价建江交街金经井景九酒局开康科口快矿来蓝老乐雷冷理力立粮林灵流龙路绿马买卖满毛煤美门米面民名明木农排盘平评坡七旗气汽桥青清秋区权泉群燃热人日荣肉森山商上社生石时市事收书水税司丝松送苏台太汤塘糖天田铁通同土团湾万网卫文屋五西溪夏线乡香小校新星学烟沿岩养药业医银影营油游鱼雨园远院月云运灾站长照证政支职纸中种州主住资子总组"
	rs := []rune(chars)
	var b strings.Builder
	b.WriteString(place + "的问题\n" + testGreetings[rng.IntN(len(testGreetings))])
	for range 3 + rng.IntN(3) {
		for range 2 + rng.IntN(3) {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		b.WriteString("，")
	}
	b.WriteString(testClosings[rng.IntN(len(testClosings))])
	return b.String()
}

func TestHotIssueTopics(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	msgs := background(rng, 600, 1000)
	// A decoy place: three unrelated topics, four people each, within a month.
	for i, topic := range []string{"噪音", "学位", "公交"} {
		for j := range 4 {
			msgs = append(msgs, testMsg{person: int64(100 + 10*i + j), day: int32(350 + rng.IntN(30)), place: "幸福家园",
				text: testMessage(rng, "幸福家园", topic)})
		}
	}
	// One place, one topic, twelve people in varied wording over a month.
	for j := range 12 {
		msgs = append(msgs, testMsg{person: int64(200 + j), day: int32(360 + rng.IntN(30)), place: "丽发新城",
			text: testMessage(rng, "丽发新城", "物业")})
	}
	// A frequent writer on thirty places.
	for j := range 30 {
		place := fmt.Sprintf("测试%c%c小区", '甲'+rune(j%10), '子'+rune(j/10))
		msgs = append(msgs, testMsg{person: 300, day: int32(300 + 3*j), place: place,
			text: testMessage(rng, place, testTopicNames[j%len(testTopicNames)])})
	}
	eps := hotBoard(t, defaultHotParams(), msgs)
	if len(eps) != 1 {
		for _, e := range eps {
			t.Logf("episode: %s %d cases %v", e.placeKey, len(e.cks), e.facts)
		}
		t.Fatalf("%d episodes, want 1 (丽发新城)", len(eps))
	}
	e := eps[0]
	// Messages that share little wording with the rest (我们交了物业费，物业却不作为，电梯坏了也不修)
	// may be read as another topic; the matter is one, of most of the twelve.
	if e.placeKey != "丽发新城" || len(e.cks) < hotMinComplainants {
		t.Errorf("episode %s with %d cases, want 丽发新城 with %d or more of 12", e.placeKey, len(e.cks), hotMinComplainants)
	}
	t.Logf("丽发新城: %d of 12 messages in the matter", len(e.cks))
	if topic := e.facts["topic"].(string); !strings.Contains(topic, "物业") {
		t.Errorf("topic words %q, want 物业…", topic)
	}
	t.Logf("facts: %v", e.facts)
}

// TestHotIssueBatches: when the candidates' texts are more than the rule holds at once, the
// places go in batches, each batch's texts read again from cases; the episodes are the same as
// with every text held.
func TestHotIssueBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	msgs := background(rng, 400, 1000)
	for k, place := range []string{"丽发新城", "金桂苑", "东湖家园"} {
		for j := range 12 {
			msgs = append(msgs, testMsg{person: int64(200 + 20*k + j), day: int32(360 + rng.IntN(30)), place: place,
				text: testMessage(rng, place, testTopicNames[k])})
		}
	}
	h, r := hotBoardRun(defaultHotParams(), msgs)
	held, err := h.allEpisodes(context.Background(), nil, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) < 3 {
		t.Fatalf("%d episodes with every text held, want the 3 planted", len(held))
	}
	q := datatest.New(t)
	for i, m := range msgs { // rowid i: ck i
		datatest.AddCases(t, q, datatest.Case{ID: fmt.Sprintf("C%05d", i), Received: "2025-01-01", Content: m.text})
	}
	for i := range r.cases {
		r.cases[i].text = ""
	}
	r.overflow.Store(true)
	r.budget = 1 // one place a batch
	batched, err := h.allEpisodes(context.Background(), q, r)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(held, batched) {
		t.Errorf("episodes in batches differ from those with every text held:\n%v\n%v", batched, held)
	}
	for i := range r.cases {
		if r.cases[i].text != "" {
			t.Fatalf("case %d's text still held after its batch", i)
		}
	}
}

func TestSplitTopics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	df := newDocFreq()
	var texts []string
	for _, m := range background(rng, 400, 1) {
		texts = append(texts, m.text)
	}
	var decoy []string
	for _, topic := range []string{"噪音", "学位", "公交"} {
		for range 4 {
			decoy = append(decoy, testMessage(rng, "幸福家园", topic))
		}
	}
	var one []string
	for range 12 {
		one = append(one, testMessage(rng, "丽发新城", "物业"))
	}
	grams := func(ts []string, name string) []ngramCounts {
		var out []ngramCounts
		for _, s := range ts {
			g := countNgrams(topicText(s, []string{name}))
			df.add(g)
			out = append(out, g)
		}
		return out
	}
	grams(texts, "")
	dg, og := grams(decoy, "幸福家园"), grams(one, "丽发新城")
	vecs := func(gs []ngramCounts) []sparse {
		var out []sparse
		for _, g := range gs {
			out = append(out, df.vector(g))
		}
		return out
	}
	// The decoy's topics never share a topic (a topic may split: four people are not a matter).
	topic := splitTopics(vecs(dg), hotSimilarity)
	for i := range topic {
		for j := range topic {
			if topic[i] == topic[j] && i/4 != j/4 {
				t.Errorf("decoy: messages %d and %d, of different topics, in topic %d", i, j, topic[i])
			}
		}
	}
	// One topic in varied wording: most of its messages in one topic.
	topic = splitTopics(vecs(og), hotSimilarity)
	size := map[int]int{}
	for _, x := range topic {
		size[x]++
	}
	if largest := size[commonestInt(topic)]; largest < 10 {
		t.Errorf("one topic: the largest topic holds %d of 12 messages (topics %v)", largest, topic)
	}
}

func commonestInt(xs []int) int {
	n := map[int]int{}
	best := xs[0]
	for _, x := range xs {
		n[x]++
		if n[x] > n[best] {
			best = x
		}
	}
	return best
}

func TestHotEpisodes(t *testing.T) {
	p := defaultHotParams()
	p.WindowDays = 10
	p.MinComplainants = 4
	h := &hotIssue{p: p, test: hotTestParams(p)}
	r := &hotRun{firstD: 0, from: 0, asOf: 500, boardPD: 0.001}
	// Five people 5 days apart, a gap of 11 days, then four people 2 days apart, then a gap of
	// 11 days and three people.
	days := []int32{200, 205, 210, 215, 220, 231, 233, 235, 237, 248, 249, 250}
	var ks []topicContact
	for i, d := range days {
		r.cases = append(r.cases, hotCase{ck: int64(i + 1), primary: &placeMention{name: "x"}})
		ks = append(ks, topicContact{hotContact{pk: int64(i + 1), day: d}, i})
	}
	r.df = newDocFreq()
	var cases []int
	for i := range days {
		r.cases[i].contacts = []hotContact{ks[i].hotContact}
		cases = append(cases, i)
	}
	eps := h.topicEpisodes(r, "x", cases)
	if len(eps) != 2 {
		t.Fatalf("%d episodes, want 2", len(eps))
	}
	if eps[0].from != 200 || eps[0].to != 220 || len(eps[0].cks) != 5 || eps[1].from != 231 || eps[1].to != 237 || len(eps[1].cks) != 4 {
		t.Errorf("episodes %d..%d (%d cases), %d..%d (%d cases); want 200..220 (5), 231..237 (4)",
			eps[0].from, eps[0].to, len(eps[0].cks), eps[1].from, eps[1].to, len(eps[1].cks))
	}
	// The fourth person made the first episode unusual: flagged on day 215.
	if eps[0].flagged != 215 {
		t.Errorf("first episode flagged on day %d, want 215", eps[0].flagged)
	}
}

func TestHotSignificance(t *testing.T) {
	p := defaultHotParams()
	p.MinComplainants = 8
	h := &hotIssue{p: p, test: hotTestParams(p)}
	r := &hotRun{firstD: -400, from: 200, asOf: 500, boardPD: 0.002}
	burst := func(busy bool) bool {
		r.cases = nil
		var cases []int
		add := func(pk int64, day int32) {
			r.cases = append(r.cases, hotCase{ck: int64(len(r.cases) + 1), primary: &placeMention{name: "x"},
				contacts: []hotContact{{pk: pk, day: day}}})
			cases = append(cases, len(r.cases)-1)
		}
		if busy {
			// A new person every day until day 250: the topic's usual rate is a person a day.
			for d := int32(0); d < 250; d++ {
				add(int64(1000+d), d)
			}
		}
		// After a month without any, ten people in ten days.
		for i := range 10 {
			add(int64(i+1), 290+int32(i))
		}
		r.df = newDocFreq()
		eps := h.topicEpisodes(r, "x", cases)
		for _, e := range eps {
			if e.from == 290 {
				t.Logf("busy %v: %v", busy, e.facts)
				return true
			}
		}
		return false
	}
	if !burst(false) {
		t.Error("10 people in 10 days at a quiet place: not flagged")
	}
	if burst(true) {
		t.Error("10 people in 10 days after a person a day for months: flagged")
	}
}

// TestHotPlaceFieldsDefaultUntouched: a rule's place_fields are decoded into a copy of the
// default, never into HotPlaceFields itself (rules compile concurrently, and the next rule
// would inherit the change).
func TestHotPlaceFieldsDefaultUntouched(t *testing.T) {
	want := slices.Clone(HotPlaceFields)
	if _, err := compileHotIssue("rules[0].params", map[string]any{"signal": SignalHotIssue, "place_fields": []any{"target_org"}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(HotPlaceFields, want) {
		t.Fatalf("HotPlaceFields became %v, want %v", HotPlaceFields, want)
	}
}
