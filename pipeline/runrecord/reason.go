package runrecord

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Reason is one reason a row was quarantined (written by ingest, read by publish and the
// reject-rate check), stored without language: a code (its message is
// quarantine.reason.<code> in the catalogue), the field it concerns ("" for the whole record)
// and the arguments of its message, all text (the messages take %s only, so that the same
// arguments fit every language).
//
// The quarantine table's reason column holds a row's reasons as a JSON array of arrays, each
// [code, field, args...], e.g. [["unknown_code","channel","fax","letter, visit, online, phone"]];
// RenderReason renders it in a language where it is read (quarantine.csv, RejectRateError).
type Reason struct {
	Code  string
	Field string
	Args  []string
}

// Reason codes. The SQL files name them with {{reason "code"}}, which accepts only these.
const (
	// Checked in SQL, on both paths, and in the profile's mapping.
	ReasonMissingRequired = "missing_required" // a required field is empty
	ReasonUnknownCode     = "unknown_code"     // value, expected codes
	ReasonBadHeadCount    = "bad_head_count"   // value
	ReasonPlaceholderDate = "placeholder_date" // date
	ReasonFutureDate      = "future_date"      // date, the day of the run
	ReasonDuplicateID     = "duplicate_id"     // a later or more complete row with the id stands
	ReasonMissingResult   = "missing_result"   // expected results (an evaluated event without one)
	ReasonSentTwice       = "sent_twice"       // the line of the row that stands (a keyed cases file)

	// DuckDB's CSV reader (canonical CSV files); the argument is the reader's own message.
	ReasonNotADate        = "not_a_date"     // (the raw line shows the value)
	ReasonNotAnInteger    = "not_an_integer" //
	ReasonBadValue        = "bad_value"
	ReasonWrongFieldCount = "wrong_field_count"
	ReasonBadQuoting      = "bad_quoting"
	ReasonLineTooLong     = "line_too_long"
	ReasonBadEncoding     = "bad_encoding"
	ReasonUnreadable      = "unreadable_record"

	// The census of a canonical CSV file (records its reader is not given).
	ReasonQuoteNotClosed = "quote_not_closed" // the line the quote opens on
	ReasonTextAfterQuote = "text_after_quote" // the line the quote opens on
	ReasonQuoteRunsOn    = "quote_runs_on"    // the line the quote opens on
	ReasonStrayLineBreak = "stray_line_break" //
	ReasonRecordTooLong  = "record_too_long"  // bytes, limit

	// The profile's readers and mapping.
	ReasonBadDate         = "bad_date"          // value, layouts, and a layout that reads it if one is seen
	ReasonNoSuchDay       = "no_such_day"       // value: it fits a layout but names no day
	ReasonClosedBefore    = "closed_before"     // closing date, received date
	ReasonIDNumberFormat  = "id_number_format"  // (the raw value is a keyed hash)
	ReasonIDNumberCheck   = "id_number_check"   //
	ReasonIDNumberBirth   = "id_number_birth"   //
	ReasonBadPhone        = "bad_phone"         //
	ReasonRowKept         = "row_kept"          // (after the identifiers set aside in a row that loads)
	ReasonFieldCount      = "field_count"       // fields, header fields
	ReasonUnparsable      = "unparsable"        // the CSV parser's message
	ReasonUnclosedQuote   = "unclosed_quote"    // the CSV parser's message, first line, last line (stored by earlier versions)
	ReasonBareQuote       = "bare_quote"        // the line of the quote
	ReasonNotUTF8         = "not_utf8"          //
	ReasonBadBytes        = "bad_bytes"         // encoding
	ReasonJSONTruncated   = "json_truncated"    // the JSON decoder's message (stored by earlier versions)
	ReasonJSONBroken      = "json_broken"       // (from here to the end of the file)
	ReasonLineNotJSON     = "line_not_json"     // (an NDJSON line)
	ReasonLineNotObject   = "line_not_object"   // (an NDJSON line)
	ReasonJSONRowSize     = "json_row_size"     // values a Socrata data row must have
	ReasonJSONNotObject   = "json_not_object"   //
	ReasonNDJSONNotObject = "ndjson_not_object" // the JSON decoder's message (stored by earlier versions)
	ReasonBadRow          = "bad_row"           // the xlsx reader's message
)

// ReasonCodes lists every reason code, for the catalogue's test.
var ReasonCodes = []string{
	ReasonMissingRequired, ReasonUnknownCode, ReasonBadHeadCount, ReasonPlaceholderDate, ReasonFutureDate,
	ReasonDuplicateID, ReasonMissingResult, ReasonSentTwice, ReasonNotADate, ReasonNotAnInteger, ReasonBadValue, ReasonWrongFieldCount, ReasonBadQuoting, ReasonLineTooLong,
	ReasonBadEncoding, ReasonUnreadable, ReasonQuoteNotClosed, ReasonTextAfterQuote, ReasonQuoteRunsOn, ReasonStrayLineBreak, ReasonRecordTooLong, ReasonBadDate, ReasonNoSuchDay, ReasonClosedBefore, ReasonIDNumberFormat,
	ReasonIDNumberCheck, ReasonIDNumberBirth, ReasonBadPhone, ReasonRowKept, ReasonFieldCount, ReasonUnparsable,
	ReasonUnclosedQuote, ReasonBareQuote, ReasonNotUTF8, ReasonBadBytes, ReasonJSONTruncated, ReasonJSONBroken, ReasonLineNotJSON, ReasonLineNotObject, ReasonJSONRowSize,
	ReasonJSONNotObject, ReasonNDJSONNotObject, ReasonBadRow,
}

// EncodeReasons stores reasons as the quarantine table holds them.
func EncodeReasons(rs []Reason) string {
	entries := make([][]string, len(rs))
	for i, r := range rs {
		entries[i] = append([]string{r.Code, r.Field}, r.Args...)
	}
	b, err := json.Marshal(entries)
	if err != nil {
		panic(err) // strings always marshal
	}
	return string(b)
}

// DecodeReasons reads a quarantine row's reason column; ok is false when it is not in the
// stored form (a row an earlier earlywarn stored as English text).
func DecodeReasons(stored string) (rs []Reason, ok bool) {
	var entries [][]*string // null stands for an empty string
	if !strings.HasPrefix(stored, "[[") || json.Unmarshal([]byte(stored), &entries) != nil {
		return nil, false
	}
	for _, e := range entries {
		if len(e) < 2 || e[0] == nil {
			return nil, false
		}
		text := make([]string, len(e))
		for i, s := range e {
			if s != nil {
				text[i] = *s
			}
		}
		rs = append(rs, Reason{Code: text[0], Field: text[1], Args: text[2:]})
	}
	return rs, len(rs) > 0
}

// RenderReason renders a quarantine row's reason column in lang: each reason's message, naming
// its field when that is not the row's (field, the row's field column). A reason not in the
// stored form is returned as it is.
func RenderReason(lang, field, stored string) string {
	rs, ok := DecodeReasons(stored)
	if !ok {
		return stored
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Render(lang, field)
	}
	return strings.Join(parts, i18n.T(lang, "quarantine.reason.sep"))
}

// RenderReasonWritten is RenderReason, followed, when the row's field has an unknown code and
// written lists the export's words a profile's map of it takes, by those words: a clerk knows
// them, not the codes.
func RenderReasonWritten(lang, field, stored string, written []string) string {
	msg := RenderReason(lang, field, stored)
	rs, _ := DecodeReasons(stored)
	if len(written) == 0 || !slices.ContainsFunc(rs, func(r Reason) bool {
		return r.Code == ReasonUnknownCode && (r.Field == "" || r.Field == field)
	}) {
		return msg
	}
	return msg + i18n.T(lang, "quarantine.reason.written", strings.Join(written, i18n.T(lang, "quarantine.reason.code_sep")))
}

// letters is s's letters, lower-cased: a code and its English name (rereview_requested,
// re-review requested) have the same.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// codeGroups are the catalogue's label groups (label.<group>.<code>) of the coded fields.
var codeGroups = map[string]string{"channel": "channel", "level": "level", "event_type": "event", "result": "result"}

// Render renders one reason in lang, naming its field unless that is field. The codes an
// unknown code should have been are each followed by their name in lang where that is not the
// code's own words (accepted（受理）; in English none is), so that an office whose export writes
// the names sees which is which.
func (r Reason) Render(lang, field string) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a
	}
	f := r.Field
	if f == "" {
		f = field
	}
	if g, ok := codeGroups[f]; ok && r.Code == ReasonUnknownCode && len(r.Args) == 2 {
		args[1] = namedCodes(lang, g, r.Args[1], func(code, name string) string {
			return i18n.T(lang, "quarantine.reason.code_named", code, name)
		})
	}
	key := "quarantine.reason." + r.Code
	switch {
	case r.Code == ReasonDuplicateID && len(args) == 1:
		key += ".line" // the line of the row that stands
	case r.Code == ReasonBadDate && len(args) == 3:
		key += ".layout" // a layout that reads it
	}
	msg := i18n.T(lang, key, args...)
	if r.Field != "" && r.Field != field {
		msg = i18n.T(lang, "quarantine.reason.in_field", FieldName(lang, r.Field), msg)
	}
	return msg
}

