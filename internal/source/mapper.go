package source

import (
	"strconv"
	"strings"
	"time"

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

// Mapper maps records of one profile onto canonical rows. It is not safe for concurrent use.
type Mapper struct {
	p      *Profile
	hash   *pseudo.Hasher
	zone   *time.Location
	latest int32
	fail   []Reject
}

// NewMapper returns a mapper for p. hash may be nil only when the profile maps no personal
// field. zone turns timestamps with an offset into dates unless the profile names its own;
// dates after latest (if not zero) are rejected.
func NewMapper(p *Profile, hash *pseudo.Hasher, zone *time.Location, latest time.Time) *Mapper {
	m := &Mapper{p: p, hash: hash, zone: zone, latest: 1<<31 - 1}
	switch {
	case p.zone != nil:
		m.zone = p.zone
	case p.TimeZone == "as-written":
		m.zone = nil
	}
	if !latest.IsZero() {
		m.latest = dayNumber(latest)
	}
	return m
}

// value returns the field's text: its constant, or its columns (nulls read as empty, several
// joined), else its default; then mapped through its code map.
func (m *Mapper) value(name string, rec *Record) (string, bool) {
	f, ok := m.p.Fields[name]
	if !ok {
		return "", false
	}
	var v string
	switch {
	case f.Value != "":
		v = f.Value
	case len(f.cols) == 1:
		v = strings.TrimSpace(rec.Values[f.cols[0]])
		if m.p.nulls[v] {
			v = ""
		}
	case len(f.cols) > 1:
		parts := make([]string, 0, len(f.cols))
		for _, c := range f.cols {
			s := strings.TrimSpace(rec.Values[c])
			if m.p.nulls[s] {
				s = ""
			}
			parts = append(parts, s)
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
		if c, ok := f.lmap[strings.ToLower(v)]; ok {
			v = c
		} else if f.Other != "" {
			v = f.Other
		}
	}
	return v, true
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
	str := func(name string) string {
		v, _ := m.value(name, &rec)
		return v
	}
	row.CaseID = str("case_id")
	row.Channel = str("channel")
	row.Level = str("level")
	row.Category = str("category")
	row.Township = str("township")
	row.Village = str("village")
	row.TargetOrg = str("target_org")
	row.Unit = str("responsible_unit")
	row.Content = str("content")
	for _, req := range []struct{ name, v string }{
		{"case_id", row.CaseID}, {"channel", row.Channel}, {"level", row.Level},
		{"category", row.Category}, {"township", row.Township}, {"responsible_unit", row.Unit},
	} {
		if req.v == "" {
			m.reject(req.name, "required field is empty", "")
		}
	}
	if hc := str("head_count"); hc != "" {
		n, err := strconv.Atoi(hc)
		if err != nil || n < 1 {
			m.reject("head_count", "head count must be a whole number of at least 1", hc)
		}
		row.HeadCount = int32(n)
	}
	row.Received = m.date("received_date", &rec, true)
	row.Closed = m.date("closed_date", &rec, false)
	if row.Received != NoDate && row.Closed != NoDate && row.Closed < row.Received {
		raw, _ := m.value("closed_date", &rec)
		m.reject("closed_date", "closed before it was received ("+dayString(row.Closed)+" < "+dayString(row.Received)+")", raw)
	}
	if f, ok := m.p.Fields["status"]; ok && f.Derive != nil {
		row.Status = f.Derive.Open
		if row.Closed != NoDate {
			row.Status = f.Derive.Closed
		}
	} else {
		row.Status = str("status")
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
	name, _ := m.value("complainant_name", rec)
	name = strings.Join(strings.Fields(name), " ")
	if idv, _ := m.value("complainant_id_number", rec); idv != "" {
		id, err := idnum.ResidentID(idv)
		if err != nil {
			m.reject("complainant_id_number", err.Error(), m.hash.Short(pseudo.KindIDNumber, idv))
		} else {
			row.IDKey = m.hash.Hash(pseudo.KindIDNumber, id)
		}
	}
	var phone string
	if pv, _ := m.value("complainant_phone", rec); pv != "" {
		p, err := idnum.Phone(pv)
		if err != nil {
			m.reject("complainant_phone", err.Error(), m.hash.Short(pseudo.KindPhone, pv))
		}
		phone = p
	}
	if name != "" && phone != "" {
		row.NamePhoneKey = m.hash.Hash(pseudo.KindNamePhone, name+"\x00"+phone)
	}
	switch {
	case row.IDKey != "":
		row.ComplainantID = "P" + row.IDKey[:20]
	case row.NamePhoneKey != "":
		row.ComplainantID = "N" + row.NamePhoneKey[:20]
	default:
		row.ComplainantID, _ = m.value("complainant_id", rec)
		if row.ComplainantID == "" {
			row.ComplainantID = "U:" + row.CaseID
		}
	}
}

// date parses a date field with its layouts. Empty optional dates are NoDate; bad, sentinel
// and future dates are rejected.
func (m *Mapper) date(name string, rec *Record, required bool) int32 {
	v, ok := m.value(name, rec)
	if !ok || v == "" {
		if required {
			m.reject(name, "required field is empty", "")
		}
		return NoDate
	}
	f := m.p.Fields[name]
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
