package ingest

import (
	"cmp"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// noDate marks an empty date in a row.
const noDate = int32(-1 << 31)

// row is one source record mapped onto a canonical record of its source's table: a case, a
// contact or an event, in the fields that table has. Dates are days since 1970-01-01.
// Personal identifiers are gone: only their keyed hashes remain.
type row struct {
	Line int64
	// ID is a contact's or event's id, or the id of the contact a case row makes.
	CaseID, ID, Channel, Level, PersonID     string
	Category, Township, Village, TargetOrg   string
	Unit, Status, Content, EventType, Result string
	HeadCount                                int32 // 0 when empty
	// Date is the case's received, the contact's or the event's date. Closed and Answered
	// (cases) are noDate when empty.
	Date, Closed, Answered int32
	IDKey, NamePhoneKey    string
	Key                    string // the case key's digest (cases with a case key)
	Found                  string // found_in_text (cases): the fields found in the text, as JSON
}

// rejection is a record that cannot be loaded: its line, the first failing field, every reason
// (as the quarantine stores them, see Reason), and the raw value of that field (a keyed hash for
// personal fields), with the record's id as the export writes it (its case id for a record
// without one of its own; "" when unread). Kept marks instead a record that loads with
// identifiers set aside (an id number or phone that is not one): what table set_aside holds.
type rejection struct {
	Line                         int64
	Field, Reason, Raw, RecordID string
	Kept                         bool
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
	// dateName is the canonical name of the record's date field.
	dateName string
	// words are the fields found in the record's text, each followed by the words that matched.
	words []string
	// text counts, by field, the texts searched and those something was found in, since the
	// last takeText.
	text  map[string]runrecord.TextCount
	codes map[*field]map[string]string // values already looked up in a field's code map
	fail  []failure
	// aside are the record's identifiers that are not one (an id number failing its check, a
	// phone of too few digits): set aside, they identify no one, and the record still loads.
	aside []failure
}

// fields are the source's fields, nil when not mapped.
type fields struct {
	caseID, id, date, closed, answered, channel, level, category, township, village, targetOrg, unit,
	status, content, headCount, eventType, result, complainantID, name, idNumber, phone *field
}

// maxCodes bounds how many distinct values a mapper remembers per code map.
const maxCodes = 4096

// newMapper returns a mapper for p. hash may be nil only when the source maps no personal
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
		caseID: get("case_id"), closed: get("closed_date"), answered: get("answered_date"),
		channel: get("channel"), level: get("level"), category: get("category"),
		township: get("township"), village: get("village"), targetOrg: get("target_org"),
		unit: get("responsible_unit"), status: get("status"), content: get("content"),
		headCount: get("head_count"), eventType: get("event_type"), result: get("result"),
		complainantID: get("complainant_id"),
		name:          get("complainant_name"), idNumber: get("complainant_id_number"), phone: get("complainant_phone"),
	}
	switch p.Table {
	case configs.TableCases:
		m.f.id, m.f.date, m.dateName = get("contact_id"), get("received_date"), "received_date"
	case configs.TableContacts:
		m.f.id, m.f.date, m.dateName = get("contact_id"), get("contact_date"), "contact_date"
	case configs.TableEvents:
		m.f.id, m.f.date, m.dateName = get("event_id"), get("event_date"), "event_date"
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
	if v != "" && (f.extract != nil || f.dict != nil) {
		var words string
		v, words = found(f, v)
		m.count(f.name, words != "")
		if words != "" {
			m.words = append(m.words, f.name, words)
		}
	}
	if v == "" {
		v = f.Default
	}
	if v != "" && (len(f.lmap) > 0 || f.Other != "") {
		v = m.code(f, v)
	}
	return v
}

// count counts a search of field's text, and whether something was found.
func (m *mapper) count(field string, found bool) {
	if m.text == nil {
		m.text = map[string]runrecord.TextCount{}
	}
	c := m.text[field]
	c.Searched++
	if found {
		c.Found++
	}
	m.text[field] = c
}

