package ingest

import (
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// xlsxReader reads an xlsx workbook (format: xlsx): the sheet named by the profile (default
// the first), rows before the header skipped, blank rows ignored, cells by value (see
// readByValue): text as written, numbers as stored, typed dates as ISO text.
type xlsxReader struct {
	p        *mapping
	path     string
	f        *os.File
	book     *excelize.File
	rows     *excelize.Rows
	row      int64
	idx      []int
	ncols    int
	date1904 bool // the workbook counts days from 1904-01-01 (Excel for Mac before 2011)
}

func openXLSX(p *mapping, path string, f *os.File) (recordReader, error) {
	book, err := excelize.OpenReader(f)
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.not_xlsx", p, path)
	}
	x := &xlsxReader{p: p, path: path, f: f, book: book}
	if x.date1904, err = readByValue(book); err != nil {
		book.Close()
		return nil, i18n.Wrap(err, "ingest.profile.not_xlsx", p, path)
	}
	sheet := p.Sheet
	if sheet == "" {
		sheet = book.GetSheetName(0)
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		book.Close()
		sheets := strings.Join(book.GetSheetList(), "\x00")
		if errors.As(err, new(excelize.ErrSheetNotExist)) {
			return nil, i18n.Errorf("ingest.profile.no_sheet", p, path, sheetList(sheet), sheetList(sheets))
		}
		return nil, i18n.Wrap(err, "ingest.profile.sheet", p, path, sheetList(sheet), sheetList(sheets))
	}
	x.rows = rows
	for {
		if !rows.Next() {
			book.Close()
			return nil, i18n.Errorf("ingest.profile.no_header_row", p, path, sheet)
		}
		x.row++
		cols, err := rows.Columns()
		if err != nil {
			book.Close()
			return nil, i18n.Wrap(err, "ingest.profile.row", p, path, x.row)
		}
		if x.row <= int64(p.SkipLines) {
			continue
		}
		for i, c := range cols {
			cols[i] = x.value(c)
		}
		if p.HeaderPrefix != "" && !strings.HasPrefix(strings.Join(cols, p.Delimiter), p.HeaderPrefix) {
			continue
		}
		if x.idx, err = matchColumns(p, path, cols); err != nil {
			book.Close()
			return nil, err
		}
		x.ncols = len(cols)
		return x, nil
	}
}

func (x *xlsxReader) Next() (record, error) {
	for x.rows.Next() {
		x.row++
		cols, err := x.rows.Columns()
		if err != nil {
			return badRecord(x.row, runrecord.ReasonBadRow, err.Error()), nil
		}
		empty := true
		for _, c := range cols {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue // spreadsheets end in blank rows, often styled ones
		}
		rec := record{Line: x.row, Values: make([]string, len(x.idx))}
		for i, j := range x.idx {
			if j < len(cols) {
				rec.Values[i] = x.value(cols[j])
			}
		}
		return rec, nil
	}
	if err := x.rows.Error(); err != nil {
		return record{}, i18n.Wrap(err, "ingest.read_row", x.path, x.row+1)
	}
	return record{}, io.EOF
}

func (x *xlsxReader) Close() error {
	x.rows.Close()
	x.book.Close()
	return x.f.Close()
}

// dateMark begins every number excelize gives for a cell whose style shows a date or time:
// readByValue gives those styles the number format dateMarkFormat. U+FDD0 is a Unicode
// noncharacter, set aside for a program's own use, so no exported text begins with it.
const (
	dateMark       = "\uFDD0"
	dateMarkFormat = `"` + dateMark + `"0.###############`
)

// noFormat is a number format id that names no format: excelize gives a cell of such a style
// its value as stored.
const noFormat = -1

// readByValue makes book give every cell by value rather than as Excel shows it, by changing
// the workbook's cell styles in memory (the reader never saves the book): a style whose number
// format shows a date or time (dateFormat) gets dateMarkFormat, so a typed date comes back as
// dateMark and its serial day number, which value turns into ISO text; every other style gets
// no format, so a number comes back as stored (123456, not 1.23E+05, 123,456 or 12345600%),
// booleans as TRUE and FALSE, text as written. Streaming rows does not say which style a cell
// has, so the mark carries it; and formatting nothing is much faster than formatting every
// styled cell, which excelize otherwise does. It returns the workbook's 1904 date system flag.
func readByValue(book *excelize.File) (date1904 bool, err error) {
	props, err := book.GetWorkbookProps()
	if err != nil {
		return false, err
	}
	date1904 = props.Date1904 != nil && *props.Date1904
	_, _ = book.GetStyle(0) // loads the styles; its error is about style 0
	if book.Styles == nil || book.Styles.CellXfs == nil {
		return date1904, nil // no styles.xml: excelize formats nothing
	}
	// NewStyle adds the format, then a style using it unless the book has 64,000 already.
	code := dateMarkFormat
	if _, err := book.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil && !errors.Is(err, excelize.ErrCellStyles) {
		return false, err
	}
	dateID, none := noFormat, noFormat
	custom := map[int]string{}
	if book.Styles.NumFmts != nil {
		for _, nf := range book.Styles.NumFmts.NumFmt {
			switch {
			case nf == nil:
			case nf.FormatCode == dateMarkFormat:
				dateID = nf.NumFmtID
			case nf.FormatCode16 != "":
				custom[nf.NumFmtID] = nf.FormatCode16
			default:
				custom[nf.NumFmtID] = nf.FormatCode
			}
		}
	}
	for i, xf := range book.Styles.CellXfs.Xf {
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		if dateFormat(id, custom) {
			book.Styles.CellXfs.Xf[i].NumFmtID = &dateID
		} else {
			book.Styles.CellXfs.Xf[i].NumFmtID = &none
		}
	}
	return date1904, nil
}

