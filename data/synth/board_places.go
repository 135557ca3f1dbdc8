package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The message board's geography: a city (A市) of nine districts (A1区 … A9区), each with its
// streets and towns, and named places of many kinds whose names are made up from syllable pools:
// no real company or place name is written on purpose.

type placeKind uint8

const (
	kEstate placeKind = iota
	kVillage
	kGroup
	kCommunity
	kRoad
	kSchool
	kHospital
	kCompany
	kMarket
	kProject
	kSquare
	nPlaceKinds
)

// boardPlace is one named place.
type boardPlace struct {
	kind     placeKind
	district uint8  // 0..8: A1区 … A9区
	street   int32  // its street or town (boardGeo.streets)
	full     string // the full name: 丽发新城小区
	short    string // a shorter name the same place goes by (丽发新城), or ""
	wide     string // the full name with full-width digits, or "" when it has no digit
	decoy    bool
}

// forms are the ways a place is written, without a district prefix: the full name, the short
// name, the full name with full-width digits.
func (p *boardPlace) form(i uint8) string {
	switch {
	case i == formShort && p.short != "":
		return p.short
	case i == formWide && p.wide != "":
		return p.wide
	}
	return p.full
}

const (
	formFull uint8 = iota
	formShort
	formWide
)

// roles are how a writer names themself about a place of each kind (我是…的业主).
var placeRoles = [nPlaceKinds][]string{
	kEstate:    {"业主", "居民", "住户"},
	kVillage:   {"村民"},
	kGroup:     {"村民", "组民"},
	kCommunity: {"居民", "社区居民"},
	kRoad:      {"附近居民", "市民", "沿线居民"},
	kSchool:    {"学生家长", "家长", "学生"},
	kHospital:  {"患者家属", "患者", "市民"},
	kCompany:   {"员工", "职工", "工人"},
	kMarket:    {"商户", "附近居民", "市民"},
	kProject:   {"购房者", "被征收户", "工人"},
	kSquare:    {"附近居民", "市民"},
}

// Kinds of ordinary places, by share of the places.
var placeKindShare = [nPlaceKinds]int{
	kEstate: 34, kVillage: 12, kGroup: 5, kCommunity: 8, kRoad: 10, kSchool: 9, kHospital: 4, kCompany: 10,
	kMarket: 3, kProject: 5,
}

var (
	stemFirst  = []rune("金锦华碧翠丽富恒泰嘉盛景雅御君龙凤湘江湖天星阳春新和顺康福瑞祥宏鸿博明德安怡欣美佳馨荣辉润泽兰桂梅竹松枫银玉云霞晨清澜海溪林望兴永长万千青紫红绿东西南北")
	stemSecond = []rune("发桂湾岭坡塘峰源泉洲岸庭府都邦汇景华盛兴隆昌泰和宁平康乐福禄春秋阳光明辉星月江河溪林森竹梅兰荷枫桥亭台阁馨雅瑞丰美湖山")
	ruralFirst = []rune("茅木回白云泉石黄杨桃柳樟松竹牛马龙凤鹤雁鹿青红沙高新大小上下中东西南北长双三五九太金银铜铁")
	ruralSec   = []rune("渡溪龙鹤凤水门冲坪塘湾岭坡桥山田坝井口洲港铺湖源家庄堰岗垅")
	groupNames = []string{"前进", "新屋", "上屋", "下屋", "老屋", "大塘", "团结", "胜利", "红旗", "光明", "建设", "和平"}
	cnDigits   = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
)

// kindSuffixes: for each kind, the suffixes of a full name, each with the suffix of its short
// name ("" for none). The short name is the stem with that suffix.
var kindSuffixes = [nPlaceKinds][][2]string{
	kEstate: {{"新城小区", "新城"}, {"花园小区", "花园"}, {"家园小区", "家园"}, {"花园", ""}, {"家园", ""}, {"新城", ""},
		{"苑", ""}, {"雅苑", ""}, {"公寓", ""}, {"华庭", ""}, {"名都小区", "名都"}, {"小区", ""}, {"国际小区", "国际"}, {"豪庭", ""}},
	kVillage:   {{"村", ""}},
	kGroup:     {{"村", ""}}, // and a group: newPlace
	kCommunity: {{"社区", ""}},
	kRoad:      {{"路", ""}, {"中路", ""}, {"南路", ""}, {"北路", ""}, {"东路", ""}, {"大道", ""}, {"街", ""}},
	kSchool: {{"小学", ""}, {"中学", ""}, {"实验学校", ""}, {"实验小学", ""}, {"幼儿园", ""}, {"职业技术学院", "学院"},
		{"外国语学校", ""}, {"第一中学", "一中"}},
	kHospital: {{"人民医院", "医院"}, {"中医院", ""}, {"卫生院", ""}, {"妇幼保健院", ""}, {"骨科医院", ""}},
	kCompany: {{"建材有限公司", "建材公司"}, {"电子科技有限公司", "电子公司"}, {"机械厂", ""}, {"物流有限公司", "物流公司"},
		{"食品厂", ""}, {"纺织厂", ""}, {"置业有限公司", "置业公司"}, {"劳务有限公司", "劳务公司"}, {"化工厂", ""}, {"建筑工程有限公司", "建筑公司"}},
	kMarket:  {{"农贸市场", "市场"}, {"批发市场", "市场"}, {"菜市场", ""}, {"建材市场", ""}},
	kProject: {{"安置房项目", "安置房"}, {"棚改项目", ""}, {"安置小区项目", "安置小区"}, {"还建房项目", "还建房"}, {"商业综合体项目", "项目"}},
	kSquare:  {{"广场", ""}},
}

