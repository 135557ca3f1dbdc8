package topics

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// corpus builds a board of messages over the window and the baseline: background messages
// from many places and categories on everyday matters, each opening and closing with the same
// template phrases, and the extra messages a test plants. Day 0 is the as-of day.
type corpus struct {
	p       Params
	rng     *rand.Rand
	msgs    []Message
	persons int64
}

var (
	places     = []string{"城关镇", "东城街道", "西城街道", "南湖镇", "北山乡", "青石镇", "河口镇", "白沙乡"}
	categories = []string{"城乡建设", "劳动社保", "教育", "卫生健康", "交通运输", "环境保护"}
	openings   = []string{"尊敬的领导您好", "尊敬的领导：您好", "领导您好"}
	closings   = []string{"希望相关部门尽快处理，谢谢！", "恳请有关部门予以解决。谢谢", "望尽快处理为盼"}
	everyday   = []string{
		"小区门口路灯坏了很久没人修", "楼道堆放杂物存在消防隐患", "孩子上学的学位申请一直没有结果",
		"单位拖欠工资已经三个月", "社保缴费基数调整后不知道怎么办理", "医院挂号排队时间太长",
		"公交车班次太少等车要一个小时", "附近工地夜间施工噪音很大", "养老金发放时间能否提前",
		"农村道路坑洼不平雨天无法通行", "菜市场周边占道经营严重", "自来水水压不足高层用不上水",
		"供暖温度不达标家里很冷", "电动车充电桩太少", "物业服务态度差", "房屋产权证迟迟办不下来",
		"学校食堂饭菜价格偏高", "饮用水水质发黄", "垃圾分类设施不完善", "网约车管理不规范",
	}
)

func newCorpus(seed uint64) *corpus {
	return &corpus{p: DefaultParams(), rng: rand.New(rand.NewPCG(seed, 1))}
}

// add writes a message on day with body between a template opening and closing, from a new
// person (or person when not 0), from place and category (random when empty).
func (c *corpus) add(day int, body string, person int64, place, category string) {
	if person == 0 {
		c.persons++
		person = c.persons + 1_000_000
	}
	if place == "" {
		place = places[c.rng.IntN(len(places))]
	}
	if category == "" {
		category = categories[c.rng.IntN(len(categories))]
	}
	text := openings[c.rng.IntN(len(openings))] + "，我是" + place + "的居民，" + body + "。" + closings[c.rng.IntN(len(closings))]
	c.msgs = append(c.msgs, Message{CaseID: fmt.Sprintf("C%06d", len(c.msgs)+1), Text: text, Place: place, Category: category,
		Contacts: []Contact{{Day: int32(day), Person: person}}})
}

// background adds perDay everyday messages on every day of the window and the baseline.
func (c *corpus) background(perDay int) {
	for day := range c.p.WindowDays + c.p.BaselineDays {
		for range perDay {
			c.add(day, everyday[c.rng.IntN(len(everyday))]+"，"+everyday[c.rng.IntN(len(everyday))], 0, "", "")
		}
	}
}

// run detects the corpus' topics as a pipeline would: the window's messages, then the
// baseline's in batches.
func (c *corpus) run(t *testing.T) []Topic {
	t.Helper()
	d, err := New(c.p)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range c.msgs {
		d.AddWindow(m)
	}
	if d.EndWindow() == 0 {
		return nil
	}
	var batch []Message
	for _, m := range c.msgs {
		batch = append(batch, m)
		if len(batch) == 100 {
			d.AddBaseline(batch)
			batch = nil
		}
	}
	d.AddBaseline(batch)
	out := d.Topics(c.p.BaselineDays)
	for _, x := range out {
		t.Logf("topic %q %q: %d people, %d messages, expected %.1f, p %.2g, days %d..%d, places %v, e.g. %v",
			x.Phrase, x.Related, x.Complainants, x.Messages, x.Expected, x.PValue, x.FirstDay, x.LastDay, x.Places, x.Examples)
	}
	return out
}

