package synth

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/earlywarn/earlywarn/internal/idnum"
)

// The office export (Config.Format FormatOffice); see the package doc.

var officeFileNames = []string{"信访件.csv", "来访来信记录.csv", "办理过程.csv", "ground_truth.csv", "generator.json"}

// Columns of the office files, in order. 评价结果 (the evaluation's result) stays empty: the
// synthetic county has no evaluations, but an office's export carries the column.
var (
	officeCaseColumns = []string{"信访件编号", "登记日期", "来源", "信访级别", "信访人", "身份证号", "联系电话", "人数",
		"问题类别", "乡镇街道", "村社区", "被反映单位", "责任单位", "办理状态", "反映内容"}
	officeContactColumns = []string{"登记编号", "信访件编号", "来访日期", "方式", "到达层级", "信访人", "身份证号", "联系电话",
		"人数", "问题类别", "乡镇街道"}
	officeEventColumns = []string{"过程编号", "信访件编号", "办理环节", "办理日期", "评价结果"}
	officeTitles       = []string{"信访件登记表", "来访来信登记表", "信访件办理过程"}
)

// Chinese names of the codes, by index (channelCodes, levelCodes, eventCodes).
var (
	officeChannels = [...]string{chLetter: "来信", chVisit: "来访", chOnline: "网上信访", chPhone: "电话"}
	officeLevels   = [...]string{lvCounty: "县级", lvCity: "市级", lvProvince: "省级", lvNational: "国家级"}
	officeSteps    = [...]string{evAccepted: "受理", evAssigned: "交办", evExtended: "延期", evAnswered: "答复",
		evClosed: "办结", evReviewRequested: "复查申请", evReviewed: "复查", evRereviewRequested: "复核申请",
		evRereviewed: "复核", evTerminated: "终结", evReopened: "重新办理"}
)

// officeAssignedAlt is the other name offices give an assignment, written one time in three.
const officeAssignedAlt = "转办"

// Tables of the office export, for row hashes and line counts.
const (
	offCases = iota
	offContacts
	offEvents
)

// Limits on the contacts written without a case id, which must link back to their own case.
const (
	unlinkedWithin  = 60  // days after its case's receipt, inside any linking window over 60
	unlinkedClear   = 120 // days before it in which no other like case of the person is active
	unlinkedEvery   = 8   // about one eligible contact in this many
	unlinkedPerCase = 2   // at most this many a case (linking.max_per_case is 10)
)

// office is what the office writers need beyond the layout: the dates in every layout, the
// persons' identifiers, the contacts written without case id and the dirty rows.
type office struct {
	l        *layout
	key      uint64
	slash    []string // day → 2025/1/2
	zh       []string // day → 2025年1月2日
	births   []string // birthday index → YYYYMMDD
	unlinked []uint64 // bit set over planner.contacts: written without case id
	nUnlink  int
	lines    [3]int        // lines written so far per file
	dirty    [3][]DirtyRow // dirty rows written per file
	entered  [3]int        // hand-entered dirty rows per file, which number them
	fresh    uint32        // next person index past the county's, for dirty rows
	// badID is the person whose id number every row writes with a wrong check digit (a typo in
	// the office's register); badPhone, that the next contact of a person with an id number
	// writes a phone of 10 digits. Both rows load, the bad number set aside.
	badID    uint32
	badPhone bool
}

// DirtyRow is a row of the office export that a loader must not load, or, Kept, must load with
// a number that is not one set aside: generator.json lists them (office.dirty_rows).
type DirtyRow struct {
	File        string `json:"file"`
	Line        int    `json:"line"` // 1-based line in the file, title line included
	Problem     string `json:"problem"`
	DuplicateOf int    `json:"duplicate_of,omitempty"` // the line of the original of a duplicate
	Kept        bool   `json:"kept,omitempty"`         // loaded, the number set aside
}

func newOffice(l *layout) *office {
	p := l.p
	o := &office{l: l, key: splitmix(p.cfg.Seed ^ 0x6f6666696365), fresh: p.persons, badID: ^uint32(0),
		slash: make([]string, p.cfg.Days), zh: make([]string, p.cfg.Days), births: make([]string, birthDays)}
	for d := range p.cfg.Days {
		y, m, day := p.cfg.Start.AddDate(0, 0, d).Date()
		o.slash[d] = strconv.Itoa(y) + "/" + strconv.Itoa(int(m)) + "/" + strconv.Itoa(day)
		o.zh[d] = strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(day) + "日"
	}
	for i := range birthDays {
		o.births[i] = birthStart.AddDate(0, 0, i).Format("20060102")
	}
	for i := range o.lines {
		o.lines[i] = 2 // the title and the header
	}
	for pos := 2 * len(l.order) / 3; pos < len(l.order); pos++ {
		if person := l.at[pos].person; o.personDraw(person)>>32%10 != 0 {
			o.badID = person // the first from two thirds of the cases on with an id number (else none)
			break
		}
	}
	o.pickUnlinked()
	return o
}

