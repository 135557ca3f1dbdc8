package title

// Clauses that say nothing of the matter, which a gist leaves out: boilerplate (greetings, how
// long it has gone on, whom the writer asked, closing pleas) and whatever tells of a person (a
// writer's name and particulars, who reports, identifiers left in the text). Gist reads them
// clause by clause.

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/earlywarn/earlywarn/internal/idnum"
)

// boilerplate lists the kinds of clause that carry no gist: greetings, writers introducing
// themselves or saying where they live, how long it has gone on, whom they already asked, and
// closing pleas. A clause (after trimming) is boilerplate when it matches one kind's expression
// as a whole. Each kind also lists words of which any clause its expression matches holds at
// least one: the expression runs only on a clause holding one, so most clauses are told apart
// without running any (an expression costs microseconds a clause, the words nanoseconds).
var boilerplate = []boilerplateKind{
	// greetings and openings
	kind(`尊敬的.*`, "尊敬的"),
	kind(`.*(您好|你好|你们好|您们好|大家好|新年好|领导好|各位领导)`, "您好", "你好", "你们好", "您们好", "大家好", "新年好", "领导好", "各位领导"),
	kind(`网民留言`, "网民留言"),
	// whom a letter addresses, before its greeting (各位网友，你们好; A7县的父母官们)
	kind(`[^请查问询关映告举投诉]{0,24}(领导|领导们|网友|网友们|父母官|父母官们|朋友们|同志们|全体业主)`, "领导", "网友", "父母官", "朋友们", "同志们", "全体业主"),
	kind(`(事情|情况|具体情况|事情经过)(是这样的|如下)`, "如下", "这样的"),
	kind(`(县|市|区|镇|乡)?(信访局|信访办|人民政府|政府)`, "信访", "政府"),
	kind(`.*(代写|代笔).*`, "代写", "代笔"),
	kind(`.{1,20}(反映|投诉|举报)`, "反映", "投诉", "举报"),
	kind(`.*来访反映|.*来电反映|.*来信反映|现反映.*|.*想反映.*|特此反映.*|反映如下|反映|投诉|举报`, "反映", "投诉", "举报"),
	kind(`关于.{0,20}的(问题|情况|事)`, "关于"),
	kind(`据.{0,12}(反映|称|举报|投诉)`, "据"),
	// who writes and where they live
	kind(`(本人|我|我们|反映人|信访人|来电人|来信人|来访人|留言人|投诉人|举报人).{0,24}(村民|居民|业主|职工|员工|群众|户籍.*|住.*|家住.*|家在.*)`,
		"村民", "居民", "业主", "职工", "员工", "群众", "户籍", "住", "家在"),
	kind(`.*(村民|居民|群众|业主|职工)反映`, "反映"),
	particular(`.*(我叫|我名|本人叫|名叫|姓名|名字|曾用名|身份证|电话|手机|联系方式|微信|本人姓|本人是|本人系).*`,
		"我叫", "我名", "本人叫", "名叫", "姓名", "名字", "曾用名", "身份证", "电话", "手机", "联系方式", "微信", "本人姓", "本人是", "本人系"),
	particular(`(.*[^以因为说])?(我是|我们是).*`, "我是", "我们是"), // not 以我是出嫁女为由
	particular(`(反映人|信访人|来电人|来信人|来访人|投诉人|举报人|留言人|求助人|申请人|当事人|本律师|本所).*`,
		"反映人", "信访人", "来电人", "来信人", "来访人", "投诉人", "举报人", "留言人", "求助人", "申请人", "当事人", "本律师", "本所"),
	kind(`.*家住.*|我家在.*`, "家住", "我家在"),
	kind(`我今年.*岁.*`, "我今年"),
	// a clerk's note: its heading, its date, who came
	kind(`(来电|来访|来信|网上信访|网上|信访|电话|接访)(记录|登记|信息|受理)?`, "来电", "来访", "来信", "网上", "信访", "电话", "接访"),
	kind(`[0-9]{4}年[0-9]{1,2}月([0-9]{1,2}日)?(上午|下午|晚上|凌晨)?([0-9]{1,2}(时|点)([0-9]{1,2}分)?)?`, "年"),
	kind(`.{0,30}(来访|来电|来信)`, "来访", "来电", "来信"),
	particular(`(经办人|记录人|接待人|联系人|接访人).*`, "经办人", "记录人", "接待人", "联系人", "接访人"),
	particular(`本人|由我|我`, "本人", "我"), // what is left of 本人罗福田 once the name went (dropNames)
	// a writer's particulars, after their name: sex, ethnicity, birth, age, address, contacts
	particular(`(本人)?(男|女)性?`, "男", "女"),
	particular(`\p{Han}{1,3}族`, "族"),
	particular(`[0-9]{2,4}年([0-9]{1,2}月)?([0-9]{1,2}日)?(生|出生|生人)|(生于|出生于).*|.{0,6}(现年|今年)?[0-9一二三四五六七八九十百]{1,4}周?岁.{0,4}`,
		"生", "岁"),
	particular(`(现|家|户籍)?住(址|所)?[:：]?[^房宅院户建宿].*|现居住?.*|居住(在|于).*`, "住", "现居", "居住"),
	particular(`.*(邮箱|QQ|qq|微信号).*`, "邮箱", "QQ", "qq", "微信号"),
	opening(particular(`(系|现为|是|原).{0,20}(村|组|社区|小区|村民|居民|人|人员|员工|职工|工人|教师|农民|干部|老兵|军人|党员|司机|个体户|商户|店主|学生|家长|保安|厨师|骑手|快递员|外卖员)`), "系", "现为", "是", "原"),
	particular(`.{2,30}(村|组|社区|小区)(村民|居民|业主)`, "村民", "居民", "业主"),
	particular(`[0-9]{4}年(入伍|参军|退伍|复员|转业|退休|下岗)(回乡|回家|返乡)?`, "入伍", "参军", "退伍", "复员", "转业", "退休", "下岗"),
	particular(`(中共)?(预备)?党员|共青团员|群众|退伍军人|退役军人|复员军人|退休(职工|干部|教师)?`, "党员", "团员", "群众", "军人", "退休"),
	particular(`(我|本人|我家|其)?户口(在|于|所在地).*|(农业|非农业|城镇|农村)户口|在.{0,12}(任教|工作|务工|上班)[0-9一二三四五六七八九十]+年多?`,
		"户口", "任教", "工作", "务工", "上班"),
	particular(`.*(联系我|与我联系|联系本人).*`, "联系"),
	particular(`.{0,6}(已婚|未婚|离异|离婚|丧偶|分居).{0,6}|.{0,6}(残疾证|[一二三四1-4]级(肢体|视力|听力|言语|智力|精神)?残疾|(肢体|视力|听力|言语|智力|精神)(残疾)?[一二三四1-4]级|残疾(等级)?[一二三四1-4]级|残疾人证|肢残|视残|听残).{0,6}`,
		"婚", "离异", "丧偶", "分居", "残"),
	particular(`户籍(在|于|所在地)?.*|退休前.*|曾任.*|原任.*|.{0,8}叫\p{Han}{2,4}`, "户籍", "退休前", "曾任", "原任", "叫"),
	particular(`.{0,20}(省|市|县|区|镇|乡|村|社区|组|街道)人`, "省人", "市人", "县人", "区人", "镇人", "乡人", "村人", "社区人", "组人", "街道人"),
	// how long
	kind(`.{0,10}(拖到现在|拖了|已经过去|存在多年).*`, "拖到现在", "拖了", "已经过去", "存在多年"), // not 改造工程拖了两年还没完工
	kind(`.*以来`, "以来"),
	// whom they asked before
	kind(`.*(反映过|来访过|找过|咨询过|协商|推诿|热线|回电|等通知|来看过|人大代表|跑了|书面答复|答复内容|上面的政策|没人管了).*`,
		"反映过", "来访过", "找过", "咨询过", "协商", "推诿", "热线", "回电", "等通知", "来看过", "人大代表", "跑了", "书面答复", "答复内容", "上面的政策", "没人管了"),
	// closings
	kind(`.*(恳请|盼复|谢谢|做主|继续反映|合理合法|没办法|属实|尽快答复|给我们一个答复|望尽快|请领导|重视).*`,
		"恳请", "盼复", "谢谢", "做主", "继续反映", "合理合法", "没办法", "属实", "尽快答复", "给我们一个答复", "望尽快", "请领导", "重视"),
}

