package ingest

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/realdata"
)

func xlsxMapping(t testing.TB, extra string) *mapping {
	t.Helper()
	return parseMapping(t, "x.yaml", "format: xlsx\n"+extra+`
fields:
  case_id: {column: id}
  received_date: {column: opened, layouts: ["2006-01-02", "excel"]}
  channel: {value: visit}
  level: {value: county}
  category: {value: 其他}
  township: {column: place, default: unknown}
  responsible_unit: {value: 县信访局}
`)
}

func TestWorkbook(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"县信访局 信访件导出"}, // a title row
		{"id", "opened", "place"},
		{"X1", "2025-01-02", "城关镇"},
		{},
		{"X2", 45660, ""}, // a date stored as Excel's serial day (2025-01-03)
		{"X3", "someday", "东村"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "a.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	p := xlsxMapping(t, "skip_lines: 1")
	r, err := openSource(p, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := newMapper(p, nil, time.UTC, time.Time{})
	var got []string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		row, rej, ok := m.Map(rec)
		if ok {
			got = append(got, row.CaseID+"@"+time.Unix(int64(row.Date)*86400, 0).UTC().Format(time.DateOnly)+"/"+row.Township+"/"+string(rune('0'+rec.Line)))
		} else {
			got = append(got, "reject line "+string(rune('0'+rej.Line))+" "+rej.Field)
		}
	}
	want := "X1@2025-01-02/城关镇/3 X2@2025-01-03/unknown/5 reject line 6 received_date"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestBadWorkbooks(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "bad.xlsx")
	if err := os.WriteFile(garbage, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openSource(xlsxMapping(t, ""), garbage); err == nil || !strings.Contains(i18n.Localize("en", err), "not an xlsx workbook") {
		t.Errorf("garbage: %v", err)
	}
	f := excelize.NewFile()
	if err := f.SetSheetRow(f.GetSheetName(0), "A1", &[]any{"id", "date"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cols.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if _, err := openSource(xlsxMapping(t, ""), path); !errors.Is(err, errMissingColumn) || !strings.Contains(err.Error(), `"opened"`) {
		t.Errorf("missing column: %v", err)
	}
	// A sheet the workbook lacks: said in the reader's language, with the sheets there are
	// (excelize's own words were in English in a Chinese message).
	_, err := openSource(xlsxMapping(t, "sheet: 不存在"), path)
	if zh := i18n.Localize("zh", err); !strings.Contains(zh, "中没有工作表 “不存在”（现有工作表：“Sheet1”）") || strings.Contains(zh, "does not exist") {
		t.Errorf("missing sheet: %s", zh)
	}
}

// xlsxCell is a cell of a test workbook: a value and the number format that shows it (a
// built-in format id, or custom code when not empty); no format leaves the cell unstyled.
type xlsxCell struct {
	v      any
	numFmt int
	code   string
}

// writeWorkbook saves rows (each cell a value or an xlsxCell) as the first sheet of a new
// workbook, in the 1904 date system when date1904, and returns its path.
func writeWorkbook(t testing.TB, date1904 bool, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			x, styled := v.(xlsxCell)
			if styled {
				v = x.v
			}
			if v != nil {
				if err := f.SetCellValue(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
			if !styled {
				continue
			}
			style := &excelize.Style{NumFmt: x.numFmt, Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}}}
			if x.code != "" {
				style.CustomNumFmt = &x.code
			}
			id, err := f.NewStyle(style)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// readRecords reads every record of path through p, failing the test on an error.
func readRecords(t testing.TB, p *mapping, path string) []record {
	t.Helper()
	r, err := openSource(p, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil {
			t.Fatalf("line %d: %v", rec.Line, rec.Err)
		}
		recs = append(recs, rec)
	}
}

// TestWorkbookByValue reads typed cells by value whatever their display format: dates as ISO
// text (date only at midnight, a time alone for day 0, rounded to the second), numbers as
// stored, text and booleans as written.
func TestWorkbookByValue(t *testing.T) {
	at := func(day float64, h, m, s float64) float64 { return day + (h*3600+m*60+s)/86400 }
	cases := []struct {
		name string
		cell any
		want string
	}{
		{"m/d/yy h:mm (22)", xlsxCell{43563.359259259261, 22, ""}, "2019-04-08 08:37:20"},
		{"m/d/yy h:mm custom", xlsxCell{43563.359259259261, 0, "m/d/yy h:mm"}, "2019-04-08 08:37:20"},
		{"yyyy年m月d日", xlsxCell{43678, 0, `yyyy"年"m"月"d"日"`}, "2019-08-01"},
		{"yyyy年m月d日 with a time", xlsxCell{at(43678, 9, 5, 1), 0, `yyyy"年"m"月"d"日"`}, "2019-08-01 09:05:01"},
		{"date only (14)", xlsxCell{45660, 14, ""}, "2025-01-03"},
		{"datetime at midnight", xlsxCell{43678, 0, "yyyy-mm-dd hh:mm:ss"}, "2019-08-01"},
		{"East Asian date (31)", xlsxCell{45660, 31, ""}, "2025-01-03"},
		{"locale and colour", xlsxCell{45660, 0, `[$-F800]dddd, mmmm dd, yyyy;[Red]@`}, "2025-01-03"},
		{"time alone (20)", xlsxCell{0.35, 20, ""}, "08:24:00"},
		{"mm:ss.0 (47)", xlsxCell{at(45000, 0, 1, 2.04), 47, ""}, "2023-03-15 00:01:02"},
		{"rounded up to the second", xlsxCell{at(45000, 8, 37, 19.6), 22, ""}, "2023-03-15 08:37:20"},
		{"rounded down to the second", xlsxCell{at(45000, 8, 37, 19.4), 22, ""}, "2023-03-15 08:37:19"},
		{"rounded to the next day", xlsxCell{45000.999999999, 22, ""}, "2023-03-16"},
		{"before Excel's 1900-02-29", xlsxCell{59, 14, ""}, "1900-02-28"},
		{"Excel's 1900-02-29", xlsxCell{60, 14, ""}, "60"},
		{"after Excel's 1900-02-29", xlsxCell{61, 14, ""}, "1900-03-01"},
		{"negative under a date format", xlsxCell{-3, 14, ""}, "-3"},
		{"duration [h]:mm:ss (46)", xlsxCell{1.5, 46, ""}, "1.5"},
		{"text under a date format", xlsxCell{"2019/2/28 9:05:01", 22, ""}, "2019/2/28 9:05:01"},
		{"text", "4/8/19 08:37", "4/8/19 08:37"},
		{"#,##0", xlsxCell{123456, 3, ""}, "123456"},
		{"0.00E+00", xlsxCell{123456, 11, ""}, "123456"},
		{"0%", xlsxCell{0.25, 9, ""}, "0.25"},
		{"0.00", xlsxCell{3.14159, 2, ""}, "3.14159"},
		{"custom number", xlsxCell{1234.5, 0, `#,##0.00"元";[Red]-#,##0.00"元"`}, "1234.5"},
		{"general, 12 digits", xlsxCell{123456789012, 0, "General"}, "123456789012"},
		{"unstyled number", 123456789012, "123456789012"},
		{"text format", xlsxCell{"0012", 49, ""}, "0012"},
		{"boolean", xlsxCell{true, 14, ""}, "TRUE"},
	}
	rows := [][]any{{"id", "opened", "place"}}
	for i, c := range cases {
		rows = append(rows, []any{"X" + strconv.Itoa(i), "2025-01-02", c.cell})
	}
	recs := readRecords(t, xlsxMapping(t, ""), writeWorkbook(t, false, rows...))
	if len(recs) != len(cases) {
		t.Fatalf("%d records, want %d", len(recs), len(cases))
	}
	for i, c := range cases {
		if got := recs[i].Values[2]; got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}

	// The 1904 date system (Excel for Mac before 2011) counts days from 1904-01-01.
	recs = readRecords(t, xlsxMapping(t, ""), writeWorkbook(t, true,
		[]any{"id", "opened", "place"},
		[]any{"X1", xlsxCell{43563.359259259261 - 1462, 22, ""}, xlsxCell{0, 14, ""}},
		[]any{"X2", xlsxCell{1, 14, ""}, xlsxCell{0.5, 21, ""}}))
	var got []string
	for _, r := range recs {
		got = append(got, r.Values[1]+"/"+r.Values[2])
	}
	if want := "2019-04-08 08:37:20/00:00:00 1904-01-02/12:00:00"; strings.Join(got, " ") != want {
		t.Errorf("1904: got %q, want %q", strings.Join(got, " "), want)
	}
}

// TestDateFormat checks which number formats show dates, as excelize formats them.
func TestDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, "m/d/yy h:mm": true, `yyyy"年"m"月"d"日"`: true, "h:mm AM/PM": true,
		`[$-804]yyyy"年"m"月"d"日";@`: true, `[DBNum1][$-804]yyyy"年"m"月"`: true, "ss.00": true,
		`上午/下午h"时"mm"分"`: true, "[$-404]e/m/d": true, "ge.m.d": true, `yyyy\-mm\-dd`: true,
		"General": false, "general": false, "0": false, "#,##0": false, "0.00E+00": false, "0%": false,
		"@": false, "# ?/?": false, `"date: "0`: false, `0.00"d"`: false, "[h]:mm:ss": false, "[mm]:ss": false,
		`_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`: false, `0;yyyy-mm-dd`: false, "": false,
		`[Red]0.00`: false, "d": true,
	} {
		if got := dateCode(code); got != want {
			t.Errorf("dateCode(%q) = %v, want %v", code, got, want)
		}
	}
	custom := map[int]string{14: "0.00", 200: "yyyy/m/d"}
	for id, want := range map[int]bool{0: false, 3: false, 14: false, 15: true, 22: true, 31: true, 46: false, 47: true, 49: false, 57: true, 200: true, 201: false} {
		if got := dateFormat(id, custom); got != want {
			t.Errorf("dateFormat(%d) = %v, want %v", id, got, want)
		}
	}
}

// TestTypedDates: a date field of an xlsx source accepts ISO text (a typed cell's value)
// whatever layouts the profile lists, after those; other text is parsed by the profile's
// layouts only, and a rejection names those. A csv source does not accept ISO text unless
// its profile lists it.
func TestTypedDates(t *testing.T) {
	const fields = `
fields:
  case_id: {column: id}
  received_date: {column: opened, layouts: ["2006/1/2 15:04:05"]}
  closed_date: {column: closed, layouts: ["2006年1月2日"]}
  channel: {value: visit}
  level: {value: county}
  category: {value: 其他}
  township: {value: 城关镇}
  responsible_unit: {value: 县信访局}
`
	p := parseMapping(t, "x.yaml", "format: xlsx"+fields)
	path := writeWorkbook(t, false,
		[]any{"id", "opened", "closed"},
		[]any{"X1", xlsxCell{43563.359259259261, 22, ""}, xlsxCell{43570, 31, ""}},
		[]any{"X2", "2019/4/8 08:37:20", "2019年4月16日"},
		[]any{"X3", "2019-04-08", nil},
		[]any{"X4", "8/4/2019", nil})
	m := newMapper(p, nil, time.UTC, time.Time{})
	var got []string
	for _, rec := range readRecords(t, p, path) {
		row, rej, ok := m.Map(rec)
		switch {
		case ok && row.Closed == noDate:
			got = append(got, row.CaseID+"@"+dayString(row.Date))
		case ok:
			got = append(got, row.CaseID+"@"+dayString(row.Date)+".."+dayString(row.Closed))
		default:
			got = append(got, rej.Field+" "+rej.Raw)
			if !strings.Contains(rej.Reason, "2006/1/2 15:04:05") || strings.Contains(rej.Reason, "2006-01-02") {
				t.Errorf("the rejection should name the profile's layouts only: %s", rej.Reason)
			}
		}
	}
	want := "X1@2019-04-08..2019-04-15 X2@2019-04-08..2019-04-16 X3@2019-04-08 received_date 8/4/2019"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	csv := parseMapping(t, "c.yaml", "format: csv"+fields)
	rec := record{Line: 2, Values: make([]string, len(csv.columns))}
	rec.Values[slices.Index(csv.columns, "id")] = "X1"
	rec.Values[slices.Index(csv.columns, "opened")] = "2019-04-08 08:37:20"
	if _, _, ok := newMapper(csv, nil, time.UTC, time.Time{}).Map(rec); ok {
		t.Error("a csv source accepted an ISO date its profile does not list")
	}
}

// TestWorkbookBlankRows: rows of nothing but blanks, empty strings or styled empty cells are
// skipped, not returned as records, however many there are.
func TestWorkbookBlankRows(t *testing.T) {
	styled := xlsxCell{nil, 22, ""}
	rows := [][]any{
		{"id", "opened", "place"},
		{"X1", "2025-01-02", "城关镇"},
		{"  ", "", "\t"},
		{styled, styled, styled},
		{},
		{nil, nil, xlsxCell{" ", 0, "@"}},
		{"X2", "2025-01-03", ""},
	}
	for range 2000 {
		rows = append(rows, []any{styled, styled, styled})
	}
	var got []string
	for _, r := range readRecords(t, xlsxMapping(t, ""), writeWorkbook(t, false, rows...)) {
		got = append(got, r.Values[0]+"@"+strconv.FormatInt(r.Line, 10))
	}
	if want := "X1@2 X2@7"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// TestWorkbookWithoutStyles reads a workbook with no styles.xml (some writers leave it out):
// nothing is formatted, so a number is its value.
func TestWorkbookWithoutStyles(t *testing.T) {
	src, err := zip.OpenReader(writeWorkbook(t, false, []any{"id", "opened", "place"}, []any{"X1", xlsxCell{45660, 14, ""}, 12.5}))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), "plain.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(out)
	for _, f := range src.File {
		if f.Name == "xl/styles.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		fw, err := w.Create(f.Name)
		if err == nil {
			_, err = io.Copy(fw, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	if err := errors.Join(w.Close(), out.Close()); err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, xlsxMapping(t, ""), path)
	if len(recs) != 1 || strings.Join(recs[0].Values, " ") != "X1 45660 12.5" {
		t.Errorf("got %v", recs)
	}
}

// messageBoard maps the message board's workbooks: message id, time (text in three layouts,
// and in replies.xlsx one typed cell) and user.
const messageBoard = `format: xlsx
fields:
  case_id: {column: 留言编号}
  received_date: {column: 留言时间, layouts: ["2006/1/2 15:04:05", "2006/1/2"]}
  channel: {value: online}
  level: {value: city}
  category: {value: 其他}
  township: {column: 留言用户}
  responsible_unit: {value: 市政府}
`

// TestMessageBoardWorkbooks reads the real message board: replies.xlsx's one typed 留言时间
// cell (4/8/19 08:37 in Excel) comes back as ISO text and every date maps; labelled.xlsx's
// 64,707 styled empty rows after its 495 messages are skipped.
func TestMessageBoardWorkbooks(t *testing.T) {
	p := parseMapping(t, "board.yaml", messageBoard)
	for _, c := range []struct {
		file    string
		records int
	}{{"replies.xlsx", 2816}, {"labelled.xlsx", 495}} {
		start := time.Now()
		recs := readRecords(t, p, realdata.File(t, filepath.Join("cn-message-board", c.file)))
		t.Logf("%s: %d records in %v", c.file, len(recs), time.Since(start).Round(time.Millisecond))
		if len(recs) != c.records {
			t.Errorf("%s: %d records, want %d", c.file, len(recs), c.records)
		}
		m := newMapper(p, nil, time.UTC, time.Time{})
		typed := false
		for _, rec := range recs {
			if _, rej, ok := m.Map(rec); !ok {
				t.Errorf("%s line %d: %s %s %q", c.file, rej.Line, rej.Field, rej.Reason, rej.Raw)
			}
			if strings.Contains(rec.Values[1], "-") {
				typed = true
				if rec.Line != 7 || c.file != "replies.xlsx" || rec.Values[1] != "2019-04-08 08:37:20" {
					t.Errorf("%s row %d: 留言时间 %q; only replies.xlsx row 7 (the typed cell) is ISO text, 2019-04-08 08:37:20", c.file, rec.Line, rec.Values[1])
				}
			}
		}
		if c.file == "replies.xlsx" && !typed {
			t.Error("replies.xlsx: the typed 留言时间 cell (row 7) was not read as ISO text")
		}
	}
}

// BenchmarkXLSX reads a 100,000-row workbook with styled cells (text, a number, a typed date,
// a date as text, a long body) and 20,000 styled empty rows after them through the reader.
func BenchmarkXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	text, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}})
	count, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	when, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		b.Fatal(err)
	}
	cell := func(s int, v any) excelize.Cell { return excelize.Cell{StyleID: s, Value: v} }
	if err := sw.SetRow("A1", []any{"id", "opened", "place", "count", "body", "note"}); err != nil {
		b.Fatal(err)
	}
	const rows, blank = 100_000, 20_000
	body := strings.Repeat("县城关镇某小区居民反映物业问题，", 8)
	start := time.Date(2019, 1, 1, 8, 30, 0, 0, time.UTC)
	for i := 2; i <= rows+1; i++ {
		name, _ := excelize.CoordinatesToCellName(1, i)
		var opened any = start.Add(time.Duration(i) * 17 * time.Minute).Format("2006/1/2 15:04:05")
		if i%3 == 0 {
			opened = cell(when, 43466+float64(i)/97)
		}
		if err := sw.SetRow(name, []any{cell(text, "X"+strconv.Itoa(i)), opened, cell(text, "城关镇"), cell(count, i*37),
			cell(text, body), cell(text, "")}); err != nil {
			b.Fatal(err)
		}
	}
	for i := rows + 2; i <= rows+blank+1; i++ {
		name, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(name, []any{cell(text, nil), cell(text, nil), cell(text, nil)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	p := xlsxMapping(b, "")
	n := 0
	for b.Loop() {
		r, err := openSource(p, path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
	}
	if n != rows*b.N {
		b.Errorf("read %d records, want %d", n/b.N, rows)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
