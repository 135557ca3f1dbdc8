package source

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/internal/pseudo"
)

// NoDate marks an empty date in Row.
const NoDate = int32(-1 << 31)

// Row is one source record mapped onto a canonical case. Dates are days since 1970-01-01.
// Personal identifiers are gone: only their keyed hashes remain.
type Row struct {
	Line                                         int64
	CaseID, Channel, Level, ComplainantID        string
	Category, Township, Village, TargetOrg, Unit string
	Status, Content                              string
	HeadCount                                    int32 // 0 when empty
	Received, Closed                             int32 // Closed is NoDate when open
	IDKey, NamePhoneKey                          string
}

// Reject is a record that cannot be loaded: its line, the first failing field, every reason,
// and the raw value of that field (a keyed hash for personal fields).
type Reject struct {
	Line               int64
	Field, Reason, Raw string
}

// Mapper maps records of one profile onto canonical rows. It is not safe for concurrent use;
// give each goroutine its own.
type Mapper struct {
	p      *Profile
	f      fields
	hash   *pseudo.Hasher
	zone   *time.Location
	latest int32
	codes  map[*Field]map[string]string // values already looked up in a field's code map
	fail   []Reject
}

// fields are the profile's fields, nil when not mapped.
type fields struct {
	caseID, received, closed, channel, level, category, township, village, targetOrg, unit,
	status, content, headCount, complainantID, name, idNumber, phone *Field
}

// maxCodes bounds how many distinct values a mapper remembers per code map.
const maxCodes = 4096

// NewMapper returns a mapper for p. hash may be nil only when the profile maps no personal
// field. zone turns timestamps with an offset into dates unless the profile names its own;
// dates after latest (if not zero) are rejected.
func NewMapper(p *Profile, hash *pseudo.Hasher, zone *time.Location, latest time.Time) *Mapper {
	m := &Mapper{p: p, hash: hash, zone: zone, latest: 1<<31 - 1, codes: map[*Field]map[string]string{}}
	switch {
	case p.zone != nil:
		m.zone = p.zone
	case p.TimeZone == "as-written":
		m.zone = nil
	}
	if !latest.IsZero() {
		m.latest = dayNumber(latest)
	}
	field := func(name string) *Field {
		f, ok := p.Fields[name]
		if !ok {
			return nil
		}
		return &f
	}
	m.f = fields{
		caseID: field("case_id"), received: field("received_date"), closed: field("closed_date"),
		channel: field("channel"), level: field("level"), category: field("category"),
		township: field("township"), village: field("village"), targetOrg: field("target_org"),
		unit: field("responsible_unit"), status: field("status"), content: field("content"),
		headCount: field("head_count"), complainantID: field("complainant_id"),
		name: field("complainant_name"), idNumber: field("complainant_id_number"), phone: field("complainant_phone"),
	}
	return m
}

// value returns the field's text ("" when f is nil): its constant, or its columns (nulls
// read as empty, several joined), else its default; then mapped through its code map.
func (m *Mapper) value(f *Field, rec *Record) string {
	if f == nil {
		return ""
	}
	var v string
	switch {
	case f.Value != "":
		v = f.Value
	case len(f.cols) == 1:
		v = m.column(rec.Values[f.cols[0]])
	case len(f.cols) > 1:
		parts := make([]string, 0, len(f.cols))
		for _, c := range f.cols {
			parts = append(parts, m.column(rec.Values[c]))
		}
		v = strings.Join(parts, *f.Join)
		if strings.Trim(v, *f.Join) == "" {
			v = ""
		}
	}
	if f.When != nil && !f.When.in[strings.ToLower(strings.TrimSpace(rec.Values[f.When.col]))] {
		v = ""
	}
	if v == "" {
		v = f.Default
	}
	if v != "" && (len(f.lmap) > 0 || f.Other != "") {
		v = m.code(f, v)
	}
	return v
}

// column returns a source value trimmed, or "" for a null marker.
func (m *Mapper) column(s string) string {
	s = trimSpace(s)
	if len(s) <= m.p.maxNull && m.p.nulls[s] {
		return ""
	}
	return s
}

// code maps v through f's code map (case-insensitively) or to f.Other, remembering the
// answers for the few distinct values a code column holds.
func (m *Mapper) code(f *Field, v string) string {
	seen := m.codes[f]
	if c, ok := seen[v]; ok {
		return c
	}
	c, ok := f.lmap[strings.ToLower(v)]
	switch {
	case ok:
	case f.Other != "":
		c = f.Other
	default:
		c = v
	}
	if seen == nil {
		seen = map[string]string{}
		m.codes[f] = seen
	}
	if len(seen) < maxCodes {
		seen[strings.Clone(v)] = c // v may pin a whole record's text
	}
	return c
}