// boilerplateKind is a kind of boilerplate: an expression matched against a whole clause, and
// the words of which every clause it matches holds one. A particular is a writer's particulars
// (男, 1975年生, 住…村3组), which follow their name: a name-like clause before one is no gist.
type boilerplateKind struct {
	words      []string
	expr       *regexp.Regexp
	particular bool
	opens      bool // the words open every clause the expression matches (opening)
}

func kind(expr string, words ...string) boilerplateKind {
	return boilerplateKind{words: words, expr: regexp.MustCompile(`^(?:` + expr + `)$`)}
}

func particular(expr string, words ...string) boilerplateKind {
	k := kind(expr, words...)
	k.particular = true
	return k
}

// opening is kind k whose clauses open with one of words: common characters (是, 原), which
// would run the expression on most clauses if any clause holding one did.
func opening(k boilerplateKind, words ...string) boilerplateKind {
	k.words, k.opens = words, true
	return k
}

// boilerplateOf reports whether clause c is of a kind of boilerplate, and whether of a writer's
// particulars.
func boilerplateOf(c string) (is, particular bool) {
	var held [2]uint64 // the kinds one of whose words c holds, by index in boilerplate
	for it := boilerplateWords.IterOverlapping(c); ; {
		m := it.Next()
		if m == nil {
			break
		}
		for _, k := range wordKinds[m.Pattern()] {
			held[k/64] |= 1 << (k % 64)
		}
	}
	for i, k := range boilerplate {
		if k.opens {
			if !startsWith(c, k.words) {
				continue
			}
		} else if held[i/64]&(1<<(i%64)) == 0 {
			continue
		}
		if k.expr.MatchString(c) {
			return true, k.particular
		}
	}
	return false, false
}