// pickUnlinked chooses the contacts written without a case id: a follow-up contact of one
// person (head count 1, so no head-count rule misses it) within unlinkedWithin days of its
// case's receipt, when no other case of the person with the same category and township was
// received or contacted about in the unlinkedClear days up to it. Linking finds exactly one
// candidate for such a contact, its own case, for any window from 61 to 120 days.
func (o *office) pickUnlinked() {
	p := o.l.p
	start := make([]uint32, p.persons+1)
	for i := range p.cases {
		start[p.cases[i].person+1]++
	}
	for i := range p.persons {
		start[i+1] += start[i]
	}
	byPerson, next := make([]uint32, len(p.cases)), slices.Clone(start)
	for i := range p.cases {
		byPerson[next[p.cases[i].person]] = uint32(i)
		next[p.cases[i].person]++
	}
	o.unlinked = make([]uint64, (len(p.contacts)+63)/64)
	for i := range p.cases {
		c, n := &p.cases[i], 0
		for j := c.ct0; j < c.ct0+uint32(c.nct) && n < unlinkedPerCase; j++ {
			x := p.contacts[j]
			if x.day == dropped || x.day <= c.day || int(x.day-c.day) > unlinkedWithin || x.head != 1 ||
				splitmix(o.key^uint64(j))%unlinkedEvery != 0 {
				continue
			}
			if o.alone(byPerson[start[c.person]:start[c.person+1]], uint32(i), int(x.day)) {
				o.unlinked[j/64] |= 1 << (j % 64)
				o.nUnlink++
				n++
			}
		}
	}
}

// alone reports whether no case among cases but own, of own's category and township, was
// received or has a contact in the unlinkedClear days up to day.
func (o *office) alone(cases []uint32, own uint32, day int) bool {
	p := o.l.p
	c := &p.cases[own]
	active := func(d int) bool { return d <= day && d > day-unlinkedClear }
	for _, i := range cases {
		x := &p.cases[i]
		if i == own || x.cat != c.cat || x.town != c.town {
			continue
		}
		if active(int(x.day)) {
			return false
		}
		for _, y := range p.contacts[x.ct0 : x.ct0+uint32(x.nct)] {
			if y.day != dropped && active(int(y.day)) {
				return false
			}
		}
	}
	return true
}

func (o *office) isUnlinked(ct int) bool { return ct >= 0 && o.unlinked[ct/64]&(1<<(ct%64)) != 0 }

// rowHash is the draw behind a row's variations (date layout, phone spacing and the like).
func (o *office) rowHash(tab int, seq int) uint64 {
	return splitmix(o.key ^ uint64(tab+1)<<56 ^ uint64(seq))
}

// appendDate appends day d in one of three layouts: 2025-01-02 six times in ten, 2025/1/2
// three, 2025年1月2日 once.
func (o *office) appendDate(b []byte, d int, h uint64) []byte {
	switch h % 10 {
	case 0, 1, 2, 3, 4, 5:
		return append(b, o.l.dates[d]...)
	case 6, 7, 8:
		return append(b, o.slash[d]...)
	}
	return append(b, o.zh[d]...)
}

// Resident id numbers: an area code of the county's prefecture, a birthday from 1940-01-01
// on, a three-digit sequence (odd for men) and the check digit. A person's number is an affine
// bijection of the person index onto these, so different persons never share one.
var (
	areaCodes  = [...]string{"341202", "341203", "341204", "341221", "341222", "341225", "341226", "341282"}
	birthStart = time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	birthDays = 24000 // to 2005-09-16
	idSpace   = uint64(len(areaCodes)) * birthDays * 1000
	// idMul and phoneMul are coprime with idSpace (2^12·3·5^6) and phoneSpace (2^13·5^8).
	idMul    = 1_000_003
	phoneMul = 1_000_003
)