// planted is the burst: a phrase 20 people use within 10 days after months of silence, each
// in their own words around it.
const planted = "光明小区地下车库漏水"

var plantedWords = []string{"最近", "这几天", "入夏以来", "连日下雨", "一到下雨天", "近一个月", "从上周开始", "雨季"}
var plantedAfter = []string{"车辆被泡", "墙皮脱落", "积水没过脚踝", "物业置之不理", "电路存在隐患", "已经发霉", "无法停车", "业主意见很大"}

func (c *corpus) plant(phrase string, people, days int) {
	for i := range people {
		body := plantedWords[i%len(plantedWords)] + phrase + plantedAfter[(i*3)%len(plantedAfter)]
		c.add(i%days, body, 0, "", "")
	}
}

// TestPlantedBurstIsOneWholePhrase: 20 people in 10 days writing of a phrase never seen before
// make one topic, reported as the whole phrase, not as its fragments; the everyday matters,
// steady all along, and the template openings and closings make none.
func TestPlantedBurstIsOneWholePhrase(t *testing.T) {
	c := newCorpus(1)
	c.background(12)
	c.plant(planted, 20, 10)
	out := c.run(t)
	if len(out) != 1 {
		t.Fatalf("%d topics, want 1 (%q)", len(out), planted)
	}
	x := out[0]
	if x.Phrase != planted || x.Complainants != 20 || x.Messages != 20 || x.FirstDay != 9 || x.LastDay != 0 {
		t.Errorf("topic %+v, want %q with 20 people and messages on days 9..0", x, planted)
	}
	if x.Expected > 14*0.1+0.01 || x.PValue > 1e-6 || len(x.Examples) != 5 || len(x.Places) != 3 {
		t.Errorf("topic %+v: expected at most the floor, a tiny p, 5 examples and 3 places", x)
	}
}

// TestSteadyPhraseIsNoTopic: a phrase as frequent in the window as all along is no topic, even
// when its window count is far above the floor.
func TestSteadyPhraseIsNoTopic(t *testing.T) {
	c := newCorpus(2)
	c.background(8)
	for day := range c.p.WindowDays + c.p.BaselineDays {
		for i := range 3 {
			c.add(day, plantedWords[i]+"河道水面漂浮大量死鱼"+plantedAfter[(day+i)%len(plantedAfter)], 0, "", "")
		}
	}
	if out := c.run(t); len(out) != 0 {
		t.Errorf("%d topics from a steady phrase, want none", len(out))
	}
}

// TestTemplatePhrasesAreNoTopic: when the window's volume doubles, every template phrase
// doubles with it; none of them is a topic, nor is a sentence every place writes.
func TestTemplatePhrasesAreNoTopic(t *testing.T) {
	c := newCorpus(3)
	c.background(10)
	for day := range c.p.WindowDays {
		for range 10 {
			c.add(day, everyday[c.rng.IntN(len(everyday))], 0, "", "")
		}
	}
	if out := c.run(t); len(out) != 0 {
		t.Errorf("%d topics from template text in a busier window, want none", len(out))
	}
}

// TestPersonNameIsNoTopic: 20 people naming the same official and the same manager in 10 days:
// neither name, nor a phrase holding one, is reported; the matter they write about is.
func TestPersonNameIsNoTopic(t *testing.T) {
	c := newCorpus(4)
	c.background(12)
	for i := range 20 {
		c.add(i%10, plantedWords[i%len(plantedWords)]+"村里张书记和物业经理王某某强占集体土地"+plantedAfter[i%len(plantedAfter)], 0, "", "")
	}
	out := c.run(t)
	if len(out) == 0 {
		t.Fatal("no topic: the matter itself (强占集体土地) should be one")
	}
	for _, x := range out {
		for _, w := range append([]string{x.Phrase}, x.Related...) {
			if HasPersonName(w) || strings.Contains(w, "张书") || strings.Contains(w, "王某") || strings.Contains(w, "理王") {
				t.Errorf("topic %q holds a person's name in %q", x.Phrase, w)
			}
		}
	}
	if !strings.Contains(out[0].Phrase, "强占集体土地") {
		t.Errorf("first topic %q, want the matter 强占集体土地", out[0].Phrase)
	}
}

