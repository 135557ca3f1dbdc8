package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/pseudo"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// parseMapping parses a profile and compiles it, failing the test when either fails.
func parseMapping(t testing.TB, name, yaml string) *mapping {
	t.Helper()
	p, err := configs.ParseProfile(name, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMapping(&p.Sources[0])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// loadMapping loads a profile file and compiles it, failing the test when either fails.
func loadMapping(t testing.TB, path string) *mapping {
	t.Helper()
	p, err := configs.LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMapping(&p.Sources[0])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testProfile is a small profile over columns id, opened, closed, kind, place, name, idno, tel.
func testProfile(t *testing.T, format, extra string) *mapping {
	t.Helper()
	y := "name: test\nformat: " + format + "\n" + extra + `
null_values: ["N/A"]
fields:
  case_id: {column: id}
  received_date: {column: opened, layouts: ["2006-01-02", "01/02/2006 03:04:05 PM", "2006/1/2 15:04:05"]}
  closed_date: {column: closed, layouts: ["2006-01-02", "01/02/2006 03:04:05 PM", "2006/1/2 15:04:05"]}
  status: {derive: {from: closed_date, closed: done, open: pending}}
  channel: {column: kind, map: {来访: visit, web: online}}
  level: {value: county}
  category: {value: 其他}
  township: {column: place, default: unknown}
  responsible_unit: {value: 县信访局}
  complainant_name: {column: name}
  complainant_id_number: {column: idno}
  complainant_phone: {column: tel}
`
	return parseMapping(t, "test.yaml", y)
}

var testHasher, _ = pseudo.New([]byte("test-key-0123456789abcdef"))

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mapFile reads a file through p and returns rows and rejects.
func mapFile(t *testing.T, p *mapping, path string) ([]row, []rejection, error) {
	t.Helper()
	r, err := openSource(p, path)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	m := newMapper(p, testHasher, time.UTC, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
	var rows []row
	var rejects []rejection
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, rejects, nil
		}
		if err != nil && !isTruncated(err) {
			return rows, rejects, err
		}
		row, rej, ok := m.Map(rec)
		if ok {
			rows = append(rows, row)
		}
		if !ok || rej.Kept {
			rejects = append(rejects, rej) // a row kept with numbers set aside, too
		}
		if err != nil {
			return rows, rejects, nil
		}
	}
}

const testHeader = "id,opened,closed,kind,place,name,idno,tel\n"

func TestCSVMapsByHeaderNameWithNullsAndLayouts(t *testing.T) {
	// Columns in another order and an extra column: mapping is by name.
	body := "\ufeffextra,tel,idno,name,place,kind,closed,opened,id\n" +
		"x,138 1234 5678,11010519491231002x,张三,城关镇,来访,N/A,2025-01-02,A1\n" +
		"x,,,,,web,01/05/2025 03:00:00 PM,01/02/2025 11:59:59 PM,A2\n"
	rows, rejects, err := mapFile(t, testProfile(t, "csv", ""), write(t, "a.csv", []byte(body)))
	if err != nil || len(rejects) != 0 || len(rows) != 2 {
		t.Fatalf("rows %+v rejects %+v err %v", rows, rejects, err)
	}
	a, b := rows[0], rows[1]
	if a.CaseID != "A1" || a.Line != 2 || a.Channel != "visit" || a.Township != "城关镇" || a.Closed != noDate || a.Status != "pending" {
		t.Errorf("row 1: %+v", a)
	}
	if dayString(a.Date) != "2025-01-02" || dayString(b.Date) != "2025-01-02" || dayString(b.Closed) != "2025-01-05" {
		t.Errorf("dates %s %s %s", dayString(a.Date), dayString(b.Date), dayString(b.Closed))
	}
	if b.Channel != "online" || b.Township != "unknown" || b.Status != "done" || b.Line != 3 {
		t.Errorf("row 2: %+v", b)
	}
	if a.IDKey != testHasher.Hash(pseudo.KindIDNumber, "11010519491231002X") || a.PersonID != "P"+a.IDKey[:20] {
		t.Errorf("id key %q person %q", a.IDKey, a.PersonID)
	}
	if a.NamePhoneKey != testHasher.Hash(pseudo.KindNamePhone, "张三\x0013812345678") {
		t.Errorf("name+phone key %q", a.NamePhoneKey)
	}
	if b.PersonID != "U:A2" || b.IDKey != "" || b.NamePhoneKey != "" {
		t.Errorf("unknown person: %+v", b)
	}
}

func TestPersonKeys(t *testing.T) {
	body := testHeader +
		"1,2025-01-01,,来访,镇,李四,,13900001111\n" + // name+phone
		"2,2025-01-01,,来访,镇,,,13900001111\n" + // phone alone never identifies
		"3,2025-01-01,,来访,镇,李四,110105491231002,\n" // 15-digit id upgraded
	rows, rejects, err := mapFile(t, testProfile(t, "csv", ""), write(t, "a.csv", []byte(body)))
	if err != nil || len(rejects) != 0 {
		t.Fatal(err, rejects)
	}
	if rows[0].PersonID[0] != 'N' || rows[1].PersonID != "U:2" || rows[2].IDKey != testHasher.Hash(pseudo.KindIDNumber, "11010519491231002X") {
		t.Errorf("persons %q %q %q", rows[0].PersonID, rows[1].PersonID, rows[2].IDKey)
	}
}

// TestBadRowsAreRejectedWithLineFieldAndReason: each rejected row names its line, field and
// reason; an id number or phone that is not one is set aside instead, and its row loads,
// identified otherwise (by name and phone, or as a person of its own).
func TestBadRowsAreRejectedWithLineFieldAndReason(t *testing.T) {
	body := testHeader +
		"1,2025-13-01,,来访,镇,,,\n" + // line 2: bad date
		"2,2025-02-01,2025-01-01,来访,镇,,,\n" + // closed before received
		"3,1900-01-01,,来访,镇,,,\n" + // sentinel
		"4,2025-07-01,,来访,镇,,,\n" + // after the day of the run
		",2025-01-01,,来访,镇,,,\n" + // no id
		"6,2025-01-01,,来访,镇,王五,11010519491231002X1,\n" + // bad id number: set aside
		"7,2025-01-01,,来访,镇,王五,11010519491231003X,13912345678\n" + // bad check digit: set aside
		"8,2025-01-01,,来访,镇,王五,,12345\n" + // bad phone: set aside
		"9,2025-01-01,,来访\n" + // too few fields
		"10,2025-13-01,,来访,镇,王五,,12345\n" + // bad date and bad phone
		"11,\"2025-01-01,,来访,镇,,,\n" // unterminated quote to the end
	rows, rejects, err := mapFile(t, testProfile(t, "csv", ""), write(t, "a.csv", []byte(body)))
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %+v err %v", rows, err)
	}
	if rows[0].PersonID != "U:6" || rows[0].IDKey != "" || rows[1].PersonID != "N"+rows[1].NamePhoneKey[:20] ||
		rows[1].IDKey != "" || rows[2].PersonID != "U:8" || rows[2].NamePhoneKey != "" {
		t.Errorf("rows kept with numbers set aside: %+v", rows)
	}
	want := []struct {
		line         int64
		field, words string
		kept         bool
	}{
		{2, "received_date", "is no day of the calendar", false}, {3, "closed_date", "closed before it was received", false},
		{4, "received_date", "placeholder date 1900-01-01", false}, {5, "received_date", "after the day of the run", false},
		{6, "case_id", "required field is empty", false},
		{7, "complainant_id_number", "or 15 digits; the row is loaded", true},
		{8, "complainant_id_number", "check digit; the row is loaded", true},
		{9, "complainant_phone", "phone number is neither an 11-digit mobile number (1xxxxxxxxxx) nor a landline with area code (0xx-xxxxxxxx); the row is loaded", true},
		{10, "", "has 4 fields, the header has 8", false},
		{11, "received_date", "is no day of the calendar; complainant's phone (complainant_phone): phone number is neither", false},
		{12, "", "quote", false},
	}
	if len(rejects) != len(want) {
		t.Fatalf("rejects %+v", rejects)
	}
	for i, w := range want {
		r := rejects[i]
		if r.Line != w.line || r.Field != w.field || r.Kept != w.kept || !strings.Contains(runrecord.RenderReason("en", r.Field, r.Reason), w.words) {
			t.Errorf("reject %d = %+v (%s), want line %d field %q kept %v reason with %q", i, r,
				runrecord.RenderReason("en", r.Field, r.Reason), w.line, w.field, w.kept, w.words)
		}
		if strings.Contains(r.Raw, "1101051949") || strings.Contains(r.Raw, "12345") || strings.Contains(r.Reason, "王五") {
			t.Errorf("reject %d shows a personal value in clear: %+v", i, r)
		}
	}
	if !strings.HasPrefix(rejects[6].Raw, "hmac:") {
		t.Errorf("raw id number not pseudonymised: %q", rejects[6].Raw)
	}
}

func TestEncodings(t *testing.T) {
	text := testHeader + "1,2025/3/4 9:05:00,,来访,城关镇,张三,,\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ enc, body string }{{"gb18030", gb}, {"gbk", gbk}, {"utf-8", "\ufeff" + text}} {
		rows, rejects, err := mapFile(t, testProfile(t, "csv", "encoding: "+c.enc), write(t, "a.csv", []byte(c.body)))
		if err != nil || len(rejects) != 0 || len(rows) != 1 || rows[0].Township != "城关镇" || dayString(rows[0].Date) != "2025-03-04" {
			t.Errorf("%s: rows %+v rejects %+v err %v", c.enc, rows, rejects, err)
		}
	}
	// A GB18030 file read as UTF-8: the row is rejected and the reason says what to fix.
	rows, rejects, err := mapFile(t, testProfile(t, "csv", ""), write(t, "a.csv", []byte(testHeader+strings.SplitN(gb, "\n", 2)[1])))
	if err != nil || len(rows) != 0 || len(rejects) != 1 || !strings.Contains(runrecord.RenderReason("en", "", rejects[0].Reason), "encoding: gb18030") {
		t.Errorf("wrong encoding: rows %+v rejects %+v err %v", rows, rejects, err)
	}
	// A Chinese header read as UTF-8 is an error naming the fix.
	gbHeader, _ := simplifiedchinese.GB18030.NewEncoder().String("编号,日期\n1,2\n")
	if _, err := openSource(testProfile(t, "csv", ""), write(t, "h.csv", []byte(gbHeader))); err == nil || !strings.Contains(err.Error(), "gb18030") {
		t.Errorf("GB18030 header read as UTF-8: %v", err)
	}
}

