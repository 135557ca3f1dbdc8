package synth

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
)

// Category indices; their order is the order of the categories table.
const (
	catLand = iota
	catWage
	catLaw
	catBuild
	catRural
	catSocial
	catEdu
	catHealth
	catEnv
	catSOE
	catVeteran
	nCategories
)

// category is one matter category with its share of the volume, its township affinity and its
// month profile (Jan..Dec multipliers).
type category struct {
	name         string
	weight       float64
	urban, rural float64
	months       [12]float64
	// orgFallback stands in the content for {O} when a case has no target organisation.
	orgFallback string
}

var flatYear = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

var categories = [nCategories]category{
	catLand:    {"征地拆迁", 18, 0.8, 1.2, [12]float64{0.8, 0.8, 1.2, 1.3, 1.3, 1.2, 1, 1, 1, 1, 0.9, 0.8}, "有关部门"},
	catWage:    {"劳资纠纷", 16, 1.3, 0.8, [12]float64{1.8, 1.2, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1, 1.4, 2}, "用工单位"},
	catLaw:     {"涉法涉诉", 9, 1.1, 0.9, flatYear, "办案单位"},
	catBuild:   {"城乡建设", 14, 1.6, 0.6, [12]float64{1.3, 1.1, 0.9, 0.9, 1, 1, 1, 1, 1, 1, 1.2, 1.3}, "开发商"},
	catRural:   {"农村农业", 12, 0.3, 1.5, [12]float64{0.8, 0.9, 1.3, 1.3, 1.1, 1, 0.9, 0.9, 1.1, 1.2, 1, 0.8}, "村里"},
	catSocial:  {"社会保障", 9, 1.1, 0.9, [12]float64{1.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.1}, "有关部门"},
	catEdu:     {"教育", 5, 1.2, 0.9, [12]float64{0.8, 0.9, 0.9, 0.9, 1, 1.2, 1.3, 1.8, 1.6, 1, 0.8, 0.8}, "学校"},
	catHealth:  {"医疗卫生", 5, 1.1, 0.9, flatYear, "医院"},
	catEnv:     {"环境保护", 6, 0.8, 1.2, [12]float64{0.7, 0.7, 0.9, 1.1, 1.3, 1.4, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7}, "附近企业"},
	catSOE:     {"企业改制", 3, 1.3, 0.8, flatYear, "原单位"},
	catVeteran: {"退役军人", 3, 1, 1, [12]float64{1, 1, 1, 1, 1, 1, 1.3, 1.3, 1, 1, 1, 1}, "有关部门"},
}

// weekdayWeight scales daily volume by weekday (Sunday first): offices register far fewer
// matters at weekends.
var weekdayWeight = [7]float64{0.3, 1.15, 1, 1, 1, 0.95, 0.35}

var (
	streetPool = []string{"东城街道", "西城街道", "南湖街道", "北关街道", "新华街道", "滨河街道"}
	ruralPool  = []string{"新桥乡", "石桥镇", "柳河镇", "马庄乡", "高岭镇", "白沙镇", "青山乡", "双河镇",
		"长岭镇", "黄土坡乡", "龙泉镇", "桃园乡", "红星镇", "河口镇", "杨柳镇", "大王庄乡", "李家湾乡",
		"三里铺镇", "沙河镇", "洪山镇", "张集镇", "古城乡", "金山镇", "平安乡", "太平镇", "梅林乡", "凤凰镇"}
	villagePool = []string{"张庄", "李庄", "王庄", "刘庄", "陈家湾", "杨家岭", "赵家沟", "孙家集", "周家坝",
		"吴家店", "前进", "红旗", "新民", "和平", "团结", "胜利", "东风", "光明", "建设", "杨树", "石门", "马岭",
		"柳林", "桥头", "河西", "河东", "北坡", "南岗", "沙窝", "大营", "小营", "高庄", "郭集", "黄楼", "徐圩",
		"曹坝", "邓湾", "冯寨", "梁庄", "宋岗", "唐家", "许营", "韩庄", "罗湾", "谢集", "田坎", "松林", "枣林",
		"梨园", "桑园", "荷塘", "龙潭", "白马", "青龙", "金鸡", "卧牛", "双井", "三合", "四方", "五里", "六合",
		"七里", "九龙", "十里"}
	communityPool = []string{"幸福", "文化路", "建设路", "人民路", "锦绣", "阳光", "滨河", "春华", "翠苑", "育才",
		"解放路", "中山路", "新华", "和谐", "金桥", "府前", "东关", "西关", "南门", "北门", "花园", "长青",
		"朝阳", "振兴", "城南", "城北", "公园", "学府", "迎宾", "康乐"}
	companyPrefixes = []string{"恒达", "鑫源", "宏盛", "永信", "华泰", "金鼎", "顺通", "瑞丰", "天成", "盛世",
		"中兴", "新锐", "东方", "富强", "宏远", "嘉禾", "润泽", "兴隆", "恒通", "万和", "昌盛", "荣达", "福源",
		"锦程", "泰和", "伟业", "信达", "佳和", "德润", "同创", "博远", "聚鑫", "广源", "益民", "安泰", "明辉",
		"正阳", "汇通", "隆昌", "丰泽", "凯旋", "鸿运", "金诚", "祥瑞", "宝丰", "长兴", "华宇", "民生"}
	wageIndustries = []string{"建筑工程有限公司", "建筑劳务有限公司", "服装有限公司", "电子科技有限公司", "食品有限公司",
		"物流有限公司", "家具有限公司", "纺织有限公司", "木业有限公司", "矿业有限公司"}
	buildIndustries = []string{"房地产开发有限公司", "物业服务有限公司", "置业有限公司", "市政工程有限公司",
		"物业管理有限公司", "建筑安装工程有限公司"}
	envIndustries = []string{"化工有限公司", "建材有限公司", "生猪养殖场", "页岩砖厂", "石料厂", "再生资源回收有限公司",
		"商品混凝土有限公司"}
	formerSOEs = []string{"县化肥厂", "县纺织厂", "县供销合作社", "县酒厂", "县机械厂", "县粮食购销公司", "县水泥厂", "县运输公司"}
)