// Mobile prefixes (valid 13x-19x); a phone is a prefix and eight digits, an affine bijection of
// the person index, so different persons never share one.
var phonePrefixes = [...]string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182",
	"183", "184", "185", "186", "187", "188", "189", "199"}

const phoneSpace = uint64(len(phonePrefixes)) * 100_000_000

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
		"何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
		"董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢",
		"姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
		"熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝",
		"欧阳", "司马"}
	givenMale = []string{"伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞",
		"鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "国", "建", "志", "文",
		"德", "福", "海", "东", "成", "山", "春"}
	givenFemale = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "燕", "玲", "桂", "英", "红", "梅",
		"兰", "琴", "云", "莲", "萍", "雪", "婷", "慧", "颖", "洁", "倩", "晶", "月", "凤", "彩", "翠", "淑", "珍",
		"荣", "花", "玉", "蓉", "丹", "璐", "欣"}
)

// idFirst17 returns the first 17 characters of person's resident id number.
func (o *office) idFirst17(b []byte, person uint32) []byte {
	v := (idMul*uint64(person) + o.key%idSpace) % idSpace
	b = append(b, areaCodes[v%uint64(len(areaCodes))]...)
	v /= uint64(len(areaCodes))
	seq := v % 1000
	b = append(b, o.births[v/1000]...)
	return appendPadded(b, int(seq), 3)
}

// person draws what does not identify: the name, and whether the person gave an id number.
func (o *office) personDraw(person uint32) uint64 {
	return splitmix(o.key ^ 0x9e37<<40 ^ uint64(person))
}

// plainRow is a row hash that writes a person without variations.
const plainRow = 1<<20 | 1<<24

// appendPerson appends the three fields name, id number and phone of a person. h varies the
// row's writing: a lower-case x, a phone in groups.
func (o *office) appendPerson(b []byte, person uint32, h uint64) []byte {
	var id [18]byte
	first := o.idFirst17(id[:0], person)
	male := (first[16]-'0')%2 == 1
	d := o.personDraw(person)
	b = append(b, surnames[d%uint64(len(surnames))]...)
	given := givenFemale
	if male {
		given = givenMale
	}
	b = append(b, given[d>>8%uint64(len(given))]...)
	if d>>16%10 < 7 {
		b = append(b, given[d>>24%uint64(len(given))]...)
	}
	b = append(b, ',')
	if d>>32%10 != 0 { // one person in ten gives no id number, only name and phone
		check := idnum.CheckDigit(string(first))
		if person == o.badID {
			check = checkDigits[(strings.IndexByte(checkDigits, check)+1)%len(checkDigits)]
		}
		if check == 'X' && h>>20%4 == 0 {
			check = 'x'
		}
		b = append(append(b, first...), check)
	}
	b = append(b, ',')
	return o.appendPhone(b, person, h>>24%16 == 0)
}

// checkDigits are the id number's check digits.
const checkDigits = "10X98765432"

// appendPhone appends person's mobile number, in groups of 3, 4 and 4 digits when spaced.
func (o *office) appendPhone(b []byte, person uint32, spaced bool) []byte {
	v := (phoneMul*uint64(person) + o.key>>20%phoneSpace) % phoneSpace
	var num [11]byte
	n := append(num[:0], phonePrefixes[v%uint64(len(phonePrefixes))]...)
	n = appendPadded(n, int(v/uint64(len(phonePrefixes))), 8)
	if !spaced {
		return append(b, n...)
	}
	return append(append(append(append(append(b, n[:3]...), ' '), n[3:7]...), ' '), n[7:]...)
}

// officeCase writes the case at written position pos.
func (l *layout) officeCase(t *table, pos int, c *caseRec, content []byte) error {
	o, p := l.office, l.p
	h := o.rowHash(offCases, pos)
	tw := &p.cty.towns[c.town]
	start := len(t.row)
	b := l.appendCaseID(t.row, pos)
	b = o.appendDate(append(b, ','), int(c.day), h)
	b = append(append(b, ','), officeChannels[c.channel]...)
	b = append(append(b, ','), officeLevels[c.level]...)
	b = o.appendPerson(append(b, ','), c.person, h)
	b = strconv.AppendInt(append(b, ','), int64(c.head), 10)
	b = appendField(append(b, ','), categories[c.cat].name)
	b = appendField(append(b, ','), tw.name)
	if c.person == o.badID {
		o.keptRow(offCases, "invalid id number check digit")
	}
	b = append(b, ',')
	if c.village >= 0 {
		b = appendField(b, tw.villages[c.village])
	} else if h>>8%2 == 0 {
		b = append(b, "无"...)
	}
	b = append(b, ',')
	if org := p.cty.strata[c.stratum].org; org >= 0 {
		b = appendField(b, p.cty.orgs[org])
	}
	b = appendField(append(b, ','), p.cty.units[c.unit])
	b = appendField(append(b, ','), statusText(p.caseEvents(c)))
	t.row = appendField(append(b, ','), content)
	lines := 1 + bytes.Count(content, []byte{'\n'})
	n := len(l.order)
	switch pos {
	case n / 2: // the same row twice, as an export joined from two pages would have it
		o.lines[offCases] += lines
		o.dirtyRow(offCases, "duplicate row", lines)
		t.row = append(append(t.row, '\n'), t.row[start:]...)
		return t.end()
	case n / 3:
		if err := o.end(t, offCases, lines); err != nil {
			return err
		}
		return o.dirtyCase(t, pos)
	}
	return o.end(t, offCases, lines)
}