// boilerplateWords finds the words of the kinds of boilerplate (but the opening ones) in a
// clause in one pass, overlapping ones included; wordKinds are the kinds each word is of.
var boilerplateWords, wordKinds = func() (ahocorasick.AhoCorasick, [][]int) {
	if len(boilerplate) > 128 {
		panic("title: more kinds of boilerplate than boilerplateOf's bits")
	}
	var words []string
	var kinds [][]int
	at := map[string]int{}
	for i, k := range boilerplate {
		if k.opens {
			continue
		}
		for _, w := range k.words {
			j, ok := at[w]
			if !ok {
				j = len(words)
				at[w] = j
				words = append(words, w)
				kinds = append(kinds, nil)
			}
			kinds[j] = append(kinds[j], i)
		}
	}
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch, DFA: true})
	return b.Build(words), kinds
}()

// email matches an email address, which the load does not mask: a clause holding one is left
// out as a masked one is.
var email = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)

// hidden reports whether clause c holds an identifier: a mask of one, or an email address.
func hidden(c string) bool {
	return hiddenMask(c) || strings.IndexByte(c, '@') >= 0 && email.MatchString(c)
}

// hiddenMask reports whether clause c holds the mask of an id number or phone number.
func hiddenMask(c string) bool {
	return strings.Contains(c, idnum.MarkIDNumber) || strings.Contains(c, idnum.MarkPhone)
}

// particularWords tell an aside in brackets that holds a writer's particulars (司马光明（男，
// 1980年3月生，身份证…）); relative matches a relative named before one (我儿子林浩（男，17岁…）),
// whose word stays.
var (
	relatives       = `父亲|母亲|爸爸|妈妈|儿子|女儿|丈夫|妻子|爱人|老伴|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|孙子|孙女`
	relative        = regexp.MustCompile(`^.*?((我|其|本人)?(` + relatives + `))`)
	relativeNamed   = regexp.MustCompile(`(` + relatives + `)\p{Han}{1,4}$`) // 我父亲陈茂林, before its aside
	particularWords = regexp.MustCompile(`男|女|[0-9一二三四五六七八九十]+岁|[0-9]年.{0,6}生|\p{Han}族|身份证|电话|手机|微信|QQ|qq|邮箱|〔|村人|住|文化|务农|退休|残疾|肢体|视力|听力|言语|智力|带头人|联系人`)
)

// aliasAside matches an aside that gives a person's other name: 真名, 本名, a nickname.
var aliasAside = regexp.MustCompile(`^[（(]\s*(真名|本名|原名|小名|乳名|网名|绰号|外号|曾用名)`)

// substanceLabel is the label of a form's field that holds what the writer asks (诉求：…): the
// gist starts after it, past the form's name, sex, age and address, when the content opens with
// it or is laid out as a form (formStart); in a letter's running text it is no label.
var substanceLabel = regexp.MustCompile(`(诉求|主要诉求|事由|反映事项|信访事项|请求事项|反映内容|反映问题|主要问题|问题描述|具体内容|内容|反映)\s*[：:]`)

