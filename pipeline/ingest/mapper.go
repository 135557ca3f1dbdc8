package ingest

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// noDate marks an empty date in caseRow.
const noDate = int32(-1 << 31)

// caseRow is one source record mapped onto a canonical case. Dates are days since 1970-01-01.
// Personal identifiers are gone: only their keyed hashes remain.
type caseRow struct {
	Line                                         int64
	CaseID, Channel, Level, ComplainantID        string
	Category, Township, Village, TargetOrg, Unit string
	Status, Content                              string
	HeadCount                                    int32 // 0 when empty
	Received, Closed                             int32 // Closed is noDate when open
	IDKey, NamePhoneKey                          string
}

// rejection is a record that cannot be loaded: its line, the first failing field, every reason
// (as the quarantine stores them, see Reason), and the raw value of that field (a keyed hash for
// personal fields).
type rejection struct {
	Line               int64
	Field, Reason, Raw string
}

// failure is one reason a record fails, with the raw value of its field.
type failure struct {
	runrecord.Reason
	raw string
}

// mapper maps records of one profile onto canonical rows. It is not safe for concurrent use;
// give each goroutine its own.
type mapper struct {
	p      *mapping
	f      fields
	hash   *pseudo.Hasher
	zone   *time.Location
	latest int32
	codes  map[*field]map[string]string // values already looked up in a field's code map
	fail   []failure
}

// fields are the profile's fields, nil when not mapped.
type fields struct {
	caseID, received, closed, channel, level, category, township, village, targetOrg, unit,
	status, content, headCount, complainantID, name, idNumber, phone *field
}

// maxCodes bounds how many distinct values a mapper remembers per code map.
const maxCodes = 4096

// newMapper returns a mapper for p. hash may be nil only when the profile maps no personal
// field. zone turns timestamps with an offset into dates unless the profile names its own;
// dates after latest (if not zero) are rejected.
func newMapper(p *mapping, hash *pseudo.Hasher, zone *time.Location, latest time.Time) *mapper {
	m := &mapper{p: p, hash: hash, zone: zone, latest: 1<<31 - 1, codes: map[*field]map[string]string{}}
	switch {
	case p.zone != nil:
		m.zone = p.zone
	case p.TimeZone == "as-written":
		m.zone = nil
	}
	if !latest.IsZero() {
		m.latest = dayNumber(latest)
	}
	get := func(name string) *field { return p.fields[name] } // nil when not mapped
	m.f = fields{
		caseID: get("case_id"), received: get("received_date"), closed: get("closed_date"),
		channel: get("channel"), level: get("level"), category: get("category"),
		township: get("township"), village: get("village"), targetOrg: get("target_org"),
		unit: get("responsible_unit"), status: get("status"), content: get("content"),
		headCount: get("head_count"), complainantID: get("complainant_id"),
		name: get("complainant_name"), idNumber: get("complainant_id_number"), phone: get("complainant_phone"),
	}
	return m
}

// value returns the field's text ("" when f is nil): its constant, or its columns (nulls
// read as empty, several joined), else its default; then mapped through its code map.
func (m *mapper) value(f *field, rec *record) string {
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
	if f.when != nil && !f.when.in[strings.ToLower(strings.TrimSpace(rec.Values[f.when.col]))] {
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
func (m *mapper) column(s string) string {
	s = trimSpace(s)
	if len(s) <= m.p.maxNull && m.p.nulls[s] {
		return ""
	}
	return s
}

// code maps v through f's code map (case-insensitively) or to f.Other, remembering the
// answers for the few distinct values a code column holds.
func (m *mapper) code(f *field, v string) string {
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

// reject records that field fails for reason code with args; raw is the field's value.
func (m *mapper) reject(field, code, raw string, args ...string) {
	m.fail = append(m.fail, failure{Reason: runrecord.Reason{Code: code, Field: field, Args: args}, raw: raw})
}

// Map maps one record. It returns the row, or ok false and the reject.
func (m *mapper) Map(rec record) (row caseRow, rej rejection, ok bool) {
	if rec.Err != nil {
		return caseRow{}, rejection{Line: rec.Line, Reason: runrecord.EncodeReasons([]runrecord.Reason{*rec.Err})}, false
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
			m.reject(req.name, runrecord.ReasonMissingRequired, "")
		}
	}
	if hc := m.value(f.headCount, &rec); hc != "" {
		n, err := strconv.Atoi(hc)
		if err != nil || n < 1 {
			m.reject("head_count", runrecord.ReasonBadHeadCount, hc, hc)
		}
		row.HeadCount = int32(n)
	}
	row.Received = m.date("received_date", f.received, &rec, true)
	row.Closed = m.date("closed_date", f.closed, &rec, false)
	if row.Received != noDate && row.Closed != noDate && row.Closed < row.Received {
		m.reject("closed_date", runrecord.ReasonClosedBefore, m.value(f.closed, &rec), dayString(row.Closed), dayString(row.Received))
	}
	if f.status != nil && f.status.Derive != nil {
		row.Status = f.status.Derive.Open
		if row.Closed != noDate {
			row.Status = f.status.Derive.Closed
		}
	} else {
		row.Status = m.value(f.status, &rec)
	}
	m.person(&rec, &row)
	if len(m.fail) > 0 {
		reasons := make([]runrecord.Reason, len(m.fail))
		for i, f := range m.fail {
			reasons[i] = f.Reason
		}
		return caseRow{}, rejection{Line: rec.Line, Field: m.fail[0].Field, Reason: runrecord.EncodeReasons(reasons), Raw: m.fail[0].raw}, false
	}
	return row, rejection{}, true
}

// person sets the complainant's keys and pseudonymous id: from a valid resident id number,
// else from name and phone together, else the source's own pseudonymous id, else an id of
// its own for the case (an unknown person is never merged with another). A phone alone
// never identifies a person.
func (m *mapper) person(rec *record, row *caseRow) {
	name := singleSpaced(m.value(m.f.name, rec))
	if idv := m.value(m.f.idNumber, rec); idv != "" {
		id, err := idnum.ResidentID(idv)
		if err != nil {
			m.reject("complainant_id_number", idNumberReason(err), m.hash.Short(pseudo.KindIDNumber, idv))
		} else {
			row.IDKey = m.hash.Hash(pseudo.KindIDNumber, id)
		}
	}
	var phone string
	if pv := m.value(m.f.phone, rec); pv != "" {
		p, err := idnum.Phone(pv)
		if err != nil {
			m.reject("complainant_phone", runrecord.ReasonBadPhone, m.hash.Short(pseudo.KindPhone, pv))
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

// idNumberReason is the reason code of an error of idnum.ResidentID.
func idNumberReason(err error) string {
	switch {
	case errors.Is(err, idnum.ErrIDCheck):
		return runrecord.ReasonIDNumberCheck
	case errors.Is(err, idnum.ErrIDBirthday):
		return runrecord.ReasonIDNumberBirth
	}
	return runrecord.ReasonIDNumberFormat
}
