package topics

import (
	"slices"
	"strings"
)

// Person names are never reported as topics: a phrase that is or holds a person's name (王某,
// 张某某老师, 李书记, 物业经理刘某) is dropped, and a phrase is not grown into one. A name is told
// by its form, as complaints write it: a common surname followed by 某 or by a title or form of
// address. A given name written out in full (张伟) has no such mark and is not recognised; 某
// itself marks an anonymised name or place in nearly every text, so no n-gram holding it is a
// topic.

// surnames are common one-character surnames, leaving out those that are everyday words before a
// title (路, 时, 文, 安, 成, 和, 明, 全, 车, 司, 单, 常, 方, 关, 管, 应, 连, 解, 师, 商, 项, 华, 古,
// 农, 宫, 党, 向, 区, 班, 景): 道路长期 is not a road director, 全部长期 not a minister.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程" +
	"苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万" +
	"钱严覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯" +
	"纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲房滕屈饶牟艾尤阳穆卓吉缪简麦褚娄窦戚岑费卜" +
	"冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝于"

// isSurname[r-0x4E00] tells whether CJK character r is one of surnames; titleRunes are titles
// as runes, longest first.
var (
	isSurname = func() (t [0xA000 - 0x4E00]bool) {
		for _, r := range surnames {
			t[r-0x4E00] = true
		}
		return t
	}()
	titleRunes = func() [][]rune {
		out := make([][]rune, len(titles))
		for i, t := range titles {
			out[i] = []rune(t)
		}
		slices.SortStableFunc(out, func(a, b []rune) int { return len(b) - len(a) })
		return out
	}()
)

// surnameStart tells whether r begins a compound surname.
func surnameStart(r rune) bool {
	switch r {
	case '欧', '司', '诸', '上', '东', '皇', '尉', '公', '慕', '令', '夏':
		return true
	}
	return false
}

func surname(r rune) bool { return r >= 0x4E00 && r < 0xA000 && isSurname[r-0x4E00] }

// compoundSurnames are two-character surnames.
var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒"}

// titles follow a surname to name a person: 王书记, 李经理, 张老师.
var titles = []string{
	"某", "先生", "女士", "小姐", "师傅", "老师", "书记", "经理", "主任", "局长", "处长", "科长", "所长",
	"站长", "院长", "校长", "镇长", "乡长", "村长", "县长", "市长", "区长", "厂长", "队长", "组长", "部长",
	"总", "律师", "医生", "大夫", "警官", "老板", "会计", "同志", "支书", "主席", "委员", "阿姨", "大爷", "老板娘",
}

// HasPersonName reports whether s holds a person's name in a form complaints write it (a
// surname followed by 某 or a title), or 某 at all.
func HasPersonName(s string) bool {
	if strings.ContainsRune(s, '某') {
		return true
	}
	rs := []rune(s)
	for i, r := range rs {
		if !surname(r) {
			continue
		}
		if titleAt(rs, i+1) {
			return true
		}
	}
	for _, c := range compoundSurnames {
		for rest := s; ; {
			j := strings.Index(rest, c)
			if j < 0 {
				break
			}
			rest = rest[j+len(c):]
			if titleAt([]rune(rest), 0) {
				return true
			}
		}
	}
	return false
}

// titleAt reports whether a title starts at rs[i]; a title cut short by the end of rs counts
// (an n-gram 王书 is a fragment of 王书记).
func titleAt(rs []rune, i int) bool {
	if i >= len(rs) {
		return false
	}
	rest := string(rs[i:])
	for _, t := range titles {
		if strings.HasPrefix(rest, t) || (len(rest) < len(t) && strings.HasPrefix(t, rest)) {
			return true
		}
	}
	return false
}

// titleLen is the length in runes of the longest title written whole at rs[i]; 0 for none.
func titleLen(rs []rune, i int) int {
	for _, t := range titleRunes {
		if i+len(t) <= len(rs) && slices.Equal(rs[i:i+len(t)], t) {
			return len(t)
		}
	}
	return 0
}

// maskNames blanks (0) the names in rs, Han runes as hanRunes gives them: each surname with the
// title or 某 after it, and every other 某, so that no n-gram and no phrase holds a name or
// part of one.
func maskNames(rs []rune) {
	for i := 0; i < len(rs); {
		n := 0
		if i+1 < len(rs) && surnameStart(rs[i]) && slices.Contains(compoundSurnames, string(rs[i:i+2])) {
			if t := titleLen(rs, i+2); t > 0 {
				n = 2 + t
			}
		}
		if n == 0 && surname(rs[i]) {
			if t := titleLen(rs, i+1); t > 0 {
				n = 1 + t
			}
		}
		if n == 0 && rs[i] == '某' {
			n = 1
		}
		if n == 0 {
			i++
			continue
		}
		for end := i + n; i < end; i++ {
			rs[i] = 0
		}
	}
}