// end ends a row of tab that takes lines lines.
func (o *office) end(t *table, tab, lines int) error {
	o.lines[tab] += lines
	return t.end()
}

// keptRow records that the next row of tab has a number a loader sets aside, loading the row.
func (o *office) keptRow(tab int, problem string) {
	o.dirty[tab] = append(o.dirty[tab], DirtyRow{File: officeFileNames[tab], Line: o.lines[tab] + 1, Problem: problem, Kept: true})
}

// dirtyRow records that the next row of tab, of lines lines, is dirty. A duplicate row
// follows its original directly; which of the two a loader keeps is its choice.
func (o *office) dirtyRow(tab int, problem string, lines int) {
	d := DirtyRow{File: officeFileNames[tab], Line: o.lines[tab] + 1, Problem: problem}
	if problem == "duplicate row" {
		d.DuplicateOf = d.Line - lines
	}
	o.dirty[tab] = append(o.dirty[tab], d)
	o.lines[tab] += lines
}

// serial numbers the hand-entered dirty rows of tab: 1, 2, ...
func (o *office) serial(tab int) int {
	o.entered[tab]++
	return o.entered[tab]
}

// dirtyCase writes a case a clerk entered by hand that no loader may accept: one received
// on a day that does not exist.
func (o *office) dirtyCase(t *table, pos int) error {
	l := o.l
	p := l.p
	person := o.fresh
	for o.fresh++; o.personDraw(person)>>32%10 == 0; o.fresh++ {
		person = o.fresh // one with an id number
	}
	o.dirtyRow(offCases, "bad date", 1)
	d := int(l.at[pos].day)
	year := p.cfg.Start.AddDate(0, 0, d).Year()
	b := append(t.row, l.idPrefix[d]...)
	b = append(b, 'T')
	b = appendPadded(b, o.serial(offCases), 6)
	b = append(b, ',')
	b = append(append(b, strconv.Itoa(year)...), "年2月30日"...)
	b = append(append(b, ",来访,县级,"...), o.appendPerson(nil, person, plainRow)...)
	tw := &p.cty.towns[0]
	b = appendField(append(b, ",1,"...), categories[catLand].name)
	b = appendField(append(b, ','), tw.name)
	b = appendField(append(b, ",,,"...), p.cty.units[0])
	t.row = append(b, ",待受理,测试数据，请勿办理"...)
	return t.end()
}