func TestPreamble(t *testing.T) {
	body := "Archive:  x.zip\n  inflating: complaints.csv   \n" + testHeader + "1,2025-01-01,,来访,镇,,,\n"
	for _, extra := range []string{"header_prefix: \"id,opened\"", "skip_lines: 2"} {
		rows, rejects, err := mapFile(t, testProfile(t, "csv", extra), write(t, "a.csv", []byte(body)))
		if err != nil || len(rejects) != 0 || len(rows) != 1 || rows[0].Line != 4 {
			t.Errorf("%s: rows %+v rejects %+v err %v", extra, rows, rejects, err)
		}
	}
	_, _, err := mapFile(t, testProfile(t, "csv", "header_prefix: \"nope,\""), write(t, "a.csv", []byte(body)))
	if err == nil || !strings.Contains(i18n.Localize("en", err), `no header line starting "nope,"`) {
		t.Errorf("missing header prefix: %v", err)
	}
}

func TestTSVNDJSONAndJSON(t *testing.T) {
	tsv := strings.ReplaceAll(testHeader, ",", "\t") + "1\t2025-01-01\t\tweb\t\"镇\t\t\t\n"
	rows, rejects, err := mapFile(t, testProfile(t, "tsv", ""), write(t, "a.tsv", []byte(tsv)))
	if err != nil || len(rejects) != 0 || len(rows) != 1 || rows[0].Township != `"镇` {
		t.Errorf("tsv: %+v %+v %v", rows, rejects, err)
	}
	nd := `{"id":"1","opened":"2025-01-01","kind":"web","place":"镇","lat":1.5}` + "\n\n" +
		`{"id":2,"opened":"2025-01-02","kind":"web","closed":null}` + "\n" + `{"id":` + "\n"
	rows, rejects, err = mapFile(t, testProfile(t, "ndjson", ""), write(t, "a.ndjson", []byte(nd)))
	if err != nil || len(rows) != 2 || rows[1].CaseID != "2" || rows[1].Line != 3 || len(rejects) != 1 || rejects[0].Line != 4 {
		t.Errorf("ndjson: %+v %+v %v", rows, rejects, err)
	}
	js := "[\n" + `{"id":"1","opened":"2025-01-01","kind":"web","place":"镇","loc":{"type":"Point"}},` + "\n" +
		`{"id":"2","opened":"2025-01-02","kind":"web"}` + "\n]"
	rows, rejects, err = mapFile(t, testProfile(t, "json", ""), write(t, "a.json", []byte(js)))
	if err != nil || len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 3 || len(rejects) != 0 {
		t.Errorf("json: %+v %+v %v", rows, rejects, err)
	}
	soc := `{"meta":{"view":{"columns":[{"fieldName":"id"},{"fieldName":"opened"},{"fieldName":"closed"},{"fieldName":"kind"},{"fieldName":"place"},{"fieldName":"name"},{"fieldName":"idno"},{"fieldName":"tel"}]}},
"data":[["1","2025-01-01",null,"web","镇",null,null,null],
["2","2025-01-02","2025-01-03","web","镇",null,null,null]]}`
	rows, rejects, err = mapFile(t, testProfile(t, "json", ""), write(t, "s.json", []byte(soc)))
	if err != nil || len(rows) != 2 || rows[1].Line != 3 || dayString(rows[1].Closed) != "2025-01-03" || len(rejects) != 0 {
		t.Errorf("socrata: %+v %+v %v", rows, rejects, err)
	}
	// Truncated JSON: the records before are read, the rest is one reject.
	rows, rejects, err = mapFile(t, testProfile(t, "json", ""), write(t, "t.json", []byte(js[:len(js)-30])))
	if err != nil || len(rows) != 1 || len(rejects) != 1 || rejects[0].Line != 3 {
		t.Errorf("truncated json: %+v %+v %v", rows, rejects, err)
	}
}