// takeText returns the counts of searches since the last call, and starts anew.
func (m *mapper) takeText() map[string]runrecord.TextCount {
	t := m.text
	m.text = nil
	return t
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

// setAside records that identifier field is not one, for reason code; raw is its keyed hash.
func (m *mapper) setAside(field, code, raw string) {
	m.aside = append(m.aside, failure{Reason: runrecord.Reason{Code: code, Field: field}, raw: raw})
}

// Map maps one record. It returns the row, or ok false and the reject. A row with identifiers
// set aside is returned with ok and a rejection marked Kept that names them.
func (m *mapper) Map(rec record) (r row, rej rejection, ok bool) {
	if rec.Err != nil {
		return row{}, rejection{Line: rec.Line, Reason: runrecord.EncodeReasons([]runrecord.Reason{*rec.Err})}, false
	}
	m.fail, m.aside = m.fail[:0], m.aside[:0]
	m.words = m.words[:0]
	r.Line = rec.Line
	f := &m.f
	r.CaseID = m.value(f.caseID, &rec)
	r.ID = m.value(f.id, &rec)
	r.Date = m.date(m.dateName, f.date, &rec, true)
	switch m.p.Table {
	case configs.TableCases:
		m.mapCase(&rec, &r)
	case configs.TableContacts:
		m.mapContact(&rec, &r)
	case configs.TableEvents:
		r.EventType = m.value(f.eventType, &rec)
		r.Result = m.value(f.result, &rec)
		m.required("case_id", r.CaseID)
		m.required("event_type", r.EventType)
		if r.ID == "" && r.CaseID != "" && r.EventType != "" && r.Date != noDate {
			r.ID = r.CaseID + ":" + r.EventType + ":" + dayString(r.Date)
		}
	}
	switch {
	case len(m.fail) > 0:
		// The identifiers set aside are named too: the row is rejected with all its faults.
		return row{}, m.rejection(rec.Line, &r, append(m.fail, m.aside...), false), false
	case len(m.aside) > 0:
		kept := failure{Reason: runrecord.Reason{Code: runrecord.ReasonRowKept}}
		return r, m.rejection(rec.Line, &r, append(m.aside, kept), true), true
	}
	return r, rejection{}, true
}

// rejection is row r's at line with the reasons of fs, named by the first's field and raw value.
func (m *mapper) rejection(line int64, r *row, fs []failure, kept bool) rejection {
	reasons := make([]runrecord.Reason, len(fs))
	for i, f := range fs {
		reasons[i] = f.Reason
	}
	return rejection{Line: line, Field: fs[0].Field, Reason: runrecord.EncodeReasons(reasons), Raw: fs[0].raw,
		RecordID: m.recordID(r), Kept: kept}
}

// recordID is the id a clerk finds row r by: a case's case id, a contact's or event's own id
// as the export writes it, else its case id.
func (m *mapper) recordID(r *row) string {
	if m.p.Table == configs.TableCases || m.f.id == nil {
		return r.CaseID
	}
	return cmp.Or(r.ID, r.CaseID)
}

// required rejects the field when its value is empty.
func (m *mapper) required(name, v string) {
	if v == "" {
		m.reject(name, runrecord.ReasonMissingRequired, "")
	}
}

// mapCase maps the fields of a case: its contact id defaults to the case id, and a case key
// becomes its digest.
func (m *mapper) mapCase(rec *record, r *row) {
	f := &m.f
	m.common(rec, r)
	r.TargetOrg = m.value(f.targetOrg, rec)
	r.Unit = m.value(f.unit, rec)
	r.Village = m.value(f.village, rec)
	r.Content = m.value(f.content, rec)
	for _, req := range [...]struct{ name, v string }{
		{"case_id", r.CaseID}, {"category", r.Category}, {"township", r.Township}, {"responsible_unit", r.Unit},
	} {
		m.required(req.name, req.v)
	}
	if r.ID == "" {
		r.ID = r.CaseID
	}
	r.Closed = m.date("closed_date", f.closed, rec, false)
	if r.Date != noDate && r.Closed != noDate && r.Closed < r.Date {
		m.reject("closed_date", runrecord.ReasonClosedBefore, m.value(f.closed, rec), dayString(r.Closed), dayString(r.Date))
	}
	r.Answered = m.date("answered_date", f.answered, rec, false)
	if r.Date != noDate && r.Answered != noDate && r.Answered < r.Date {
		m.reject("answered_date", runrecord.ReasonClosedBefore, m.value(f.answered, rec), dayString(r.Answered), dayString(r.Date))
	}
	if f.status != nil && f.status.Derive != nil {
		r.Status = f.status.Derive.Open
		if r.Closed != noDate {
			r.Status = f.status.Derive.Closed
		}
	} else {
		r.Status = m.value(f.status, rec)
	}
	if len(m.words) > 0 {
		r.Found = foundJSON(m.words)
	}
	maskRow(r)
	if m.p.key != nil {
		r.Key = caseKey(m.p.key, rec, m)
		m.required("case_key", r.Key)
	}
	m.person(rec, r, r.CaseID)
}

// mapContact maps the fields of a contact.
func (m *mapper) mapContact(rec *record, r *row) {
	m.common(rec, r)
	m.required("contact_id", r.ID)
	m.person(rec, r, r.ID)
}

// common maps what cases and contacts share: channel, level, category, township, head count.
func (m *mapper) common(rec *record, r *row) {
	f := &m.f
	r.Channel = m.value(f.channel, rec)
	r.Level = m.value(f.level, rec)
	r.Category = m.value(f.category, rec)
	r.Township = m.value(f.township, rec)
	m.required("channel", r.Channel)
	m.required("level", r.Level)
	if hc := m.value(f.headCount, rec); hc != "" {
		n, err := strconv.ParseInt(hc, 10, 32) // the column is an INTEGER: 24000000000 is no head count
		if err != nil || n < 1 {
			m.reject("head_count", runrecord.ReasonBadHeadCount, hc, hc)
		}
		r.HeadCount = int32(n)
	}
}

// person sets the complainant's keys and pseudonymous id: from a valid resident id number,
// else from name and phone together, else the source's own pseudonymous id, else an id of
// its own for the record own names (an unknown person is never merged with another). A phone alone
// never identifies a person. An id number or phone that is not one is set aside: a clerk's
// typo in it does not cost the record (a visit is still a visit), it only identifies no one.
func (m *mapper) person(rec *record, row *row, own string) {
	name := singleSpaced(m.value(m.f.name, rec))
	if idv := m.value(m.f.idNumber, rec); idv != "" {
		id, err := idnum.ResidentID(idv)
		if err != nil {
			m.setAside("complainant_id_number", idNumberReason(err), m.hash.Short(pseudo.KindIDNumber, idv))
		} else {
			row.IDKey = m.hash.Hash(pseudo.KindIDNumber, id)
		}
	}
	var phone string
	if pv := m.value(m.f.phone, rec); pv != "" {
		if p, err := idnum.Phone(pv); err != nil {
			m.setAside("complainant_phone", runrecord.ReasonBadPhone, m.hash.Short(pseudo.KindPhone, pv))
		} else {
			phone = p
		}
	}
	if name != "" && phone != "" {
		row.NamePhoneKey = m.hash.Hash2(pseudo.KindNamePhone, name, phone)
	}
	switch {
	case row.IDKey != "":
		row.PersonID = "P" + row.IDKey[:20]
	case row.NamePhoneKey != "":
		row.PersonID = "N" + row.NamePhoneKey[:20]
	default:
		row.PersonID = m.value(m.f.complainantID, rec)
		if row.PersonID == "" {
			row.PersonID = "U:" + own
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