// dateFormat reports whether number format id (one of custom, or built in) shows a date or a
// time of day: built-in formats 14–22 (m/d/yy, d-mmm-yy, h:mm AM/PM, m/d/yy h:mm, …), 45 and
// 47 (mm:ss), the East Asian date and time formats 27–36 and 50–58 (yyyy"年"m"月"d"日", …; dates
// in every East Asian locale, though excelize leaves them unformatted unless told the
// locale), and custom formats by their codes (dateCode). Format 46 ([h]:mm:ss) is a duration,
// read as its number of days.
func dateFormat(id int, custom map[int]string) bool {
	if code, ok := custom[id]; ok {
		return dateCode(code)
	}
	return 14 <= id && id <= 22 || id == 45 || id == 47 || 27 <= id && id <= 36 || 50 <= id && id <= 58
}

// dateCode reports whether a number format code shows a date or time, as excelize decides when
// it formats a cell: its first section (the one for positive numbers) has a date or time token (y, m, d, h, s, or the era year e and
// era g) outside quoted text, escapes and [brackets], and no digit placeholder (0 # ?), %,
// exponent or General. Elapsed time ([h], [mm], [ss]) is a duration, not a date; a 0 after
// seconds and a point (ss.00) is a fraction of a second.
func dateCode(code string) bool {
	var date, number, elapsed bool
	var last byte // the last date or time letter, lower case
	for i := 0; i < len(code); i++ {
		c := code[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++ // an escaped character, a space as wide as it, a fill with it
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			if in := strings.ToLower(code[i+1 : i+j]); in != "" && strings.Trim(in, "hms") == "" {
				elapsed = true
			}
			i += j
		case '0', '#', '?', '%':
			number = true
		case '.':
			if last == 's' {
				for i+1 < len(code) && code[i+1] == '0' {
					i++
				}
			}
		case 'e':
			if i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-') {
				number = true // 0.00E+00
				i++
			} else {
				date, last = true, c
			}
		case 'g':
			if strings.HasPrefix(strings.ToLower(code[i:]), "general") {
				number = true
				i += len("general") - 1
			} else {
				date, last = true, c
			}
		case 'y', 'm', 'd', 'h', 's':
			date, last = true, c
		}
	}
	return date && !number && !elapsed
}

// value is a cell as excelize gives it after readByValue: a typed date (dateMark and its
// serial number) becomes ISO text; everything else is unchanged.
func (x *xlsxReader) value(v string) string {
	s, ok := strings.CutPrefix(v, dateMark)
	if !ok {
		if s, ok = strings.CutPrefix(v, "-"+dateMark); ok {
			return "-" + s // a negative number shows no date
		}
		return v
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	if iso, ok := excelDate(serial, x.date1904); ok {
		return iso
	}
	return s
}

// excelDate is serial, a day number of a workbook's date system with the time of day as its
// fraction, as ISO text rounded to the second: "2006-01-02 15:04:05", "2006-01-02" at
// midnight, and "15:04:05" for a time alone (day 0). ok is false when serial names no day:
// negative, after 9999-12-31, or day 60 of the 1900 system, Excel's 1900-02-29 (kept from
// Lotus 1-2-3; days after it are one more than their distance from 1899-12-31).
func excelDate(serial float64, date1904 bool) (string, bool) {
	if !(serial >= 0 && serial < 3e6) { // also NaN
		return "", false
	}
	days := math.Floor(serial)
	secs := math.Round((serial - days) * 86400)
	if secs >= 86400 {
		days, secs = days+1, 0
	}
	d := int(days)
	var t time.Time
	switch {
	case d == 0:
		return time.Unix(int64(secs), 0).UTC().Format(time.TimeOnly), true
	case date1904:
		t = time.Date(1904, 1, 1+d, 0, 0, int(secs), 0, time.UTC)
	case d < 60:
		t = time.Date(1899, 12, 31+d, 0, 0, int(secs), 0, time.UTC)
	case d == 60:
		return "", false
	default:
		t = time.Date(1899, 12, 30+d, 0, 0, int(secs), 0, time.UTC)
	}
	if t.Year() > 9999 {
		return "", false
	}
	if secs == 0 {
		return t.Format(time.DateOnly), true
	}
	return t.Format(time.DateTime), true
}

// sheetList is a workbook's sheet names (joined by NUL), each quoted, listed in the reader's
// language.
type sheetList string

func (l sheetList) Localize(lang string) string {
	names := strings.Split(string(l), "\x00")
	for i, n := range names {
		names[i] = i18n.T(lang, "ingest.profile.sheet_name", n)
	}
	return strings.Join(names, i18n.T(lang, "cli.list_sep"))
}