func TestBadFilesAreClearErrors(t *testing.T) {
	p := testProfile(t, "csv", "")
	for _, c := range []struct{ name, body, want string }{
		{"empty", "", "is empty"},
		{"missing column", "id,opened,kind,place,name,idno,tel\n1,2025-01-01,web,镇,,,\n", `has no column "closed"`},
		{"garbage", "\x00\x01\xff\xfe\x89PNG\r\n\x1a\n\x00\x00", "the header is not valid UTF-8"},
		{"garbage, valid UTF-8", "\x00\x01\x02\n\x03", "has no column"},
	} {
		_, err := openSource(p, write(t, "a.csv", []byte(c.body)))
		if err == nil || !strings.Contains(i18n.Localize("en", err), c.want) || !strings.Contains(err.Error(), "a.csv") {
			t.Errorf("%s: %v, want an error naming the file and %q", c.name, err, c.want)
		}
		if c.name == "missing column" && (!errors.Is(err, errMissingColumn) || !strings.Contains(i18n.Localize("en", err), "profile test") ||
			!strings.Contains(i18n.Localize("zh", err), "请修正配置中的列名（test.yaml:8: fields.closed_date）")) {
			t.Errorf("missing column error does not name the profile, and the line and field of the column: %v", err)
		}
	}
	// In a profile of sources, the key is the source's; a column two fields read, and the case
	// key's, are named at each place, in the order of the file.
	ps := parseMapping(t, "p.yaml", `name: p
sources:
  - table: cases
    format: csv
    case_key: {columns: [user, subject]}
    fields:
      case_id: {column: id}
      received_date:
        column: opened
        layouts: ["2006-01-02"]
      content: {columns: [subject, body]}
      channel: {value: online}
      level: {value: county}
      category: {value: 其他}
      township: {value: 城关镇}
      responsible_unit: {value: 县信访局}
`)
	_, err := openSource(ps, write(t, "a.csv", []byte("id,opened,user,body\n")))
	if want := `请修正配置中的列名（p.yaml:5: sources[0].case_key; p.yaml:11: sources[0].fields.content）`; !strings.Contains(i18n.Localize("zh", err), want) {
		t.Errorf("missing column in a source: %v, want %s", i18n.Localize("zh", err), want)
	}
	_, err = openSource(ps, write(t, "a.csv", []byte("id,user,subject,body\n")))
	if want := `(p.yaml:9: sources[0].fields.received_date)`; !strings.Contains(i18n.Localize("en", err), want) {
		t.Errorf("missing column in a source: %v, want %s", i18n.Localize("en", err), want)
	}
	// A column that differs only in case or spaces is pointed out, in the message's language.
	_, err = openSource(p, write(t, "a.csv", []byte("id,opened,Closed ,kind,place,name,idno,tel\n")))
	if en := i18n.Localize("en", err); !strings.Contains(en, `has no column "closed" (did you mean "Closed"?)`) {
		t.Errorf("near column, en: %s", en)
	}
	if zh := i18n.Localize("zh", err); !strings.Contains(zh, `中没有列 "closed"（是否为 "Closed"？）`) {
		t.Errorf("near column, zh: %s", zh)
	}
	rows, rejects, err := mapFile(t, p, write(t, "a.csv", []byte(testHeader)))
	if err != nil || len(rows)+len(rejects) != 0 {
		t.Errorf("header only: %v %v %v", rows, rejects, err)
	}
	if _, err := openSource(testProfile(t, "json", ""), write(t, "a.json", []byte("  "))); err == nil || !strings.Contains(i18n.Localize("en", err), "empty") {
		t.Errorf("empty json: %v", err)
	}
	if _, err := openSource(testProfile(t, "json", ""), write(t, "a.json", []byte("\"x\""))); err == nil {
		t.Error("a JSON string was accepted as a file of records")
	}
	_, _, err = mapFile(t, testProfile(t, "json", ""), write(t, "a.json", []byte(`[{"id":"1"}]`)))
	if !errors.Is(err, errMissingColumn) {
		t.Errorf("json without the mapped columns: %v", err)
	}
}

