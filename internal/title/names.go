package title

// Names written in running text after the word for who the person is: 我父亲刘德华在工地摔伤,
// 村支书王大明私自出租集体林地, 这次由我石桂英代表全村…. A gist keeps the word and leaves the name
// out (我父亲在工地摔伤, 村支书私自出租集体林地). Names cannot be told from other words in general;
// these are the places where a name is the likely reading. The words that are not names
// (notName, nameStop, placeChars) come from reading the 288 places where the real message
// board's texts have one (2026-12-07): 25 of its gists showed a name before.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// personWords are words after which a person's name is written: a relative, a neighbour or
// fellow, an office or trade, or the writer themselves (我, 本人); personWord finds them,
// leftmost and longest first.
var personWords = strings.Fields(`
	父亲 母亲 爸爸 妈妈 儿子 女儿 丈夫 妻子 爱人 老伴 哥哥 姐姐 弟弟 妹妹 爷爷 奶奶 外公 外婆 孙子 孙女
	公公 婆婆 岳父 岳母 儿媳 女婿 侄子 侄女 外甥 舅舅 叔叔 伯伯 姑姑 姨妈 嫂子 前夫 前妻 亲戚
	邻居 同事 同学 朋友 老乡 工友 房东 租户 住户 户主 房主 业主 村民 居民 同村人 同村的 网友 对方 肇事者 借款人 承包人
	工作人员 经办人 记录人 接待人 联系人 负责人
	村支书 党支部书记 支部书记 书记 支书 村主任 主任 村长 组长 队长 会计 出纳 文书 站长 所长 局长 科长 股长 镇长 乡长
	县长 市长 校长 院长 厂长 经理 老板 老总 法人 包工头 工头 班主任 老师 教师 医生 大夫 护士 律师 法官 警官 民警
	网格员 干部 打手
	其父亲 其母亲 其父 其母 家父 家母 其夫 其妻 其子 其女
	本人 由我 我`)

var personWord = func() ahocorasick.AhoCorasick {
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
	return b.Build(personWords)
}()

// surnames are the hundred most common single-character surnames, but those that are mostly
// another word in running text (于, 向, 曾, 万, 常, 时, 全, 文, 安, 方 as in 我方, 任 as in
// 书记任组长); compound are the compound ones.
var (
	surnames = map[rune]bool{}
	compound = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "长孙", "宇文", "端木", "公孙"}
)

func init() {
	for _, r := range "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤" {
		surnames[r] = true
	}
}

// notName are a surname and the character after it that make a word, not a name (高度, 马上,
// 张贴): after a person word they are what the person did or had (书记高度重视).
var notName = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`高度 高兴 高速 高考 高中 高价 高额 高于 高压 高空 高龄 高温 高层 高楼 高低 高档 高架
		马上 马路 马桶 张贴 张开 张口 周边 周围 周末 周转 周期 周岁 周年 周日 黄色 黄金 黄土 林地 林业 林木 林场
		金额 金钱 金属 金融 石头 石材 石料 石子 石灰 田地 田间 田里 田埂 田亩 田土 江边 江河 白天 白白 白色 白菜
		钱款 钱财 钱包 龙头 龙虾 史上 许多 许可 许久 许诺 陆续 陆地 严重 严格 严肃 严禁 严厉 程序 程度 余额 余款
		范围 毛病 武装 夏天 夏季 付款 付出 付费 付给 付清 付息 钟头 叶子 任务 任职 任何 任意 任期 孙子 孙女 谢谢
		杜绝 雷雨 贺电 顾及 顾客 顾问 莫名 莫非 罗列 郑重 董事 黎明 胡乱 杨树 徐徐 陈旧 陈述 陈列 李子
		何时 何处 何种 何况 何必 何在 何故 何为 何人 何地 何事 何等 何以 何谓 雷电 高高 高收 付钱 严查 江苏 江西 江门 黄河 武汉 龙山 金山 石桥 马鞍 高新`) {
		notName[w] = true
	}
}