// indexOpening is the index of the first opening bracket of s, （ or (; -1 when none.
func indexOpening(s string) int {
	i, j := strings.IndexByte(s, '('), strings.Index(s, "（")
	if i < 0 || j >= 0 && j < i {
		return j
	}
	return i
}

// dropWriterAsides returns s without its asides in brackets that hold a writer's particulars,
// with the name (up to 4 Chinese characters) before each: 刘某某（女，60岁，前进村人）反映… is
// 反映…; a relative's word stays (我儿子林浩（男，17岁）在… is 我儿子在…); other asides stay.
func dropWriterAsides(s string) string {
	var b strings.Builder
	for {
		i := indexOpening(s)
		if i < 0 {
			break
		}
		_, open := utf8.DecodeRuneInString(s[i:])
		j := strings.IndexAny(s[i+open:], "）)（(")
		if j < 0 || j > 180 || strings.ContainsRune("（(", rune(s[i+open+j])) && s[i+open+j] == '(' || strings.HasPrefix(s[i+open+j:], "（") {
			b.WriteString(s[:i+open]) // no closing bracket near, or another aside inside: kept
			s = s[i+open:]
			continue
		}
		_, closing := utf8.DecodeRuneInString(s[i+open+j:])
		end := i + open + j + closing
		if aliasAside.MatchString(s[i:end]) {
			b.WriteString(s[:i]) // 包工头陈二狗（真名陈志刚）: the aside; the name before it is dropNames'
			s = s[end:]
			continue
		}
		if !particularWords.MatchString(s[i:end]) {
			b.WriteString(s[:end])
			s = s[end:]
			continue
		}
		name := i // the name before the aside: up to 4 Chinese characters, not a group (8名工人)
		for k := 0; k < 4 && name > 0; k++ {
			r, size := utf8.DecodeLastRuneInString(s[:name])
			if !unicode.Is(unicode.Han, r) || k == 0 && strings.ContainsRune("人们员者方民", r) {
				break
			}
			name -= size
		}
		if m := relativeNamed.FindStringSubmatchIndex(s[:i]); m != nil && m[3] >= name {
			b.WriteString(s[:m[3]]) // 我父亲陈茂林（78岁）于… is 我父亲于…
		} else {
			b.WriteString(s[:name])
			if m := relative.FindStringSubmatch(s[name:i]); m != nil {
				b.WriteString(m[1])
			}
		}
		s = s[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

// maxGistSource is how much of a text, in bytes, a gist is looked for in (about 400 Chinese
// characters): past the greetings and the writer's particulars, well within its first clauses.
const maxGistSource = 1200

// recordHeader matches a clerk's heading before a record: 【来电记录】.
var recordHeader = regexp.MustCompile(`^\s*【[^】]{0,12}】`)

// accountLike matches a value that can only be an account: a WeChat id, a QQ number
// (wxid_lh2024): a masked clause, though the load masks none of them.
var accountLike = regexp.MustCompile(`^[A-Za-z0-9_.\-]*[0-9][A-Za-z0-9_.\-]*$`)

// placeEnd matches a word that ends as a place does (东城街道向阳社区, 建设路88号).
var placeEnd = regexp.MustCompile(`(省|市|县|区|镇|乡|村|组|社区|街道|小区|路|号|室)$`)

// placeValue matches what is only a place (三里铺镇曹家湾村三组): a form's value after its label.
var placeValue = regexp.MustCompile(`^\p{Han}{0,8}(省|市|县|区|镇|乡|街道)?\p{Han}{0,8}(村|社区|小区)\p{Han}{0,4}(组|号|室)?$`)

// formStart matches content laid out as a form about its writer (姓名：…).
var formStart = regexp.MustCompile(`^(姓名|反映人|来信人|来访人|信访人|投诉人|举报人|当事人)\s*[：:]`)

// writerPrefix matches a clause's opening that names who writes (反映人张三称…, 来信人王五反映…),
// up to the verb saying what they report; writerRoles are the words it opens with.
var (
	writerRoles  = []string{"反映人", "信访人", "来电人", "来信人", "来访人", "投诉人", "举报人", "留言人", "申请人", "当事人"}
	writerPrefix = regexp.MustCompile(`^(` + strings.Join(writerRoles, "|") + `)[:：]?\p{Han}{0,4}?(称|说|反映|投诉|举报)[:：]?`)
)

// formLabels are the labels of a form's fields about the writer: a clause that is one, or ends
// with one (李大山 性别, the value before the next label), is the writer's particulars.
var formLabels = []string{"姓名", "性别", "年龄", "民族", "住址", "地址", "家庭住址", "现住址", "文化程度", "文化", "职业",
	"工作单位", "联系电话", "电话", "手机", "身份证号", "身份证号码", "身份证", "出生日期", "出生年月", "籍贯", "政治面貌", "户籍"}

// particularTokens reports whether clause c lists a writer's particulars: it is or ends with a
// form's label (formLabels), or holds a sex or an ethnicity as a word of its own between spaces
// (孙二娘 女 汉族 初中文化 务农).
func particularTokens(c string) bool {
	fields := strings.Fields(c)
	if len(fields) == 0 {
		return false
	}
	if slices.Contains(formLabels, fields[len(fields)-1]) {
		return true
	}
	if len(fields) == 1 {
		return false
	}
	for _, f := range fields {
		if f == "男" || f == "女" || utf8.RuneCountInString(f) <= 4 && strings.HasSuffix(f, "族") && f != "家族" {
			return true
		}
	}
	return false
}

// nameLike reports whether the clauses kept so far may be a writer's name: one clause of two to
// four Chinese characters (王小明), which a clause of their particulars follows.
func nameLike(kept []string) bool {
	if len(kept) != 1 {
		return false
	}
	name := kept[0]
	if m := relative.FindStringSubmatch(name); m != nil && strings.HasPrefix(name, m[1]) {
		name = name[len(m[1]):] // 我父亲张某某
	}
	for _, p := range []string{"本人", "我叫", "我是"} {
		name = strings.TrimPrefix(name, p) // 本人刘建国
	}
	n := utf8.RuneCountInString(name)
	return n >= 2 && n <= 4 && strings.IndexFunc(name, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) < 0
}

// namesAndCount matches writers named with how many they are: 张三、李四等5人.
var namesAndCount = regexp.MustCompile(`^\p{Han}{2,4}([、，,]\p{Han}{2,4})+等[0-9一二三四五六七八九十几多]*[人名]`)

// reportVerbs are the verbs by which a writer or caller is said to report what follows.
var reportVerbs = []string{"反映", "投诉", "举报"}

// afterReport is clause c without its opening "who reports" (张三反映其…, 来电人反映…, 李四〔电话〕投诉…):
// the words after the first report verb, when the words before it are few (at most 8
// characters besides masks and spaces), name no count (8名工人反映… keeps its workers) nor frame
// what the writer will say (想反映一下…), and what follows is what was reported, not 的问题, 过,
// 如下, 一个情况 or 我家的情况; c itself otherwise.
func afterReport(c string) string {
	at, verb := -1, ""
	for _, v := range reportVerbs {
		if i := strings.Index(c, v); i >= 0 && (at < 0 || i < at) {
			at, verb = i, v
		}
	}
	if at < 0 {
		return c
	}
	who := strings.Join(strings.Fields(strings.NewReplacer(idnum.MarkIDNumber, "", idnum.MarkPhone, "").Replace(c[:at])), "")
	writer := utf8.RuneCountInString(who) <= 40 && (particularWords.MatchString(who) || namesAndCount.MatchString(who))
	if !writer && (utf8.RuneCountInString(who) > 8 || strings.ContainsAny(who, "0123456789０１２３４５６７８９名想现特要所您你") ||
		strings.IndexFunc(who, unicode.IsPunct) >= 0) {
		// a count, the writer framing what they will say (想反映一下…), or a reply (您所反映的…);
		// but a writer's particulars (孙二娘 女 汉族 务农 反映…, 现年45岁的王桂兰反映…) or names
		// (张三、李四等5人反映…) are who writes
		return c
	}
	rest := strings.TrimLeftFunc(c[at+len(verb):], func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":：,，、", r) })
	for _, p := range []string{"的是", "其", "称", "说", "一下"} {
		rest = strings.TrimPrefix(rest, p) // 我反映的是…
	}
	if rest == "" || startsWith(rest, []string{"的", "过", "了", "如下", "一个", "个", "情况", "问题", "人", "者", "件", "信", "书", "和", "与", "及"}) ||
		utf8.RuneCountInString(rest) <= 8 && (strings.HasSuffix(rest, "情况") || strings.HasSuffix(rest, "问题")) {
		return c // not what was reported, or only that something was (…的情况)
	}
	return rest
}
