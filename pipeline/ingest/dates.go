package ingest

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// date parses a date field with its layouts. Empty optional dates are noDate; bad, sentinel
// and future dates are rejected.
func (m *mapper) date(name string, f *field, rec *record, required bool) int32 {
	v := m.value(f, rec)
	if v == "" {
		if required {
			m.reject(name, runrecord.ReasonMissingRequired, "")
		}
		return noDate
	}
	d, ok := parseDate(v, f.Layouts, m.zone)
	if !ok && m.p.Format == "xlsx" {
		d, ok = parseDate(v, typedDateLayouts, m.zone)
	}
	switch {
	case !ok && noSuchDay(v, f.Layouts):
		m.reject(name, runrecord.ReasonNoSuchDay, v, v)
	case !ok:
		args := []string{v, strings.Join(f.Layouts, " | ")}
		if l := suggestLayout(v); l != "" {
			args = append(args, l) // the layout that would read it
		}
		m.reject(name, runrecord.ReasonBadDate, v, args...)
	case m.p.sentinels[d]:
		m.reject(name, runrecord.ReasonPlaceholderDate, v, dayString(d))
	case d > m.latest:
		m.reject(name, runrecord.ReasonFutureDate, v, dayString(d), dayString(m.latest))
	default:
		return d
	}
	return noDate
}

// suggestLayout returns a layout that reads v when v is a day written year first (2025.1.7,
// 2025-1-7 9:05, 20250107), with a time of hours and minutes (and seconds) after it, or "":
// what the reason of a date no layout reads proposes adding. A day written month or day first
// is ambiguous and gets none.
func suggestLayout(v string) string {
	var b strings.Builder
	fields := []string{"2006", "1", "2", "15", "04", "05"}
	n, digits := 0, 0
	for i, r := range v {
		isDigit := r >= '0' && r <= '9'
		switch {
		case isDigit:
			digits++
			if i+1 < len(v) && v[i+1] >= '0' && v[i+1] <= '9' {
				continue
			}
			if n == 0 && digits == 8 && !strings.ContainsFunc(v, func(r rune) bool { return r < '0' || r > '9' }) {
				return checkLayout("20060102", v)
			}
			if n >= len(fields) || n == 0 && digits != 4 || n > 0 && digits > 2 {
				return ""
			}
			b.WriteString(fields[n])
			n++
			digits = 0
		case n == 0:
			return "" // not a number first
		default:
			b.WriteRune(r)
		}
	}
	if n != 3 && n != 5 && n != 6 {
		return ""
	}
	return checkLayout(b.String(), v)
}

// checkLayout returns layout when it reads v, else "".
func checkLayout(layout, v string) string {
	if _, err := time.Parse(layout, v); err != nil {
		return ""
	}
	return layout
}

// typedDateLayouts are the layouts of a typed date cell's value as the xlsx reader gives it
// (excelDate): a date field of an xlsx source accepts them after the profile's own layouts,
// whatever those are, so a profile lists only the layouts of dates written as text.
var typedDateLayouts = []string{time.DateTime, time.DateOnly}

// noSuchDay reports whether v fits one of the layouts but names a day the calendar lacks
// (2025年2月30日), so that the reason says that rather than that no layout fits. It fits when
// it has the layout's separators in its order: 2020-03-18 read with 01/02/2006 takes 20 for a
// month, yet no layout fits it.
func noSuchDay(v string, layouts []string) bool {
	for _, l := range layouts {
		var pe *time.ParseError
		if _, err := time.Parse(l, v); errors.As(err, &pe) && strings.HasSuffix(pe.Message, "out of range") &&
			separators(l) == separators(v) {
			return true
		}
	}
	return false
}

// separators is s without its digits: a numeric layout's separators (年月日 of 2006年1月2日).
func separators(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s)
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

// dayNumber is t's date as days since 1970-01-01.
func dayNumber(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
