package places

import (
	"slices"
	"sort"
	"strings"
)

// The lexicon: the suffixes that end a place's name, the stop words that end the walk to its
// left, the generic names that are no place, and the markers of administrative levels.

// suffixes maps each suffix to its kind. The longest suffix ending at a position is used.
var suffixes = map[Kind][]string{
	KindEstate: {"小区", "花园", "家园", "新城", "苑", "公寓", "山庄", "新村", "华庭", "嘉园", "雅园", "名园",
		"花苑", "豪庭", "庄园", "公馆", "宿舍", "宿舍区", "安置区", "广场小区", "国际城", "花城", "世家", "水岸", "府邸"},
	KindVillage:   {"村", "组", "村民小组"},
	KindCommunity: {"社区"},
	KindStreet:    {"街道"},
	KindTownship:  {"镇", "乡"},
	KindRoad:      {"路", "街", "大道", "巷", "大街", "步行街"},
	KindSchool:    {"学校", "小学", "中学", "学院", "大学", "幼儿园", "职校", "技校", "附中", "附小", "中专"},
	KindHospital:  {"医院", "卫生院", "妇幼保健院"},
	KindCompany:   {"公司", "有限公司", "有限责任公司", "股份有限公司", "分公司", "厂", "集团", "银行", "支行"},
	KindMarket:    {"市场", "商场", "广场", "超市", "商城"},
	KindProject:   {"项目", "工程"},
}

// notAfter lists, for a suffix, the characters that, written right after it, show it is not
// a suffix there but the start of another word (村民, 路灯, 大学生 …).
var notAfter = map[string]string{
	"村":  "民庄级落",
	"组":  "织成建长合员件图委",
	"路":  "桥线费况径由人过灯子演数条段",
	"街":  "道坊头",
	"乡":  "镇村亲下音",
	"镇":  "压定静",
	"厂":  "家长商",
	"小学": "生",
	"中学": "生",
	"大学": "生",
	"学院": "生",
	"市场": "化价监经部主",
	"工程": "师车款量兵",
	"项目": "部经",
	"广场": "舞",
	"宿舍": "楼",
}

// commonWords are words made of a suffix and the character before it that name no place:
// the candidate is dropped when the character before a one-character suffix makes one of
// them (农村 道路 城镇 …).
var commonWords = strings.Fields(`
农村 乡村 山村 全村 本村 我村 该村 此村 邻村 外村 进村 回村 入村 出村 各村 每村 整村 新村 他村 村村
道路 马路 公路 线路 出路 走路 一路 沿路 网路 电路 水路 铁路 思路 进路 套路 修路 筑路 上路 下路 让路
带路 半路 前路 后路 退路 问路 找路 开路 堵路 挡路 占路 小路 大路 老路 新路 此路 该路 这路 那路 两路
三路 四路 岔路 近路 远路 弯路 土路 各路 过路 断路 拦路 此路 支路 干路 环路
城镇 乡镇 集镇 全镇 本镇 该镇 我镇 进镇 小镇 各镇 此镇 村镇 市镇
城乡 家乡 老乡 下乡 回乡 返乡 故乡 异乡 全乡 本乡 该乡 我乡 同乡 外乡 各乡 此乡 乡乡
上街 逛街 临街 沿街 满街 当街 整街 这街 那街 过街 出街 老街 小街 一街 背街 本街 该街
小组 班组 专家组 工作组 调查组 督查组 巡视组 检查组 联合组 机组 编组 分组 一组 这组 该组 本组 各组 全组 机组 改组 重组 成组 剧组
工厂 本厂 该厂 全厂 建厂 进厂 出厂 回厂 原厂 药厂 各厂 此厂 这厂 那厂 办厂 设厂 我厂 老厂 小厂 大厂 新厂 酒厂 砖厂 厂厂
小巷 街巷 深巷 大巷
`)

