package idnum

import (
	"errors"
	"testing"
)

func TestResidentID(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"11010519491231002X", "11010519491231002X", nil}, // the GB 11643 example
		{"11010519491231002x", "11010519491231002X", nil},
		{" 110105 19491231 002X ", "11010519491231002X", nil},
		{"110105491231002", "11010519491231002X", nil}, // 15 digits upgraded
		{"440524188001010014", "440524188001010014", nil},
		{"110105194912310021", "", ErrIDCheck},
		{"11010519491331002X", "", ErrIDCheck},
		{"11010519491331002" + string(CheckDigit("11010519491331002")), "", ErrIDBirthday}, // month 13
		{"1101051949123100", "", ErrIDFormat},
		{"11010519491231002Y", "", ErrIDFormat},
		{"", "", ErrIDFormat},
		{"11010549123100A", "", ErrIDFormat},
		{"11010520000229" + "123" + string(CheckDigit("11010520000229123")), "11010520000229123" + string(CheckDigit("11010520000229123")), nil}, // a leap day
		{"11010519000229123" + string(CheckDigit("11010519000229123")), "", ErrIDBirthday},                                                       // 1900 was not a leap year
		{"11010519490431002" + string(CheckDigit("11010519490431002")), "", ErrIDBirthday},                                                       // April 31
		{"11010519490100002" + string(CheckDigit("11010519490100002")), "", ErrIDBirthday},                                                       // day 0
		{"11010517991231002" + string(CheckDigit("11010517991231002")), "", ErrIDBirthday},                                                       // before 1800
	} {
		got, err := ResidentID(c.in)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ResidentID(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestCheckDigitMatchesEveryValidNumber(t *testing.T) {
	// Changing any one of the 17 digits must change the check character (MOD 11-2 catches
	// every single-digit error).
	base := "11010519491231002"
	for i := 0; i < 17; i++ {
		for d := byte('0'); d <= '9'; d++ {
			if d == base[i] {
				continue
			}
			v := base[:i] + string(d) + base[i+1:]
			if CheckDigit(v) == CheckDigit(base) {
				t.Fatalf("changing digit %d to %c keeps check %c", i, d, CheckDigit(base))
			}
		}
	}
}

func TestPhone(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"13812345678", "13812345678", nil},
		{"138 1234 5678", "13812345678", nil},
		{"+86 138-1234-5678", "13812345678", nil},
		{"0086 13812345678", "13812345678", nil},
		{"8613812345678", "13812345678", nil},
		{"(010) 6512-3456", "01065123456", nil},
		{"0571-87654321转123", "057187654321", nil},
		{"12345", "", ErrPhone},
		{"1381234567a", "", ErrPhone},
		{"23812345678", "", ErrPhone},
		{"", "", ErrPhone},
	} {
		got, err := Phone(c.in)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Phone(%q) = %q, %v; want %q, %v", c.in, got, err, c.want, c.err)
		}
	}
}