func (m *Mapper) reject(field, reason, raw string) {
	m.fail = append(m.fail, Reject{Field: field, Reason: field + ": " + reason, Raw: raw})
}

// Map maps one record. It returns the row, or ok false and the reject.
func (m *Mapper) Map(rec Record) (row Row, rej Reject, ok bool) {
	if rec.Err != "" {
		return Row{}, Reject{Line: rec.Line, Field: "", Reason: rec.Err}, false
	}
	m.fail = m.fail[:0]
	row.Line = rec.Line
	f := &m.f
	row.CaseID = m.value(f.caseID, &rec)
	row.Channel = m.value(f.channel, &rec)
	row.Level = m.value(f.level, &rec)
	row.Category = m.value(f.category, &rec)
	row.Township = m.value(f.township, &rec)
	row.Village = m.value(f.village, &rec)
	row.TargetOrg = m.value(f.targetOrg, &rec)
	row.Unit = m.value(f.unit, &rec)
	row.Content = m.value(f.content, &rec)
	for _, req := range [...]struct{ name, v string }{
		{"case_id", row.CaseID}, {"channel", row.Channel}, {"level", row.Level},
		{"category", row.Category}, {"township", row.Township}, {"responsible_unit", row.Unit},
	} {
		if req.v == "" {
			m.reject(req.name, "required field is empty", "")
		}
	}
	if hc := m.value(f.headCount, &rec); hc != "" {
		n, err := strconv.Atoi(hc)
		if err != nil || n < 1 {
			m.reject("head_count", "head count must be a whole number of at least 1", hc)
		}
		row.HeadCount = int32(n)
	}
	row.Received = m.date("received_date", f.received, &rec, true)
	row.Closed = m.date("closed_date", f.closed, &rec, false)
	if row.Received != NoDate && row.Closed != NoDate && row.Closed < row.Received {
		m.reject("closed_date", "closed before it was received ("+dayString(row.Closed)+" < "+dayString(row.Received)+")", m.value(f.closed, &rec))
	}
	if f.status != nil && f.status.Derive != nil {
		row.Status = f.status.Derive.Open
		if row.Closed != NoDate {
			row.Status = f.status.Derive.Closed
		}
	} else {
		row.Status = m.value(f.status, &rec)
	}
	m.person(&rec, &row)
	if len(m.fail) > 0 {
		reasons := make([]string, len(m.fail))
		for i, f := range m.fail {
			reasons[i] = f.Reason
		}
		return Row{}, Reject{Line: rec.Line, Field: m.fail[0].Field, Reason: strings.Join(reasons, "; "), Raw: m.fail[0].Raw}, false
	}
	return row, Reject{}, true
}

// person sets the complainant's keys and pseudonymous id: from a valid resident id number,
// else from name and phone together, else the source's own pseudonymous id, else an id of
// its own for the case (an unknown person is never merged with another). A phone alone
// never identifies a person.
func (m *Mapper) person(rec *Record, row *Row) {
	name := singleSpaced(m.value(m.f.name, rec))
	if idv := m.value(m.f.idNumber, rec); idv != "" {
		id, err := idnum.ResidentID(idv)
		if err != nil {
			m.reject("complainant_id_number", err.Error(), m.hash.Short(pseudo.KindIDNumber, idv))
		} else {
			row.IDKey = m.hash.Hash(pseudo.KindIDNumber, id)
		}
	}
	var phone string
	if pv := m.value(m.f.phone, rec); pv != "" {
		p, err := idnum.Phone(pv)
		if err != nil {
			m.reject("complainant_phone", err.Error(), m.hash.Short(pseudo.KindPhone, pv))
		}
		phone = p
	}
	if name != "" && phone != "" {
		row.NamePhoneKey = m.hash.Hash2(pseudo.KindNamePhone, name, phone)
	}
	switch {
	case row.IDKey != "":
		row.ComplainantID = "P" + row.IDKey[:20]
	case row.NamePhoneKey != "":
		row.ComplainantID = "N" + row.NamePhoneKey[:20]
	default:
		row.ComplainantID = m.value(m.f.complainantID, rec)
		if row.ComplainantID == "" {
			row.ComplainantID = "U:" + row.CaseID
		}
	}
}

// trimSpace is strings.TrimSpace, quicker for text that starts with a Chinese character.
func trimSpace(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if s == "" || !unicode.IsSpace(first) && !unicode.IsSpace(last) {
		return s
	}
	return strings.TrimSpace(s)
}