// FieldName names a record's field in lang for the people who read quarantine.csv and errors:
// its name in the catalogue with the name profiles and the canonical layout give it
// (办结日期（closed_date）), or the name alone when the catalogue has none or says the same
// (closed_date, not closed date (closed_date)).
func FieldName(lang, field string) string {
	name := i18n.Label(lang, "field", field)
	if letters(name) == letters(field) {
		return field
	}
	return i18n.T(lang, "quarantine.field_named", name, field)
}

// FieldInColumns is FieldName followed by the export's columns the field comes from (a
// profile's; none for a canonical file): 受理日期（received_date），即导出的“登记日期”列.
func FieldInColumns(lang, field string, columns []string) string {
	if len(columns) == 0 {
		return FieldName(lang, field)
	}
	return i18n.T(lang, "quarantine.field_column", FieldName(lang, field), strings.Join(columns, i18n.T(lang, "quarantine.column_sep")))
}

// LoadLines are what a run says in lang of the rows its load left out or kept without their
// identifier, as its printout gives them (indented): per file, why rows were quarantined and how
// many had an id number or phone set aside; then the records of missing cases, if any. quarantine
// names the file that lists each row.
func LoadLines(lang string, files []FileResult, missing *MissingCases, quarantine string) []string {
	var out []string
	for _, f := range files {
		// Why rows were quarantined, file by file: the fields most of them name, with the first
		// line and reason, so that a profile's mistake shows without opening quarantine.csv.
		if len(f.Rejected) > 0 {
			out = append(out, i18n.T(lang, "cli.run.rejected", filepath.Base(f.Path), f.Quarantined,
				RejectedList(lang, f.Rejected, f.Quarantined, f.Mapping != ""), quarantine))
		}
		if f.SetAside > 0 {
			out = append(out, i18n.T(lang, "cli.run.set_aside", filepath.Base(f.Path), f.SetAside, quarantine))
		}
	}
	if missing != nil {
		out = append(out, i18n.T(lang, "cli.run.missing_cases", missing.Contacts, missing.Events,
			strings.Join(missing.CaseIDs, i18n.T(lang, "cli.list_sep")), quarantine))
	}
	return out
}