// numerals end a name of two characters: a count or a span follows it.
const numerals = "一二三四五六七八九十两几百千万"

// addressed are the words after a surname that address a person by it (唐老师, 王医生).
var addressed = []string{"老师", "医生", "先生", "女士", "同志", "师傅", "大姐", "大哥", "阿姨", "大爷", "书记", "主任", "局长", "镇长", "乡长", "县长", "村长", "组长", "经理", "老板", "总"}

// dottedAt matches a name with a middle dot that s opens with (see dottedName).
var dottedAt = regexp.MustCompile(`^\p{Han}{2,4}[·・]\p{Han}{2,4}`)

// trailingVerb is how many bytes at the end of name are the word after it, not the name: a
// nameStop or the 反 of 反映 (买买提反映 is 买买提 and 反映).
func trailingVerb(name string) int {
	r, size := utf8.DecodeLastRuneInString(name)
	if strings.ContainsRune(nameStop, r) || r == '反' || r == '称' {
		return size
	}
	return 0
}

// listedName is the length in bytes of a name in a list, one that needs no surname (巴特尔): two
// to four Chinese characters followed by another 、, by 等, or by a count of households or people
// (三户, 2人); 0 when s opens with none.
func listedName(s string) int {
	n, end := 0, 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) || n == 4 || strings.ContainsRune("等一二三四五六七八九十两几", r) {
			break
		}
		n++
		end += utf8.RuneLen(r)
	}
	rest := s[end:]
	if n < 2 || !(strings.HasPrefix(rest, "、") || strings.HasPrefix(rest, "等") || listCount.MatchString(rest)) {
		return 0
	}
	return end
}

// listCount matches a count of households or people after a list of names.
var listCount = regexp.MustCompile(`^[0-9一二三四五六七八九十两几]+(户|人|家|名)`)

// dropOpeningName returns clause c without the name it opens with when a verb follows the name
// (openingVerbs): 王芳说她家低保… is 她家低保…; 潘金花借给同村人… is 借给同村人….
func dropOpeningName(c string) string {
	n := nameAt(c)
	if n == 0 {
		return c
	}
	if !startsWith(c[n:], openingVerbs) {
		// 林涛借了我…: a name of two characters, the verb taken for its third
		_, last := utf8.DecodeLastRuneInString(c[:n])
		if utf8.RuneCountInString(c[:n]) != 3 || !startsWith(c[n-last:], openingVerbs) {
			return c
		}
		n -= last
	}
	if rest, ok := strings.CutPrefix(c[n:], "说"); ok && rest != "" {
		return rest // what they said
	}
	return c[n:]
}

// openingVerbs are words that, after a name opening a clause, say what the person did.
var openingVerbs = []string{"说", "称", "借", "向", "当", "欠", "打", "骂", "占", "拿", "收", "反映", "投诉", "举报", "要求", "在", "于", "因", "被", "把", "将", "与", "和", "等",
	"是", "已", "曾", "今年", "现在", "一直", "多次", "拒", "不", "没", "私自", "强行", "擅自", "长期", "从"}

// nameStop are characters that end a name of two characters (赵强在外打工: 赵强, not 赵强在): words
// that mostly follow a name in running text.
const nameStop = "实在被的于因说和与等是已曾去到把将对向从私挪反要不没未也都还又就才今现以为给让代家所多每早一咨带办当移汇约介速提指骗称表拒贪占收打欠找叫告负出回进跟及讲问答签扣拖违请"

// dropNames returns s without the names it writes after a person word (personWord), the word
// kept: a surname (surnames, compound) and one or two more Chinese characters, two unless the
// second is a nameStop, none when the surname and the next character are a word (notName) or
// the name is one left anonymous (刘某某).
func dropNames(s string) string {
	var b strings.Builder
	at := 0 // s[:at] is written to b, or holds no name
	for _, m := range personWord.FindAll(s) {
		if m.Start() < at {
			continue // within a name just left out
		}
		if n := nameAt(s[m.End():]); n > 0 {
			b.WriteString(s[at:m.End()])
			at = m.End() + n
			for { // 同村的马国庆、巴特尔三户人家: the names listed after it
				rest, ok := strings.CutPrefix(s[at:], "、")
				if !ok {
					break
				}
				n := nameAt(rest)
				if n == 0 {
					n = listedName(rest)
				}
				if n == 0 {
					break
				}
				at += len("、") + n
			}
		}
	}
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}