// singleSpaced returns s with its words separated by single spaces (strings.Fields joined
// by " "), without allocating when s already is.
func singleSpaced(s string) string {
	space := true // before the first word, a space would be leading
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (space || r != ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
		space = sp
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// date parses a date field with its layouts. Empty optional dates are NoDate; bad, sentinel
// and future dates are rejected.
func (m *Mapper) date(name string, f *Field, rec *Record, required bool) int32 {
	v := m.value(f, rec)
	if v == "" {
		if required {
			m.reject(name, "required field is empty", "")
		}
		return NoDate
	}
	d, ok := parseDate(v, f.Layouts, m.zone)
	switch {
	case !ok:
		m.reject(name, "cannot read "+strconv.Quote(v)+" as a date with layouts "+strings.Join(f.Layouts, " | "), v)
	case m.p.sentinels[d]:
		m.reject(name, "placeholder date "+dayString(d)+" (sentinel_dates) means the date is unknown", v)
	case d > m.latest:
		m.reject(name, "date "+dayString(d)+" is after the as-of date "+dayString(m.latest), v)
	default:
		return d
	}
	return NoDate
}

// parseDate tries each layout. A timestamp with an offset becomes a date in zone; one
// without keeps the date it shows. "excel" reads a serial day number (days since 1899-12-30).
func parseDate(v string, layouts []string, zone *time.Location) (int32, bool) {
	for _, l := range layouts {
		if l == "2006-01-02" && len(v) == 10 {
			if d, ok := isoDate(v); ok {
				return d, true
			}
			continue
		}
		if sep, pad, withTime, ok := numericLayout(l); ok {
			if d, ok := fastDate(v, sep, pad, withTime); ok {
				return d, true
			}
			continue
		}
		if l == "excel" {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil && f >= 1 && f < 2958466 {
				return int32(f) - 25569, true
			}
			continue
		}
		t, err := time.Parse(l, v)
		if err != nil {
			continue
		}
		if zone != nil && hasOffset(l) {
			t = t.In(zone)
		}
		return dayNumber(t), true
	}
	return 0, false
}

// numericLayout recognises the common layouts parsed without package time: year, month and
// day separated by - or / (zero-padded when pad), optionally followed by " 15:04:05".
func numericLayout(l string) (sep byte, pad, withTime, ok bool) {
	switch l {
	case "2006-01-02 15:04:05":
		return '-', true, true, true
	case "2006/01/02 15:04:05":
		return '/', true, true, true
	case "2006/1/2 15:04:05":
		return '/', false, true, true
	case "2006-1-2 15:04:05":
		return '-', false, true, true
	case "2006/01/02":
		return '/', true, false, true
	case "2006/1/2":
		return '/', false, false, true
	case "2006-1-2":
		return '-', false, false, true
	}
	return 0, false, false, false
}

// fastDate parses v as numericLayout describes, as strictly as time.Parse would.
func fastDate(v string, sep byte, pad, withTime bool) (int32, bool) {
	i := 0
	num := func(minDigits, maxDigits int) int {
		n, d := 0, 0
		for i < len(v) && d < maxDigits && v[i] >= '0' && v[i] <= '9' {
			n = n*10 + int(v[i]-'0')
			i++
			d++
		}
		if d < minDigits {
			return -1
		}
		return n
	}
	expect := func(c byte) bool {
		if i < len(v) && v[i] == c {
			i++
			return true
		}
		return false
	}
	minMD := 1
	if pad {
		minMD = 2
	}
	y := num(4, 4)
	if y < 0 || !expect(sep) {
		return 0, false
	}
	mo := num(minMD, 2)
	if mo < 1 || mo > 12 || !expect(sep) {
		return 0, false
	}
	d := num(minMD, 2)
	if d < 1 || d > 31 {
		return 0, false
	}
	if withTime {
		if !expect(' ') {
			return 0, false
		}
		if h := num(1, 2); h < 0 || h > 23 || !expect(':') {
			return 0, false
		}
		if mi := num(2, 2); mi < 0 || mi > 59 || !expect(':') {
			return 0, false
		}
		if s := num(2, 2); s < 0 || s > 59 {
			return 0, false
		}
	}
	if i != len(v) {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false
	}
	return int32(t.Unix() / 86400), true
}

func hasOffset(layout string) bool {
	return strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") || strings.Contains(layout, "MST")
}

// isoDate parses YYYY-MM-DD without allocating.
func isoDate(v string) (int32, bool) {
	if v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	y, mo, d := num(v[:4]), num(v[5:7]), num(v[8:])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false // 2025-02-30
	}
	return int32(t.Unix() / 86400), true
}

func dayString(d int32) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}