// officeContact writes one contact of the case at written position pos; ct is its index in
// planner.contacts, -1 for an extra one.
func (l *layout) officeContact(t *table, seq, width, pos, ct int, x contact, total int) error {
	o, p := l.office, l.p
	h := o.rowHash(offContacts, seq)
	c := &p.cases[l.order[pos]]
	start := len(t.row)
	b := appendPadded(append(t.row, 'V'), seq, width)
	b = append(b, ',')
	if !o.isUnlinked(ct) {
		b = l.appendCaseID(b, pos)
	}
	b = o.appendDate(append(b, ','), int(x.day), h)
	b = append(append(b, ','), officeChannels[x.channel]...)
	b = append(append(b, ','), officeLevels[x.level]...)
	person := l.at[pos].person
	b = o.appendPerson(append(b, ','), person, h)
	b = strconv.AppendInt(append(b, ','), int64(x.head), 10)
	b = appendField(append(b, ','), categories[c.cat].name)
	t.row = appendField(append(b, ','), p.cty.towns[c.town].name)
	if seq == 3*total/4 {
		o.badPhone = true
	}
	switch {
	case person == o.badID:
		o.keptRow(offContacts, "invalid id number check digit")
	case o.badPhone && o.personDraw(person)>>32%10 != 0 && seq != total/2 && seq != total/4:
		// A phone of 10 digits, on a row its id number identifies.
		o.badPhone = false
		o.keptRow(offContacts, "bad phone number")
		fields := bytes.Split(t.row[start:], []byte{','})
		fields[7] = bytes.ReplaceAll(fields[7], []byte{' '}, nil)[:10]
		t.row = append(t.row[:start], bytes.Join(fields, []byte{','})...)
	}
	switch seq {
	case total / 2:
		o.lines[offContacts]++
		o.dirtyRow(offContacts, "duplicate row", 1)
		t.row = append(append(t.row, '\n'), t.row[start:]...)
		return t.end()
	case total / 4:
		row := slices.Clone(t.row[start:])
		if err := o.end(t, offContacts, 1); err != nil {
			return err
		}
		// The same contact again under a new number, as a clerk's second entry of it, undated.
		id := append(append([]byte("VT"), appendPadded(nil, o.serial(offContacts), 6)...), ',')
		row = append(id, row[bytes.IndexByte(row, ',')+1:]...)
		fields := bytes.Split(row, []byte{','})
		fields[2] = []byte("不详")
		o.dirtyRow(offContacts, "bad date", 1)
		t.row = append(t.row, bytes.Join(fields, []byte{','})...)
		return t.end()
	}
	return o.end(t, offContacts, 1)
}

// officeEvent writes one event of the case at written position pos.
func (l *layout) officeEvent(t *table, seq, width, pos int, e event, total int) error {
	o := l.office
	h := o.rowHash(offEvents, seq)
	switch seq {
	case total / 2:
		o.dirtyRow(offEvents, "blank line", 0)
		if err := o.end(t, offEvents, 1); err != nil {
			return err
		}
	case total / 3, 2 * total / 3:
		b := append(t.row, "ET"...)
		b = appendPadded(b, o.serial(offEvents), 6)
		b = l.appendCaseID(append(b, ','), pos)
		if seq == total/3 {
			o.dirtyRow(offEvents, "unknown step", 1)
			b = o.appendDate(append(b, ",研判,"...), int(e.day), h)
			b = append(b, ',')
		} else {
			o.dirtyRow(offEvents, "too few fields", 1)
		}
		t.row = b
		if err := t.end(); err != nil {
			return err
		}
	}
	b := appendPadded(append(t.row, 'E'), seq, width)
	b = l.appendCaseID(append(b, ','), pos)
	b = append(b, ',')
	if e.typ == evAssigned && h>>8%3 == 0 {
		b = append(b, officeAssignedAlt...)
	} else {
		b = append(b, officeSteps[e.typ]...)
	}
	t.row = append(o.appendDate(append(b, ','), int(e.day), h), ',')
	return o.end(t, offEvents, 1)
}

// title is the line above the header of an office file.
func (o *office) title(tab int) string {
	p := o.l.p
	return "某县信访局 " + officeTitles[tab] + "（" + o.l.dates[0] + " 至 " + o.l.dates[p.last] + "）"
}

// gb18030 is the transformer that encodes the office files.
func gb18030() transform.Transformer { return simplifiedchinese.GB18030.NewEncoder() }

// encode appends src, whole UTF-8 text, encoded by tr to dst.
func encode(tr transform.Transformer, dst, src []byte) ([]byte, error) {
	tr.Reset()
	for {
		if cap(dst)-len(dst) < len(src)/2+16 {
			dst = slices.Grow(dst, len(src)+len(src)/3+16) // GB18030 takes at most 4 bytes for UTF-8's 3
		}
		n, m, err := tr.Transform(dst[len(dst):cap(dst)], src, true)
		dst, src = dst[:len(dst)+n], src[m:]
		if err != transform.ErrShortDst {
			return dst, err
		}
	}
}

// officeInfo is generator.json's office section.
type officeInfo struct {
	Encoding         string     `json:"encoding"`
	UnlinkedContacts int        `json:"unlinked_contacts"`
	DirtyRows        []DirtyRow `json:"dirty_rows"`
}

func (o *office) info() *officeInfo {
	in := &officeInfo{Encoding: "GB18030", UnlinkedContacts: o.nUnlink}
	for _, d := range o.dirty {
		in.DirtyRows = append(in.DirtyRows, d...)
	}
	return in
}