// stopWords end the walk to the left of a suffix. They are function words, pronouns,
// determiners, verbs of petitioning, moving and living, time words and role nouns: what is
// written before a name in a message, never inside one.
var stopWords = strings.Fields(`
的 了 是 在 本 把 被 从 到 对 与 及 于 给 让 但 而 也 就 还 又 并 我 你 他 她 它 该 此 请 已 很 说 称 叫 往 若 即 要 想
使 令 帮 做 搞 吗 呢 吧 啊 呀 哦 嘛 这 那 其 每 等 或 跟 年 们 些 着 凡 虽 按 据 么 啥 哪 谁
内 外 上 下 中 间 处 边 旁 之 以 所 着 过 个 们 些 点 多 少 几 次 给 向 由 经 比 按 据 如 因 若 虽 连 凡
我们 你们 他们 她们 咱们 大家 关于 反映 反应 投诉 举报 住在 位于 居住 入住 购买 买了 咨询 请问 希望 要求
请求 建议 恳请 恳求 强烈 附近 旁边 对面 门口 周边 地处 处于 属于 就是 还是 以及 或者 现在 目前 今年 去年
明年 已经 一直 没有 不是 这个 那个 这里 那里 所在 作为 包括 其中 经过 通过 沿着 前往 来到 回到 进入 离开
距离 靠近 紧邻 毗邻 临近 隔壁 业主 居民 村民 市民 学生 家长 职工 员工 租户 小孩 孩子 老人 群众 家属 领导
政府 部门 相关 有关 关注 解决 处理 调查 查处 整治 整改 治理 监管 管理 负责 承建 开发 修建 建设 建成 新建
改造 拆迁 征收 征地 搬迁 安置 施工 开工 竣工 交房 收房 出租 承包 转让 经营 开设 开办 设立 成立 注册 办理
就读 读书 上学 就业 工作 上班 毕业 报名 入学 招生 收费 乱收费 缴纳 缴费 支付 拖欠 欠薪 维权 遇到 发现
发生 出现 存在 看到 听说 得知 知道 认为 觉得 表示 感到 属于 成为 变成 导致 造成 影响 严重 非常 特别 十分
一些 有些 这些 那些 这样 那样 如此 各位 尊敬 您好 你好 市长 书记 局长 主任 同志 先生 女士 网友 本人
`)

// softStops are stop words that also begin common names (和平路, 向阳村, 同心社区 …): they end the
// walk only once the name already has two characters.
var softStops = strings.Fields(`管理 建设 开发 修建 施工 改造 拆迁 安置 经营 服务 工作 治理 整治 监管 承建 征收 搬迁 新建 建成
出租 承包 转让 开设 开办 设立 成立 注册 办理 教育 发展 投资 相关 有关 领导 职工 学生 居民 村民 市民 政府 就业 
和 向 同 全 为 会 来 有 无 经 由 各 将 住 买 去 至 近 出 进 上 下 中 后 前 里 内 外 过 比 如 因 之 以 所 个 点 多 少 几 连 时 都 太 未 月 日 号 能 应 需 间 处 边 旁 次 不 没`)

// generic names: a candidate whose name without its suffix is one of these is dropped.
var genericLeft = strings.Fields(`
我们 你们 他们 这个 那个 这家 那家 这所 那所 这条 那条 一个 一家 一所 一条 两个 几个 多个 各个 每个
其他 其它 周边 附近 整个 所有 全部 老旧 新建 农村 城市 城镇 乡镇 本地 当地 外地 私立 公立 民办 公办
物业 开发 房产 房地产 建筑 施工 劳务 保安 保洁 装修 中介 家政 培训 教育 医疗 科技 网络 电力 自来水 燃气
供水 供电 燃气 担保 贷款 保险 快递 物流 出租车 公交 旅游 投资 农业 金融 小额 私人 个体 国有 民营
商品房 安置房 廉租房 公租房 经适房 保障房 高档 大型 小型 重点 示范 省级 市级 区级 县级 国家级 市属 区属
这里 那里 我家 你家 他家 楼下 楼上 对面 旁边 隔壁 门口 我所 学区 名校 正规 知名 有关 相关 上述 以上 下列
`)

// titles are words after which a person's name ends: a name is cut after the last of them
// (王书记丽发新城小区 → 丽发新城小区) and dropped when nothing remains (李经理公司).
var titles = strings.Fields(`
书记 经理 总经理 董事长 主任 老板 村长 镇长 乡长 局长 组长 老师 师傅 先生 女士 同志 支书 医生 校长 院长
区长 市长 县长 厂长 队长 所长 科长 处长 部长 主席 会长 律师 记者 警官 老总 某某 某
`)

// placeholders are characters that mask a name in anonymised text; a name made only of them
// (XX小区, ***公司) names nothing.
const placeholders = "XxＸ*＊×○〇□某"