// TestFastDatesAgreeWithTime: the layouts parsed without package time accept and reject
// exactly what time.Parse does.
func TestFastDatesAgreeWithTime(t *testing.T) {
	values := []string{"2025/3/4 9:05:00", "2025/03/04 09:05:00", "2025-03-04 23:59:59", "2025-3-4 9:05:00",
		"2025/3/4", "2025/03/04", "2025-3-4", "2025-02-30", "2025/2/29", "2024/2/29", "2025/13/1", "2025/0/1",
		"2025/1/1 24:00:00", "2025/1/1 9:5:00", "2025/1/1 9:05", "2025/1/1 9:05:00 ", "25/1/1", "2025/1/1x",
		"2025/1/001", "2025-01-02 03:04:05", "2025/1/1 09:60:00", ""}
	for _, l := range []string{"2006-01-02 15:04:05", "2006/01/02 15:04:05", "2006/1/2 15:04:05", "2006-1-2 15:04:05", "2006/01/02", "2006/1/2", "2006-1-2"} {
		sep, pad, withTime, ok := numericLayout(l)
		if !ok {
			t.Fatal(l)
		}
		for _, v := range values {
			got, gotOK := fastDate(v, sep, pad, withTime)
			tm, err := time.Parse(l, v)
			if gotOK != (err == nil) || gotOK && got != dayNumber(tm) {
				t.Errorf("layout %q value %q: fast %v %v, time.Parse %v %v", l, v, dayString(got), gotOK, tm, err)
			}
		}
	}
}