// township is one 乡镇 or 街道 with its villages or communities and its local organisations.
type township struct {
	name     string
	urban    bool
	weight   float64
	villages []string // full names: 张庄村, 幸福社区
	resident []string // 村民 or 居民, per village
	gov      int32    // org index of the township government; also a responsible unit name
	govUnit  int32    // unit index of the township government
}

// option is one target organisation a case of a (township, category) may name, and so one
// stratum (township, category, target_org) of the group rule.
type option struct {
	org     int32 // index into county.orgs; -1: no target organisation
	village int8  // village the org belongs to (a village committee), -1: any village
}

// unitChoice is a responsible unit with its weight; unit -1 means the township government.
type unitChoice struct {
	unit   int32
	weight float64
}

// county is the fixed geography and vocabulary of one synthetic county, drawn from the seed.
type county struct {
	towns   []township
	orgs    []string
	units   []string
	strata  []option   // every stratum; a case's stratum id indexes it
	groups  []optGroup // strata of each (township, category), at township*nCategories+category
	unitsBy [][]unitChoice
	unitCum [][]float64
	townCum [nCategories][]float64 // cumulative township weights per category
	catCum  []float64

	orgIndex  map[string]int32 // name lookup while building only
	unitIndex map[string]int32
}

// optGroup is the contiguous run of strata of one (township, category) with cumulative weights.
type optGroup struct {
	first int
	cum   []float64
}

// newCounty draws the county for a seed and a yearly case volume. It never iterates a map, so
// it is deterministic.
func newCounty(r *rand.Rand, casesPerYear int) *county {
	c := &county{orgIndex: map[string]int32{}, unitIndex: map[string]int32{}}
	c.drawTownships(r, casesPerYear)
	for t := range c.towns {
		c.buildStrata(r, t)
	}
	c.buildUnits()
	cumulate := func(w func(int) float64, n int) []float64 {
		cum := make([]float64, n)
		s := 0.0
		for i := range cum {
			s += w(i)
			cum[i] = s
		}
		return cum
	}
	c.catCum = cumulate(func(i int) float64 { return categories[i].weight }, nCategories)
	for k := range categories {
		cat := categories[k]
		c.townCum[k] = cumulate(func(t int) float64 {
			if c.towns[t].urban {
				return c.towns[t].weight * cat.urban
			}
			return c.towns[t].weight * cat.rural
		}, len(c.towns))
	}
	c.orgIndex, c.unitIndex = nil, nil
	return c
}