const (
	fName      = 1 << iota // may be part of a name
	fSuffixEnd             // ends a suffix
	fStopEnd               // ends a stop word
	fNumeral               // a digit or Chinese numeral
)

type lexicon struct {
	flags   [0x10000]uint8
	suffix  map[rune][]suffixEntry // by last rune, longest first
	stop    map[rune][]stopEntry   // by last rune, longest first
	common  map[string]bool
	generic map[string]bool
	titles  [][]rune
	notAft  map[string]string
	sufWord map[string]Kind
}

type stopEntry struct {
	rs   []rune
	soft bool
}

type suffixEntry struct {
	rs   []rune
	kind Kind
}

var lex = buildLexicon()

func idx(r rune) int {
	if r < 0 || r >= 0x10000 {
		return 0
	}
	return int(r)
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF
}

func buildLexicon() *lexicon {
	l := &lexicon{suffix: map[rune][]suffixEntry{}, stop: map[rune][]stopEntry{}, common: map[string]bool{},
		generic: map[string]bool{}, notAft: notAfter, sufWord: map[string]Kind{}}
	for r := rune(0); r < 0x10000; r++ {
		if isHan(r) || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '#' || r == '*' || r == '×' || r == '○' {
			l.flags[r] |= fName
		}
		if r >= '0' && r <= '9' || strings.ContainsRune("一二三四五六七八九十百零〇两", r) {
			l.flags[r] |= fNumeral
		}
	}
	for k, ss := range suffixes {
		for _, s := range ss {
			rs := []rune(s)
			last := rs[len(rs)-1]
			l.suffix[last] = append(l.suffix[last], suffixEntry{rs: rs, kind: k})
			l.flags[idx(last)] |= fSuffixEnd
			l.sufWord[s] = k
		}
	}
	for _, v := range l.suffix {
		sort.SliceStable(v, func(a, b int) bool { return len(v[a].rs) > len(v[b].rs) })
	}
	soft := map[string]bool{}
	for _, s := range softStops {
		soft[s] = true
	}
	for _, s := range append(slices.Clone(softStops), stopWords...) {
		if l.seenStop(s) {
			continue
		}
		rs := []rune(s)
		last := rs[len(rs)-1]
		l.stop[last] = append(l.stop[last], stopEntry{rs: rs, soft: soft[s]})
		l.flags[idx(last)] |= fStopEnd
	}
	for _, v := range l.stop {
		sort.SliceStable(v, func(a, b int) bool { return len(v[a].rs) > len(v[b].rs) })
	}
	for _, w := range commonWords {
		l.common[w] = true
	}
	for _, w := range genericLeft {
		l.generic[w] = true
	}
	for _, w := range titles {
		l.titles = append(l.titles, []rune(w))
	}
	sort.SliceStable(l.titles, func(a, b int) bool { return len(l.titles[a]) > len(l.titles[b]) })
	return l
}

// suffixAt returns the length of the longest suffix ending at rune j of rs and its kind; 0 when
// none ends there (or the one that does is followed by a character that shows it is not one).
func (l *lexicon) suffixAt(rs []rune, j int) (int, Kind) {
	for _, s := range l.suffix[rs[j-1]] {
		n := len(s.rs)
		if n > j || !equal(rs[j-n:j], s.rs) {
			continue
		}
		if j < len(rs) {
			if na, ok := l.notAft[string(s.rs)]; ok && strings.ContainsRune(na, rs[j]) {
				return 0, ""
			}
		}
		// a one-character suffix written twice (村村民, 路路灯) is the second's, not a suffix
		if n == 1 && j >= 2 && rs[j-2] == rs[j-1] {
			return 0, ""
		}
		return n, s.kind
	}
	return 0, ""
}

// stopAt returns the length of the longest stop word ending at rune i of rs (occupying
// [i-n, i)) and whether it is soft; 0 when none.
func (l *lexicon) stopAt(rs []rune, i int) (int, bool) {
	for _, s := range l.stop[rs[i-1]] {
		n := len(s.rs)
		if n > i || !equal(rs[i-n:i], s.rs) {
			continue
		}
		return n, s.soft
	}
	return 0, false
}

func (l *lexicon) seenStop(w string) bool {
	rs := []rune(w)
	for _, s := range l.stop[rs[len(rs)-1]] {
		if equal(s.rs, rs) {
			return true
		}
	}
	return false
}

func equal(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