// RejectedList renders fields in lang: each field (with its columns) and its rows, the line
// and reason of the first; the rows of the total that they leave out (other fields); when
// profiled and a code was unknown, how a profile's map takes it.
func RejectedList(lang string, fields []RejectedField, total int64, profiled bool) string {
	out := make([]string, len(fields))
	unknownCode := false
	shown := int64(0)
	for i, f := range fields {
		shown += f.Rows
		reason := RenderReasonWritten(lang, f.Field, string(f.Reason), f.Written)
		if rs, _ := DecodeReasons(string(f.Reason)); slices.ContainsFunc(rs, func(r Reason) bool { return r.Code == ReasonUnknownCode }) {
			unknownCode = true
		}
		name := FieldInColumns(lang, f.Field, f.Columns)
		if f.Field == "" {
			name = i18n.T(lang, "ingest.reject_rate.whole_record") // a line with the wrong number of fields
		}
		if f.FirstLine > 0 {
			out[i] = i18n.T(lang, "ingest.reject_rate.field_line", name, f.Rows, f.FirstLine, reason)
		} else {
			out[i] = i18n.T(lang, "ingest.reject_rate.field", name, f.Rows, reason)
		}
	}
	if total > shown {
		out = append(out, i18n.T(lang, "ingest.reject_rate.others", total-shown))
	}
	list := strings.Join(out, i18n.T(lang, "ingest.list_sep"))
	if profiled && unknownCode {
		list += i18n.T(lang, "ingest.reject_rate.map_hint")
	}
	return list
}
