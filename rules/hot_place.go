package rules

import (
	"strings"

	"github.com/earlywarn/earlywarn/internal/places"
)

// placeMention is one place a case's text names (a row of case_places).
type placeMention struct {
	key, name, kind, context string
	inSubject                bool // on the text's first line, a message board's subject
}

// broadKinds are the places too wide to be what a message is about when it also names a narrower
// one: a road or street runs past many estates, a township holds many villages. A message
// about 丽发新城小区 on 万家丽路 is about the estate. Kind other is broad too: public bodies and
// facilities (A市社会保障局, 派出所) are whom a message is written to more often than where its
// matter is (请求A市社会保障局为我办理退休手续).
var broadKinds = map[string]bool{
	string(places.KindRoad): true, string(places.KindStreet): true, string(places.KindTownship): true,
	string(places.KindOther): true,
}

// primaryPlace picks the one place a case counts for, so that a message never counts in two
// places' matters. In order:
//
//  1. the first specific place (any kind but road, street and township) on the subject line;
//  2. else the first broad place on the subject line;
//  3. else the specific place the whole text names most often (the first named of those tied);
//  4. else the broad place the text names most often (the first of those tied).
//
// The subject is what the writer says the message is about; the body also names landmarks
// (位于万家丽路旁的…), the writer's own home and places compared with. A company named after a
// place the text also names (丽发新城物业公司 beside 丽发新城小区) counts for that place: an
// estate's property company is the estate's matter (see estateOf for one named alone). It
// returns the index of the mention, or -1 when the text names no place.
func primaryPlace(ms []placeMention) int {
	return ownerOf(ms, choosePlace(ms))
}

func choosePlace(ms []placeMention) int {
	for _, broad := range []bool{false, true} {
		for i, m := range ms {
			if m.inSubject && broadKinds[m.kind] == broad {
				return i
			}
		}
	}
	for _, broad := range []bool{false, true} {
		best, most := -1, 0
		count := map[string]int{}
		for _, m := range ms {
			if broadKinds[m.kind] == broad {
				count[m.key]++
			}
		}
		for i, m := range ms {
			if broadKinds[m.kind] == broad && count[m.key] > most {
				best, most = i, count[m.key]
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// ownerOf is the mention a company (mention i) belongs to: the first specific place of another
// kind whose key begins the company's key; else i.
func ownerOf(ms []placeMention, i int) int {
	if i < 0 || ms[i].kind != string(places.KindCompany) {
		return i
	}
	for j, m := range ms {
		if j != i && m.kind != ms[i].kind && !broadKinds[m.kind] && len([]rune(m.key)) >= 2 && strings.HasPrefix(ms[i].key, m.key) {
			return j
		}
	}
	return i
}

// propertySuffixes end the names of estates' property companies (places shortens a legal form
// to 公司).
var propertySuffixes = []string{"物业管理公司", "物业服务公司", "物业公司", "物业"}

// estateOf gives a property company named after its estate the estate's key and kind, so that
// 锦华国际小区物业公司 and 锦华国际物业公司 count where 锦华国际小区 does: the estate's key is its
// name without 小区 (package places' Key). Other mentions are returned as they are.
func estateOf(m placeMention) placeMention {
	if m.kind != string(places.KindCompany) {
		return m
	}
	for _, suf := range propertySuffixes {
		if rest, ok := strings.CutSuffix(m.key, suf); ok {
			rest = strings.TrimSuffix(rest, "小区")
			if len([]rune(rest)) >= 2 {
				m.key, m.kind = rest, string(places.KindEstate)
			}
			return m
		}
	}
	return m
}