// dropDottedNames returns s without the names written with a middle dot that open a clause or
// follow a label (dottedName): 申请人：阿依古丽·买买提（女）反映… is 申请人：（女）反映….
func dropDottedNames(s string) string {
	if !strings.ContainsAny(s, "·・") {
		return s
	}
	return dottedName.ReplaceAllStringFunc(s, func(m string) string {
		r, size := utf8.DecodeRuneInString(m)
		lead := ""
		if !unicode.Is(unicode.Han, r) {
			lead, m = m[:size], m[size:]
		}
		return lead + m[len(m)-trailingVerb(m):]
	})
}

// dottedName matches a name written with a middle dot (· or ・, not a bullet: 豫商•五牛城 is a
// brand) that opens a clause or follows a label (申请人：阿依古丽·买买提), with the character
// before it: an ethnic minority's name (阿依古丽·买买提).
var dottedName = regexp.MustCompile(`(^|[^\p{Han}])\p{Han}{2,4}[·・]\p{Han}{2,4}`)

// nameAt is the length in bytes of the name s opens with (see dropNames), 0 when it opens with
// none.
func nameAt(s string) int {
	if loc := dottedAt.FindStringIndex(s); loc != nil {
		return loc[1] - trailingVerb(s[:loc[1]]) // 丈夫艾力·吐尔逊2024年…
	}
	n := 0 // bytes of the surname
	for _, c := range compound {
		if strings.HasPrefix(s, c) {
			n = len(c)
			break
		}
	}
	if n == 0 {
		r, size := utf8.DecodeRuneInString(s)
		if !surnames[r] {
			return 0
		}
		n = size
	}
	first, size1 := utf8.DecodeRuneInString(s[n:])
	if !unicode.Is(unicode.Han, first) || first == '某' || strings.ContainsRune(nameStop, first) {
		return 0
	}
	if notName[s[:n+size1]] {
		return 0
	}
	if startsWith(s[n:], personWords) || startsWith(s[n:], addressed) {
		return n // 班主任唐老师, 唐老师 alike: the surname
	}
	end := n + size1
	if second, size2 := utf8.DecodeRuneInString(s[end:]); unicode.Is(unicode.Han, second) && !strings.ContainsRune(nameStop, second) &&
		!strings.ContainsRune(numerals, second) { // 儿子李伟三年没有…: 李伟

		end += size2
	}
	if strings.ContainsAny(s[n:end], placeChars) || startsWith(s[end:], placeWords) {
		return 0 // A7县长龙街道 is A7县 and 长龙街道; 我龙潭镇…: a place
	}
	return end
}

// placeChars are characters of a place's or organisation's name, not of a person's; placeWords
// end a place's name.
const placeChars = "村镇乡街区县市省州路组社队厂局所站院校司"

var placeWords = []string{"村", "镇", "乡", "街道", "社区", "区", "县", "市", "路", "组", "大道", "小区"}

// dropAccountAndName returns s without the account it opens with (a WeChat id, accountLike, with
// a letter and a digit) and the name after it: wxid_zw88 张伟 小区门口… is 小区门口….
func dropAccountAndName(s string) string {
	first, rest, ok := strings.Cut(strings.TrimLeft(s, " "), " ")
	if !ok || len(first) < 5 || !accountLike.MatchString(first) || strings.IndexFunc(first, unicode.IsLetter) < 0 {
		return s
	}
	rest = strings.TrimLeft(rest, " ")
	if name, after, ok := strings.Cut(rest, " "); ok && nameAt(name) == len(name) && nameAt(name) > 0 {
		rest = after
	}
	return rest
}