// decoyKinds are the kinds of the big places mentioned by many unrelated messages, in turn.
var decoyKinds = []placeKind{kRoad, kMarket, kSquare, kHospital}

var decoySuffixes = [nPlaceKinds][][2]string{
	kRoad:     {{"大道", ""}, {"路", ""}},
	kMarket:   {{"大市场", ""}, {"批发大市场", "大市场"}},
	kSquare:   {{"广场", ""}, {"文化广场", "广场"}},
	kHospital: {{"人民医院", "医院"}, {"中心医院", ""}},
}

// boardGeo holds the board's places and streets.
type boardGeo struct {
	places  []boardPlace
	streets []string // 桂花坪街道, 黄花镇 …
	// streetDistrict is each street's district.
	streetDistrict []uint8
	// byDistrict lists each district's streets.
	byDistrict [9][]int32
	names      map[string]bool
}

const boardDistricts = 9

func districtName(d uint8) string { return "A" + string(rune('1'+d)) + "区" }

// newBoardGeo makes nPlaces ordinary places and nDecoys decoys (the last nDecoys places).
func newBoardGeo(r *rand.Rand, nPlaces, nDecoys int) *boardGeo {
	g := &boardGeo{names: map[string]bool{}}
	nStreets := max(boardDistricts*6, nPlaces/40)
	for i := range nStreets {
		d := uint8(i % boardDistricts)
		suffix := "街道"
		if r.IntN(3) == 0 {
			suffix = "镇"
		}
		name := g.unique(r, func() string { return ruralStem(r) + suffix })
		g.streets = append(g.streets, name)
		g.streetDistrict = append(g.streetDistrict, d)
		g.byDistrict[d] = append(g.byDistrict[d], int32(i))
	}
	cum := make([]float64, nPlaceKinds)
	total := 0.0
	for k, s := range placeKindShare {
		total += float64(s)
		cum[k] = total
	}
	for range nPlaces {
		k := placeKind(pick(r, cum))
		g.places = append(g.places, g.newPlace(r, k, kindSuffixes[k], false))
	}
	for i := range nDecoys {
		k := decoyKinds[i%len(decoyKinds)]
		g.places = append(g.places, g.newPlace(r, k, decoySuffixes[k], true))
	}
	return g
}

func (g *boardGeo) newPlace(r *rand.Rand, k placeKind, suffixes [][2]string, decoy bool) boardPlace {
	st := int32(r.IntN(len(g.streets)))
	p := boardPlace{kind: k, district: g.streetDistrict[st], street: st, decoy: decoy}
	for {
		var stem string
		switch k {
		case kVillage, kGroup:
			stem = ruralStem(r)
		default:
			stem = cityStem(r, decoy)
		}
		sfx := suffixes[r.IntN(len(suffixes))]
		full, short := stem+sfx[0], ""
		if sfx[1] != "" {
			short = stem + sfx[1]
		}
		if k == kGroup {
			full, short = stem+"村"+groupName(r), ""
		}
		if g.names[full] || (short != "" && g.names[short]) {
			continue
		}
		g.names[full] = true
		if short != "" {
			g.names[short] = true
		}
		p.full, p.short = full, short
		if w := wideDigits(full); w != full {
			p.wide = w
		}
		return p
	}
}

// unique draws names until one is new.
func (g *boardGeo) unique(_ *rand.Rand, draw func() string) string {
	for {
		if n := draw(); !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// cityStem is two characters, or three one time in five (and for big places one time in two).
func cityStem(r *rand.Rand, big bool) string {
	s := string(stemFirst[r.IntN(len(stemFirst))]) + string(stemSecond[r.IntN(len(stemSecond))])
	if r.IntN(5) == 0 || (big && r.IntN(2) == 0) {
		s += string(stemSecond[r.IntN(len(stemSecond))])
	}
	return s
}

func ruralStem(r *rand.Rand) string {
	s := string(ruralFirst[r.IntN(len(ruralFirst))]) + string(ruralSec[r.IntN(len(ruralSec))])
	if r.IntN(6) == 0 {
		s += string(ruralSec[r.IntN(len(ruralSec))])
	}
	return s
}

// groupName is a village group: a name (前进组), a Chinese numeral (三组) or digits (3组).
func groupName(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return groupNames[r.IntN(len(groupNames))] + "组"
	case 1:
		return cnDigits[r.IntN(len(cnDigits))] + "组"
	}
	return strconv.Itoa(1+r.IntN(16)) + "组"
}

// wideDigits writes ASCII digits full-width (３组).
func wideDigits(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			c += '０' - '0'
		}
		b.WriteRune(c)
	}
	return b.String()
}