func TestTrimAndSingleSpaceMatchTheStandardLibrary(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "王 伟", "王  伟", "\u3000王伟", "王伟\u3000", "王\t伟", "\xff ", " \xff", "a b c", "a b ", "\u00a0x"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := singleSpaced(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("singleSpaced(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestShippedProfilesCompile: every profile in configs/profiles compiles for reading, and
// every format a profile may name has a reader (an empty file is an error of that reader's,
// or, for ndjson, of its first record).
func TestShippedProfilesCompile(t *testing.T) {
	paths, _ := filepath.Glob("../../configs/profiles/*.yaml")
	if len(paths) < 6 {
		t.Fatalf("profiles: %v", paths)
	}
	for _, path := range paths {
		loadMapping(t, path)
	}
	for _, format := range configs.ProfileFormats {
		r, err := openSource(testProfile(t, format, ""), write(t, "empty", nil))
		if err == nil {
			r.Close()
		} else if strings.Contains(i18n.Localize("en", err), "unknown format") {
			t.Errorf("%s: %v", format, err)
		}
	}
}

// TestProfileCodeTypos: a code map giving no code of its field's list fails when the profile
// is compiled (validate), naming the field and the value.
func TestProfileCodeTypos(t *testing.T) {
	p, err := configs.ParseProfile("typo.yaml", []byte(`
format: csv
sources:
  - table: events
    fields:
      case_id: {column: a}
      event_type: {column: b, map: {答复: answerd, 受理: accepted}}
      event_date: {column: c, layouts: ["2006-01-02"]}
      result: {column: d, other: meh}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = newMapping(&p.Sources[0])
	en := i18n.Localize("en", err)
	for _, want := range []string{`fields.event_type.map.答复: "answerd" is not a code`, `fields.result.other: "meh" is not a code`} {
		if !strings.Contains(en, want) {
			t.Errorf("%v, want %q", en, want)
		}
	}
}

// TestNoSuchDay: a date that fits a layout but names no day is quarantined as such, not as a
// date no layout fits.
func TestNoSuchDay(t *testing.T) {
	p := testProfile(t, "csv", "")
	path := write(t, "d.csv", []byte("id,opened,closed,kind,place,name,idno,tel\nA1,2025-02-30,,来访,x,,,\nA2,2025-13-01,,来访,x,,,\nA3,hello,,来访,x,,,\n"))
	_, rejects, err := mapFile(t, p, path)
	if err != nil || len(rejects) != 3 {
		t.Fatalf("%v %v", rejects, err)
	}
	for i, want := range []string{"no_such_day", "no_such_day", "bad_date"} {
		if !strings.Contains(rejects[i].Reason, want) {
			t.Errorf("line %d: %s, want %s", rejects[i].Line, rejects[i].Reason, want)
		}
	}
	// A date of another layout is one no layout fits, though read with the profile's it names
	// month 20.
	for v, want := range map[string]bool{"2020-03-18": false, "02/30/2020": true, "13/01/2020": true} {
		if got := noSuchDay(v, []string{"01/02/2006"}); got != want {
			t.Errorf("noSuchDay(%s, 01/02/2006) = %v, want %v", v, got, want)
		}
	}
}

// TestBadDateProposesALayout: a date no layout reads, written year first, names the layout that
// would read it; one written month or day first, or not a date, names none.
func TestBadDateProposesALayout(t *testing.T) {
	for v, want := range map[string]string{
		"2025.1.7": "2006.1.2", "2025.01.07": "2006.1.2", "2025年1月7日": "2006年1月2日", "20250107": "20060102",
		"2025-1-7 9:05": "2006-1-2 15:04", "2025/01/07 09:05:33": "2006/1/2 15:04:05", "2025-01-07T10:00:00": "2006-1-2T15:04:05",
		"07.01.2025": "", "1/7/2025": "", "不详": "", "2025.13.7": "", "2025": "", "2025.1.7.8": "", "": "",
	} {
		if got := suggestLayout(v); got != want {
			t.Errorf("suggestLayout(%q) = %q, want %q", v, got, want)
		}
	}
	p := testProfile(t, "csv", "")
	_, rejects, err := mapFile(t, p, write(t, "d.csv", []byte(testHeader+"A1,2025.3.5,,来访,x,,,\n")))
	if err != nil || len(rejects) != 1 {
		t.Fatalf("%v %v", rejects, err)
	}
	if got := runrecord.RenderReason("zh", "received_date", rejects[0].Reason); !strings.HasSuffix(got, "可在映射配置该字段的 `layouts` 中加上 `2006.1.2`") {
		t.Errorf("reason %s", got)
	}
}

// TestJoinedJSONExportsAreAnError: two JSON arrays in one file (two exports joined) loaded the
// first and dropped the second without a word; text after the records' JSON is now an error
// naming its line, for arrays and Socrata exports.
func TestJoinedJSONExportsAreAnError(t *testing.T) {
	js := "[\n" + `{"id":"1","opened":"2025-01-01","kind":"web"}` + "\n]\n"
	soc := `{"meta":{"view":{"columns":[{"fieldName":"id"},{"fieldName":"opened"},{"fieldName":"closed"},{"fieldName":"kind"},{"fieldName":"place"},{"fieldName":"name"},{"fieldName":"idno"},{"fieldName":"tel"}]}},
"data":[["1","2025-01-01",null,"web","镇",null,null,null]], "x": 1}` + "\n"
	for name, body := range map[string]string{"array": js, "socrata": soc} {
		rows, _, err := mapFile(t, testProfile(t, "json", ""), write(t, name+".json", []byte(body)))
		if err != nil || len(rows) != 1 {
			t.Errorf("%s alone: %d rows, %v", name, len(rows), err)
		}
		joined := body + body
		_, _, err = mapFile(t, testProfile(t, "json", ""), write(t, name+"2.json", []byte(joined)))
		line := strings.Count(body, "\n") + 1
		if err == nil || !strings.Contains(i18n.Localize("en", err), fmt.Sprintf("more follows from line %d", line)) {
			t.Errorf("%s joined: %v; want an error naming line %d", name, err, line)
		}
	}
}

// TestTruncatedParquetIsAClearError: a Parquet file cut short, or a CSV renamed .parquet, gave
// the engine's English "No magic bytes found at end of file".
func TestTruncatedParquetIsAClearError(t *testing.T) {
	pool, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	conn, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	path := write(t, "cases.parquet", []byte("case_id,received_date\nA1,2025-01-01\n"))
	_, _, err = parquetColumns(context.Background(), conn, path)
	if err == nil || !strings.Contains(i18n.Localize("en", err), "not a whole Parquet file") {
		t.Fatalf("err %v, want one saying the file is not whole Parquet", err)
	}
}
