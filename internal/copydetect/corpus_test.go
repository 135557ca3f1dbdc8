package copydetect

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// A test corpus of letters with planted copy groups and hard negatives. A copy group is one
// template letter sent by several people, each copy with the sender's own name, village and
// numbers, its own punctuation, spacing and full-width forms, a few typos, and sometimes a
// sentence dropped or added, a phone or id number appended. Hard negatives are letters written
// independently on the same topic (same category, township, village and target organisation),
// from the same phrase pools as the template, so they share stock sentences with the copies.

var (
	cOpenings = []string{
		"本人{name}，系{T}{V}村民，", "我是{T}{V}的{name}，", "尊敬的领导：我叫{name}，家住{T}{V}，",
		"反映人{name}，现住{T}{V}，", "您好，我是{T}{V}村民{name}，", "{T}{V}村民{name}反映：",
		"领导好，我是{T}{V}的村民，名叫{name}，", "我们是{T}{V}的群众，",
	}
	cAttempts = []string{
		"此事已向{T}政府反映过{n}次，", "我们多次找{O}协商，对方一直推诿，", "去年{M}月到县信访局来访过，至今没有结果，",
		"村委会说要等上面的政策，", "打过{n}次12345热线，每次都说在处理，", "找过相关负责人，对方让我们回去等通知，",
		"有关部门调查后说情况属实，但一直没有落实，", "{T}政府的工作人员来看过一次，之后就没人管了，",
	}
	cClosings = []string{
		"恳请领导重视。", "望尽快答复。", "请领导为我们做主。", "如不解决，我们将继续反映。",
		"我们的诉求合理合法，请依法处理。", "以上情况属实，可以调查核实。", "请尽快给我们一个答复。", "谢谢！",
	}
	cPersonal = []string{
		"我家有{n}口人，全靠这点收入生活，", "我今年{G}岁了，身体不好，", "家里老人常年卧病，", "孩子还在上学，",
		"我是低保户，生活非常困难，", "我一个人带着{n}个孩子，", "我在外地打工，这次专门请假回来，", "我丈夫去年因病去世，",
	}
	cGrievances = [][]string{
		{ // land
			"{Y}年{O}以修路为由征收我们的承包地{S}亩，补偿款至今没有足额发放，", "征地补偿标准每亩只有{A}元，明显低于周边项目，",
			"村里没有公开补偿款的分配明细，", "{O}在没有签协议的情况下强行拆除了房屋{n}间，", "青苗补偿{A}元被村干部截留，",
			"过渡安置费从{Y}年起停发，已经拖欠{K}个月，", "安置房原定{Y}年底交付，现在还没有动工，", "被征地农民养老保险一直没有办理，",
			"评估面积只认定了{N}平方米，和实际严重不符，", "剩下的零星土地无法耕种，要求一并征收没有答复，",
		},
		{ // wages
			"我们在{O}承建的工地干活，包工头跑路后工资没人支付，", "{O}以效益不好为由连续{K}个月没有发工资，",
			"去年年底结算时老板打了欠条，金额{A}元，至今分文未付，", "公司没有和我们签劳动合同，也没有交社保，",
			"工程已经竣工验收{K}个月，总包说钱给了分包，分包说没收到，", "劳动监察部门已经下达限期支付指令，企业仍不执行，",
			"我们班组共{P}人，累计欠薪约{W}万元，", "公司法人变更后，新老板不认以前的欠账，", "加班费按每小时{N}元计算，实际发放不到一半，",
			"工伤住院花了{A}元，公司拒绝报销，",
		},
		{ // housing
			"我们小区{Y}年交房，至今办不下不动产权证，涉及{P}户，", "{O}承诺的幼儿园和停车场一直没有兑现，",
			"物业费每平方米{n}元，服务却很差，电梯经常停运，", "楼下商铺违法加建{N}平方米，占用了消防通道，",
			"房屋外墙出现裂缝，开发商以过了保修期为由拒绝维修，", "老旧小区改造拖了{K}个月，路面挖开后没人施工，",
			"开发商延期交房{K}个月，违约金{A}元拒不支付，", "小区维修资金{W}万元去向不明，", "冬天供暖不达标，室内只有{n}度左右，",
			"附近工地夜里施工到凌晨{n}点，严重影响休息，",
		},
		{ // rural
			"我家承包的{S}亩地被村里调整给了别人耕种，", "村里{Y}年的土地流转费每亩{A}元至今没有发放，",
			"{O}把集体山林{S}亩低价承包给了外村人，", "村务不公开，近{K}年的收支没有张榜公布，", "村里修路占了我家耕地{S}亩，没有任何补偿，",
			"耕地地力保护补贴连续{n}年没有发到账户上，", "村干部在低保评定中优亲厚友，", "灌溉水渠年久失修，{P}户的农田浇不上水，",
			"土地确权时我家的地被登记到了别人名下，", "外嫁女被排除在集体分红之外，",
		},
		{ // environment
			"{O}每天晚上偷排废水，附近河水发黑发臭，", "{O}生产时粉尘很大，周边{P}户居民的衣服都晾不了，",
			"养殖场离居民区不到{N}米，气味熏人，", "砖厂烟囱天天冒黑烟，庄稼减产{n}成，", "{O}噪声超标，夜里{n}点以后还在生产，",
			"垃圾填埋场的渗滤液流进了鱼塘，损失约{A}元，", "河道非法采砂导致河岸坍塌，冲毁农田{S}亩，", "化工厂异味刺鼻，村里很多老人咳嗽，",
			"环评要求建设的污水处理设施至今没有建成，", "石料厂爆破震裂了房屋墙体，",
		},
		{ // social security
			"我{Y}年办理退休，养老金核定每月只有{A}元，计算有误，", "本人缴纳社保{K}年，中间断缴几个月，补缴申请被拒，",
			"家里有人重病，低保申请两次都没有批下来，", "医保报销时说药品不在目录内，自付了{A}元，", "失业保险金只领了{K}个月就被停发，",
			"{O}在核定工龄时少算了{n}年，", "残疾人补贴从{Y}年{M}月起停发，", "异地就医备案后仍然不能直接结算，垫付了{A}元，",
			"养老保险个人账户余额和缴费记录对不上，", "工伤认定已经作出{K}个月，待遇仍未支付，",
		},
	}
	cDemands = [][]string{
		{"请求按新标准补足征地补偿款。", "要求公开征地补偿款的分配方案。", "请求依法追究强拆责任人的责任。", "要求补发拖欠的过渡安置费。"},
		{"恳请政府帮我们追回血汗钱。", "要求{O}立即支付拖欠的工资。", "请求劳动监察部门依法处理。", "希望年前能把工钱结清。"},
		{"要求尽快办理不动产权证。", "请求依法查处违法建设。", "要求开发商兑现承诺。", "请求督促物业整改。"},
		{"请求依法确认我家的承包经营权。", "要求村里公开财务账目。", "请求补发拖欠的补贴。", "要求退还被占的土地。"},
		{"请求环保部门依法查处。", "要求企业停产整改。", "要求赔偿我们的损失。", "请求公开环境监测数据。"},
		{"请求重新核定养老金待遇。", "希望准予补缴社保。", "请求尽快批准低保。", "要求按规定报销医疗费用。"},
	}
	cTowns     = []string{"城关镇", "东坝乡", "清水镇", "河西街道", "石门乡", "桃源镇", "新华街道", "白沙镇", "柳林乡", "龙泉镇", "青山乡", "南湖街道"}
	cVillages  = []string{"红星村", "前进村", "李家庄", "王家湾", "新民社区", "杨柳村", "张家坪", "和平村", "团结社区", "高桥村", "马鞍山村", "东风村", "五里铺", "河口村"}
	cOrgs      = []string{"县交通局", "宏达建筑公司", "县住建局", "鑫源房地产公司", "村委会", "县人社局", "恒丰化工厂", "县自然资源局", "安居物业公司", "县医保局", "县生态环境局", "金利砖厂"}
	cSurnames  = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文")
	cGivens    = []rune("建国军华平明强伟芳秀英敏静丽勇杰涛磊超霞桂兰玉红云龙海波宏志东刚林峰辉鹏飞燕萍亮成斌玲凤春")
	cTypoRunes = []rune("的了在是我有和人这中大为上个国到说们以要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笔")
)