// drawTownships picks 18-25 townships: 城关镇, two to four streets and rural townships, each
// with 5-15 villages or communities. A volume above 25,000 cases a year is a region rather than
// a county: it gets one township per 1,000 cases a year, so that strata stay as busy as a
// county's (the benchmark's million cases would otherwise crowd every stratum into a wave).
func (c *county) drawTownships(r *rand.Rand, casesPerYear int) {
	n := 18 + r.IntN(8)
	streets := 2 + r.IntN(3)
	names := []string{"城关镇"}
	names = append(names, shuffled(r, streetPool)[:streets]...)
	names = append(names, shuffled(r, ruralPool)[:n-1-streets]...)
	for i := 0; casesPerYear > 25000 && len(names) < casesPerYear/1000; i++ {
		if name := regionTownship(i); !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for i, name := range names {
		t := township{name: name, urban: i <= streets}
		var vill, comm int
		switch {
		case i == 0:
			t.weight, comm, vill = 3, 4+r.IntN(3), 4+r.IntN(5)
		case t.urban:
			t.weight, comm = 1.6+0.6*r.Float64(), 5+r.IntN(8)
		default:
			t.weight, vill = 0.5+r.Float64(), 6+r.IntN(10)
		}
		for _, s := range shuffled(r, communityPool)[:comm] {
			t.villages = append(t.villages, s+"社区")
			t.resident = append(t.resident, "居民")
		}
		for _, s := range shuffled(r, villagePool)[:vill] {
			t.villages = append(t.villages, s+"村")
			t.resident = append(t.resident, "村民")
		}
		gov := name + "人民政府"
		if t.urban && i > 0 {
			gov = name + "办事处"
		}
		t.gov = c.org(gov)
		t.govUnit = c.unit(gov)
		c.towns = append(c.towns, t)
	}
}

var (
	regionPrefixes = []string{"东", "西", "南", "北", "上", "下", "大", "小", "新", "老", "前", "后", "中", "高", "长", "平", "安", "永", "福", "兴"}
	regionRoots    = []string{"桥", "山", "河", "塘", "湾", "坪", "岭", "溪", "田", "林", "冈", "岗", "口", "营", "集", "庄", "湖", "滩", "港", "坝", "铺", "店", "寨", "堡", "坡", "沟", "洲", "源", "阳", "丰"}
)

// regionTownship names the i-th candidate township of a region: a prefix, a root and 镇 or 乡,
// with a number once the 1,200 combinations run out. Candidates never repeat each other.
func regionTownship(i int) string {
	n := len(regionPrefixes) * len(regionRoots)
	name := regionPrefixes[i%len(regionPrefixes)] + regionRoots[i/len(regionPrefixes)%len(regionRoots)]
	kind := "镇"
	if i/n%2 == 1 {
		kind = "乡"
	}
	if round := i / (2 * n); round > 0 {
		name += strconv.Itoa(round + 1)
	}
	return name + kind
}

// buildStrata adds the target organisations of every category for township t, with weights
// that spread each busy category over several organisations.
func (c *county) buildStrata(r *rand.Rand, ti int) {
	t := &c.towns[ti]
	companies := func(industries []string, n int) []int32 {
		var out []int32
		for attempt := 0; len(out) < n; attempt++ {
			name := companyPrefixes[r.IntN(len(companyPrefixes))] + industries[r.IntN(len(industries))]
			if attempt >= 20 { // a region's townships use up the county-wide names
				name = t.name + name
			}
			if _, taken := c.orgIndex[name]; !taken {
				out = append(out, c.org(name))
			}
		}
		return out
	}
	// Busier townships have more employers and developers, which spreads their volume.
	wage := companies(wageIndustries, 2+int(2*t.weight)+r.IntN(3))
	build := companies(buildIndustries, 1+int(3*t.weight)+r.IntN(2))
	env := companies(envIndustries, 1+r.IntN(2)+boolInt(!t.urban))
	police := c.org(t.name + "派出所")
	school := c.org(t.name + "中心学校")
	clinic := c.org(t.name + either(t.urban, "社区卫生服务中心", "卫生院"))
	committees := make([]int32, len(t.villages))
	for v, name := range t.villages {
		committees[v] = c.org(name + either(t.resident[v] == "村民", "村民委员会", "居民委员会"))
	}
	for k := range nCategories {
		var opts []option
		var ws []float64
		add := func(org int32, village int, w float64) {
			opts = append(opts, option{org: org, village: int8(village)})
			ws = append(ws, w)
		}
		addAll := func(orgs []int32, w float64) {
			for _, o := range orgs {
				add(o, -1, w)
			}
		}
		named := func(name string, w float64) { add(c.org(name), -1, w) }
		switch k {
		case catLand:
			add(t.gov, -1, 3)
			named("县自然资源局", 2)
			named("县房屋征收与补偿服务中心", 2)
			named("县城市建设投资有限公司", 1)
			named("县住房和城乡建设局", 1)
			for v, o := range committees {
				add(o, v, 0.5)
			}
			addAll(build[:2], 0.6)
		case catWage:
			addAll(wage, 2)
			add(t.gov, -1, 1)
			named("县人力资源和社会保障局", 0.5)
		case catLaw:
			named("县人民法院", 3)
			add(c.org(t.name+"人民法庭"), -1, 1.5)
			named("县公安局", 3)
			add(police, -1, 2)
			named("县人民检察院", 1)
			named("县司法局", 1)
		case catBuild:
			named("县住房和城乡建设局", 1.5)
			named("县城市管理局", 1.5)
			addAll(build, 2)
			add(t.gov, -1, 1)
			for v, o := range committees {
				if t.resident[v] == "居民" {
					add(o, v, 0.3)
				}
			}
		case catRural:
			add(t.gov, -1, 2)
			named("县农业农村局", 1.5)
			named("县林业局", 0.5)
			named("县水利局", 0.5)
			for v, o := range committees {
				add(o, v, 0.8)
			}
		case catSocial:
			named("县人力资源和社会保障局", 3)
			named("县医疗保障局", 2)
			named("县民政局", 2)
			named("县社会保险事业服务中心", 1)
			add(t.gov, -1, 1)
		case catEdu:
			named("县教育局", 3)
			add(school, -1, 2)
			named("县第一中学", 1)
			named("县第二中学", 1)
			named("县实验小学", 1)
		case catHealth:
			named("县人民医院", 3)
			named("县中医院", 2)
			add(clinic, -1, 2)
			named("县卫生健康局", 1)
		case catEnv:
			addAll(env, 2)
			named("县生态环境分局", 2)
			add(t.gov, -1, 1)
		case catSOE:
			for _, s := range formerSOEs {
				named(s, 1.5)
			}
			named("县国有资产服务中心", 1)
			named("县工业和信息化局", 0.5)
		case catVeteran:
			named("县退役军人事务局", 4)
			named("县人力资源和社会保障局", 1)
			add(t.gov, -1, 1)
		}
		total := 0.0
		for _, w := range ws {
			total += w
		}
		add(-1, -1, 0.03*total) // a few cases name no organisation
		g := optGroup{first: len(c.strata), cum: make([]float64, len(ws))}
		s := 0.0
		for i, w := range ws {
			s += w
			g.cum[i] = s
		}
		c.strata = append(c.strata, opts...)
		c.groups = append(c.groups, g)
	}
}

// buildUnits sets the responsible units of each category; unit -1 is the township government.
func (c *county) buildUnits() {
	spec := [nCategories][]struct {
		name string
		w    float64
	}{
		catLand:    {{"", 5}, {"县自然资源局", 2}, {"县房屋征收与补偿服务中心", 2}},
		catWage:    {{"县人力资源和社会保障局", 5}, {"", 4}, {"县住房和城乡建设局", 1}},
		catLaw:     {{"县委政法委员会", 3}, {"县人民法院", 3}, {"县公安局", 2}, {"县司法局", 1}},
		catBuild:   {{"县住房和城乡建设局", 4}, {"县城市管理局", 2}, {"", 3}},
		catRural:   {{"", 6}, {"县农业农村局", 3}},
		catSocial:  {{"县人力资源和社会保障局", 4}, {"县医疗保障局", 2}, {"县民政局", 2}, {"", 1}},
		catEdu:     {{"县教育局", 8}, {"", 1}},
		catHealth:  {{"县卫生健康局", 7}, {"", 1}},
		catEnv:     {{"县生态环境分局", 7}, {"", 3}},
		catSOE:     {{"县国有资产服务中心", 5}, {"县工业和信息化局", 3}},
		catVeteran: {{"县退役军人事务局", 8}, {"", 2}},
	}
	c.unitsBy = make([][]unitChoice, nCategories)
	c.unitCum = make([][]float64, nCategories)
	for k, list := range spec {
		s := 0.0
		for _, u := range list {
			idx := int32(-1)
			if u.name != "" {
				idx = c.unit(u.name)
			}
			s += u.w
			c.unitsBy[k] = append(c.unitsBy[k], unitChoice{idx, u.w})
			c.unitCum[k] = append(c.unitCum[k], s)
		}
	}
}

func (c *county) org(name string) int32 { return intern(&c.orgs, c.orgIndex, name) }

func (c *county) unit(name string) int32 { return intern(&c.units, c.unitIndex, name) }

// intern returns name's index in names, appending it the first time.
func intern(names *[]string, index map[string]int32, name string) int32 {
	if i, ok := index[name]; ok {
		return i
	}
	*names = append(*names, name)
	index[name] = int32(len(*names) - 1)
	return index[name]
}

// pickStratum draws a stratum id of township t and category k.
func (c *county) pickStratum(r *rand.Rand, t, k int) int {
	g := c.groups[t*nCategories+k]
	return g.first + pick(r, g.cum)
}

// pickUnit draws the responsible unit of a case of category k in township t.
func (c *county) pickUnit(r *rand.Rand, t, k int) int32 {
	u := c.unitsBy[k][pick(r, c.unitCum[k])].unit
	if u < 0 {
		return c.towns[t].govUnit
	}
	return u
}

// pick draws an index with probability proportional to its weight, given cumulative weights.
// A zero-weight entry is never drawn.
func pick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return sort.Search(len(cum), func(i int) bool { return cum[i] > x })
}

// shuffled returns a shuffled copy of s.
func shuffled(r *rand.Rand, s []string) []string {
	out := append([]string(nil), s...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// either returns a when cond holds, else b.
func either(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