// TestNoHistoryNoTopics: without half a baseline on record there is nothing to compare with.
func TestNoHistoryNoTopics(t *testing.T) {
	c := newCorpus(5)
	c.background(5)
	c.plant(planted, 20, 10)
	d, _ := New(c.p)
	for _, m := range c.msgs {
		d.AddWindow(m)
	}
	d.EndWindow()
	d.AddBaseline(c.msgs)
	if out := d.Topics(20); len(out) != 0 {
		t.Errorf("%d topics with 20 of 56 baseline days known, want none", len(out))
	}
}

func TestHasPersonName(t *testing.T) {
	for s, want := range map[string]bool{
		"王某": true, "张某某老师": true, "李书记": true, "物业经理刘某": true, "找到陈经理": true, "欧阳主任": true,
		"王书": true, "某某小区": true,
		"物业收费": false, "道路长期破损": false, "全部长期拖欠": false, "学校老师": false, "村书记": false,
		"地下车库漏水": false, "党支部书记": false, "总经理": false, "向老师反映": false,
	} {
		if got := HasPersonName(s); got != want {
			t.Errorf("HasPersonName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestGramsStayWithinHanRuns(t *testing.T) {
	runes := hanRunes("A市A3区丽发新城，２０１９年漏水", nil)
	var got []string
	for _, g := range allGrams(runes, 2, 4, nil) {
		got = append(got, string(runes[g.start:g.start+int32(g.n)]))
	}
	joined := strings.Join(got, " ")
	for _, bad := range []string{"市区", "城年", "新城年"} {
		if strings.Contains(" "+joined+" ", " "+bad+" ") {
			t.Errorf("n-gram %q crosses a gap: %v", bad, got)
		}
	}
	if !strings.Contains(joined, "丽发新城") || !strings.Contains(joined, "漏水") {
		t.Errorf("n-grams %v miss 丽发新城 or 漏水", got)
	}
}

func TestParamsThatMakeNoSenseAreRefused(t *testing.T) {
	for _, change := range []func(*Params){
		func(p *Params) { p.MaxTopics = 0 },
		func(p *Params) { p.MaxGram = 1 },
		func(p *Params) { p.TemplateShare = 0 },
		func(p *Params) { p.Grow = 0.5 },
		func(p *Params) { p.Alpha = 1 },
		func(p *Params) { p.BaselineDays = 3 },
	} {
		p := DefaultParams()
		change(&p)
		if _, err := New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
	if _, err := New(DefaultParams()); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
}

// TestWorkersFindTheSameTopics: the workers number the window's n-grams by shard and count the
// baseline apart; one worker, two and three find the same topics, down to every count, for a
// corpus of several bursts, one of them a phrase the background also uses.
func TestWorkersFindTheSameTopics(t *testing.T) {
	c := newCorpus(7)
	c.background(10)
	c.plant(planted, 20, 10)
	c.plant("城南菜场拆迁补偿款未发放", 15, 14)
	c.plant("学校食堂饭菜价格偏高", 30, 7)
	var want string
	for _, workers := range []int{1, 2, 3} {
		c.p.Workers = workers
		got := fmt.Sprintf("%+v", c.run(t))
		if workers == 1 {
			if strings.Count(got, "Phrase:") < 2 {
				t.Fatalf("one worker found %s, want several topics to compare", got)
			}
			want = got
		} else if got != want {
			t.Errorf("%d workers found\n%s\none found\n%s", workers, got, want)
		}
	}
}
