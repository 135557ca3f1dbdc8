// Package idnum checks Chinese resident identity numbers (居民身份证号码, GB 11643) and
// normalises phone numbers, so that the same person's identifiers hash the same.
package idnum

import (
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckDigit returns the ISO 7064 MOD 11-2 check character of the first 17 digits of an
// 18-digit resident id number.
func CheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Error is what is wrong with an identifier: the catalogue message Key (idnum.*). Its Error
// text is the English message, which the quarantine stores as a row's reason; Localize renders
// it in a language (i18n.Localize), for a reader of the quarantine.
type Error struct{ Key string }

func (e *Error) Error() string { return i18n.T("en", e.Key) }

// Localize renders the message in lang.
func (e *Error) Localize(lang string) string { return i18n.T(lang, e.Key) }

// Errors of ResidentID. They never include the number itself.
var (
	ErrIDFormat   error = &Error{"idnum.id_format"}
	ErrIDCheck    error = &Error{"idnum.id_check"}
	ErrIDBirthday error = &Error{"idnum.id_birthday"}
)

// ResidentID returns the canonical 18-character form of a resident id number: spaces dropped,
// x upper-cased, a 15-digit (1st generation) number upgraded by inserting the century 19 and
// appending its check digit. An 18-character number must carry a valid check digit and both
// forms a real birth date.
func ResidentID(s string) (string, error) {
	if !plainID(s) {
		s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	}
	switch len(s) {
	case 15:
		if !allDigits(s) {
			return "", ErrIDFormat
		}
		s = s[:6] + "19" + s[6:]
		s += string(CheckDigit(s))
	case 18:
		if !allDigits(s[:17]) || !(s[17] == 'X' || s[17] >= '0' && s[17] <= '9') {
			return "", ErrIDFormat
		}
		if CheckDigit(s) != s[17] {
			return "", ErrIDCheck
		}
	default:
		return "", ErrIDFormat
	}
	if !realDate(s[6:14]) || s[6:8] < "18" {
		return "", ErrIDBirthday
	}
	return s, nil
}

// plainID reports whether s holds only digits and X, which ResidentID need not clean.
func plainID(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != 'X' {
			return false
		}
	}
	return true
}

// realDate reports whether eight digits YYYYMMDD name a calendar date (as time.Parse with
// layout 20060102 would accept them).
func realDate(d string) bool {
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	y, m, day := num(d[:4]), num(d[4:6]), num(d[6:])
	if m < 1 || m > 12 || day < 1 {
		return false
	}
	return day <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ErrPhone says a value is not a mainland Chinese mobile or landline number.
var ErrPhone error = &Error{"idnum.phone"}

// Phone returns a phone number as digits only: separators (spaces, -, ., parentheses) and the
// country code (+86, 0086, 86) dropped, a landline's extension after 转 or # dropped. Mobile
// numbers have 11 digits starting 13-19; landlines 10 to 12 digits starting with the area
// code's 0.
func Phone(s string) (string, error) {
	if i := strings.IndexAny(s, "转#"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && i == strings.IndexRune(s, '+'):
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '（' || r == '）':
		default:
			return "", ErrPhone
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "0086"):
		d = d[4:]
	case strings.HasPrefix(d, "86") && len(d) >= 12:
		d = d[2:]
	}
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
		return d, nil
	case len(d) >= 10 && len(d) <= 12 && d[0] == '0' && d[1] != '0':
		return d, nil
	}
	return "", ErrPhone
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
