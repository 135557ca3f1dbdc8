package rules

import "github.com/earlywarn/earlywarn/internal/places"

// placeMention is one place a case's text names (a row of case_places).
type placeMention struct {
	key, name, kind, context string
	inSubject                bool // on the text's first line, a message board's subject
}

// broadKinds are the places too wide to be what a message is about when it also names a narrower
// one: a road or street runs past many estates, a township holds many villages. A message
// about 丽发新城小区 on 万家丽路 is about the estate.
var broadKinds = map[string]bool{
	string(places.KindRoad): true, string(places.KindStreet): true, string(places.KindTownship): true,
}

// primaryPlace picks the one place a case counts for, so that a message never counts in two
// places' matters. In order:
//
//  1. the first specific place (any kind but road, street and township) on the subject line;
//  2. else the specific place the whole text names most often (the first named of those tied);
//  3. else the first broad place on the subject line;
//  4. else the broad place the text names most often (the first of those tied).
//
// The subject is what the writer says the message is about; the body also names landmarks
// (位于万家丽路旁的…), the writer's own home and places compared with. It returns the index of
// the mention (its first occurrence), or -1 when the text names no place.
func primaryPlace(ms []placeMention) int {
	for _, broad := range []bool{false, true} {
		for i, m := range ms {
			if m.inSubject && broadKinds[m.kind] == broad {
				return i
			}
		}
		best, most := -1, 0
		count := map[string]int{}
		for _, m := range ms {
			if broadKinds[m.kind] != broad {
				continue
			}
			count[m.key]++
		}
		for i, m := range ms {
			if broadKinds[m.kind] != broad {
				continue
			}
			if n := count[m.key]; n > most {
				best, most = i, n
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}