type plan struct {
	opening  int
	personal int // -1: none
	grievs   []int
	attempts []int
	demand   int
	closing  int // -1: none
}

type place struct {
	cat        int
	town, vill string
	org        string
}

func drawPlace(r *rand.Rand) place {
	return place{cat: r.IntN(len(cGrievances)), town: pick(r, cTowns), vill: pick(r, cVillages), org: pick(r, cOrgs)}
}

func drawPlan(r *rand.Rand, cat int) plan {
	p := plan{opening: r.IntN(len(cOpenings)), personal: -1, closing: -1}
	if r.IntN(3) == 0 {
		p.personal = r.IntN(len(cPersonal))
	}
	p.grievs = r.Perm(len(cGrievances[cat]))[:2+r.IntN(3)]
	p.attempts = r.Perm(len(cAttempts))[:r.IntN(3)]
	p.demand = r.IntN(len(cDemands[cat]))
	if r.IntN(10) < 7 {
		p.closing = r.IntN(len(cClosings))
	}
	return p
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func name(r *rand.Rand) string {
	n := []rune{cSurnames[r.IntN(len(cSurnames))], cGivens[r.IntN(len(cGivens))]}
	if r.IntN(3) > 0 {
		n = append(n, cGivens[r.IntN(len(cGivens))])
	}
	return string(n)
}

// fill renders one phrase: names from pl and the sender, numbers drawn fresh.
func fill(b *strings.Builder, phrase string, pl place, sender string, r *rand.Rand) {
	for phrase != "" {
		i := strings.IndexByte(phrase, '{')
		if i < 0 {
			b.WriteString(phrase)
			return
		}
		b.WriteString(phrase[:i])
		j := strings.IndexByte(phrase, '}')
		switch phrase[i+1 : j] {
		case "name":
			b.WriteString(sender)
		case "T":
			b.WriteString(pl.town)
		case "V":
			b.WriteString(pl.vill)
		case "O":
			b.WriteString(pl.org)
		case "Y":
			b.WriteString(strconv.Itoa(2005 + r.IntN(20)))
		case "M":
			b.WriteString(strconv.Itoa(1 + r.IntN(12)))
		case "n":
			b.WriteString(strconv.Itoa(2 + r.IntN(8)))
		case "N", "K", "P", "G":
			b.WriteString(strconv.Itoa(2 + r.IntN(90)))
		case "S":
			b.WriteString(strconv.Itoa(r.IntN(30)) + "." + strconv.Itoa(r.IntN(10)))
		case "A":
			b.WriteString(strconv.Itoa(100 * (1 + r.IntN(900))))
		case "W":
			b.WriteString(strconv.Itoa(1 + r.IntN(300)))
		default:
			panic("corpus: unknown slot " + phrase[i:j+1])
		}
		phrase = phrase[j+1:]
	}
}

func render(p plan, pl place, sender string, r *rand.Rand) string {
	var b strings.Builder
	fill(&b, cOpenings[p.opening], pl, sender, r)
	if p.personal >= 0 {
		fill(&b, cPersonal[p.personal], pl, sender, r)
	}
	for _, g := range p.grievs {
		fill(&b, cGrievances[pl.cat][g], pl, sender, r)
	}
	for _, a := range p.attempts {
		fill(&b, cAttempts[a], pl, sender, r)
	}
	s := strings.TrimSuffix(b.String(), "，") + "。"
	b.Reset()
	b.WriteString(s)
	fill(&b, cDemands[pl.cat][p.demand], pl, sender, r)
	if p.closing >= 0 {
		fill(&b, cClosings[p.closing], pl, sender, r)
	}
	return b.String()
}

// copyOf varies the template plan for one sender and renders it with surface noise.
func copyOf(p plan, pl place, r *rand.Rand) string {
	q := p
	q.grievs = append([]int(nil), p.grievs...)
	q.attempts = append([]int(nil), p.attempts...)
	switch u := r.IntN(10); {
	case u < 2 && len(q.attempts) > 0: // drops one attempt sentence
		q.attempts = q.attempts[1:]
	case u < 4: // adds or replaces the personal sentence
		q.personal = r.IntN(len(cPersonal))
	case u < 5: // changes the closing
		q.closing = r.IntN(len(cClosings))
	}
	own := pl
	if r.IntN(2) == 0 { // a neighbour from another village of the township
		own.vill = pick(r, cVillages)
	}
	text := render(q, own, name(r), r)
	switch r.IntN(8) {
	case 0:
		text += "联系电话：1" + strconv.Itoa(3+r.IntN(7)) + digits(r, 9)
	case 1:
		text += "身份证号：" + digits(r, 17) + "X"
	case 2:
		text += "电话 0" + digits(r, 3) + "-" + digits(r, 8)
	}
	return noise(text, r)
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// noise varies punctuation, spacing and width, and makes 0–3 typos.
func noise(text string, r *rand.Rand) string {
	rs := []rune(text)
	for range r.IntN(4) {
		i := r.IntN(len(rs))
		switch r.IntN(3) {
		case 0:
			rs[i] = cTypoRunes[r.IntN(len(cTypoRunes))]
		case 1:
			rs = append(rs[:i], rs[i+1:]...)
		default:
			rs = append(rs[:i], append([]rune{cTypoRunes[r.IntN(len(cTypoRunes))]}, rs[i:]...)...)
		}
	}
	fullWidth := r.IntN(4) == 0
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString("　　")
	}
	for _, c := range rs {
		u := r.IntN(20)
		switch {
		case c == '，' && u < 3:
			b.WriteString(", ")
		case c == '。' && u < 4:
			b.WriteString("。\n")
		case c == '：' && u < 6:
			b.WriteString(": ")
		case fullWidth && c >= '0' && c <= '9':
			b.WriteRune(c + 0xFEE0)
		case c == '，' && u < 5:
			b.WriteString(" ， ")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// corpus returns letters and, per letter id, its copy group (-1 for letters that are no copy).
// Each of the groups has 3–12 letters from distinct persons (sometimes one sends two); each group
// topic also gets hardPerGroup independent letters; background letters are on random topics.
func corpus(seed uint64, groups, hardPerGroup, background int) ([]Letter, map[string]int) {
	r := rand.New(rand.NewPCG(seed, 7))
	var letters []Letter
	truth := map[string]int{}
	person := 0
	add := func(text string, group int, who int) {
		id := fmt.Sprintf("L%07d", len(letters))
		letters = append(letters, Letter{ID: id, Person: fmt.Sprintf("P%07d", who), Text: text})
		truth[id] = group
	}
	for g := range groups {
		pl := drawPlace(r)
		tmpl := drawPlan(r, pl.cat)
		for range 3 + r.IntN(10) {
			person++
			add(copyOf(tmpl, pl, r), g, person)
			if r.IntN(10) == 0 {
				add(copyOf(tmpl, pl, r), g, person)
			}
		}
		for range hardPerGroup {
			person++
			add(noise(render(drawPlan(r, pl.cat), pl, name(r), r), r), -1, person)
		}
	}
	for range background {
		person++
		pl := drawPlace(r)
		add(noise(render(drawPlan(r, pl.cat), pl, name(r), r), r), -1, person)
	}
	r.Shuffle(len(letters), func(i, j int) { letters[i], letters[j] = letters[j], letters[i] })
	return letters, truth
}
