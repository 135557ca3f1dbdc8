package calendar

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// National Day 2025 as announced by the State Council: 1–8 October off (Mid-Autumn included),
// Sunday 28 September and Saturday 11 October are working days.
var nationalDay2025 = Config{
	Mode:     ModeWorking,
	Holidays: []string{"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"},
	Workdays: []string{"2025-09-28", "2025-10-11"},
}

func mustNew(t *testing.T, cfg Config) *Calendar {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAddWorkingDaysNationalDay(t *testing.T) {
	c := mustNew(t, nationalDay2025)
	tests := []struct {
		start string
		n     int
		want  string
	}{
		{"2025-09-26", 0, "2025-09-26"},
		{"2025-09-26", 1, "2025-09-28"}, // Friday → the make-up Sunday
		{"2025-09-28", 1, "2025-09-29"},
		{"2025-09-30", 1, "2025-10-09"}, // over the whole holiday week
		{"2025-09-30", 3, "2025-10-11"}, // Thursday, Friday, make-up Saturday
		{"2025-09-30", 4, "2025-10-13"},
		{"2025-10-03", 1, "2025-10-09"}, // start inside the holiday
		{"2025-09-25", 15, "2025-10-22"},
		{"2025-10-09", -1, "2025-09-30"},
		{"2025-10-13", -1, "2025-10-11"},
		{"2025-10-04", -2, "2025-09-29"},
		{"2025-09-01", 5, "2025-09-08"}, // an ordinary week
	}
	for _, tt := range tests {
		got := c.AddWorkingDays(date(tt.start), tt.n).Format(time.DateOnly)
		if got != tt.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
		}
		if got := c.AddDays(date(tt.start), tt.n).Format(time.DateOnly); got != tt.want {
			t.Errorf("AddDays in working mode (%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
		}
	}
}

func TestWorkingDaysBetweenNationalDay(t *testing.T) {
	c := mustNew(t, nationalDay2025)
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-09-26", "2025-10-12", 6}, // 28, 29, 30 Sep; 9, 10, 11 Oct
		{"2025-09-30", "2025-10-08", 0},
		{"2025-09-30", "2025-09-30", 0},
		{"2025-10-12", "2025-09-26", -6},
		{"2025-09-25", "2025-10-22", 15},
		{"2025-10-03", "2025-10-04", 0},
		{"2025-10-10", "2025-10-11", 1}, // the make-up Saturday counts
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(date(tt.a), date(tt.b)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	for d, want := range map[string]bool{"2025-09-27": false, "2025-09-28": true, "2025-10-01": false, "2025-10-04": false, "2025-10-09": true, "2025-10-11": true, "2025-10-12": false} {
		if got := c.IsWorkingDay(date(d)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", d, got, want)
		}
	}
}

func TestCalendarMode(t *testing.T) {
	c := mustNew(t, Config{Holidays: nationalDay2025.Holidays, Workdays: nationalDay2025.Workdays})
	if c.Working() {
		t.Fatal("empty mode must count calendar days")
	}
	if got := c.AddDays(date("2025-09-25"), 15).Format(time.DateOnly); got != "2025-10-10" {
		t.Errorf("AddDays(2025-09-25, 15) = %s, want 2025-10-10", got)
	}
	if got := c.DaysBetween(date("2025-09-25"), date("2025-12-24")); got != 90 {
		t.Errorf("DaysBetween = %d, want 90", got)
	}
	if got := c.DaysBetween(date("2025-03-01"), date("2024-03-01")); got != -365 {
		t.Errorf("DaysBetween backwards = %d, want -365", got)
	}
	// The working-day queries still answer in calendar mode.
	if got := c.WorkingDaysBetween(date("2025-09-26"), date("2025-10-12")); got != 6 {
		t.Errorf("WorkingDaysBetween in calendar mode = %d, want 6", got)
	}
}

// TestAgainstDayByDay checks the closed-form counting and the search against walking days one
// by one, over random starts and spans around several holiday seasons.
func TestAgainstDayByDay(t *testing.T) {
	cfg := Config{
		Mode: ModeWorking,
		Holidays: append(append([]string{}, nationalDay2025.Holidays...),
			"2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07", "2025-01-01",
			"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
			"1969-12-31"),
		Workdays: append(append([]string{}, nationalDay2025.Workdays...), "2024-09-29", "2024-10-12", "2025-01-26", "2025-02-08", "1969-12-27"),
	}
	c := mustNew(t, cfg)
	walk := func(a, b time.Time) int {
		n := 0
		for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
			if c.IsWorkingDay(d) {
				n++
			}
		}
		return n
	}
	r := rand.New(rand.NewPCG(1, 2))
	starts := []time.Time{date("2024-09-20"), date("2025-01-20"), date("2025-09-20"), date("1969-12-20")}
	for range 2000 {
		a := starts[r.IntN(len(starts))].AddDate(0, 0, r.IntN(40))
		b := a.AddDate(0, 0, r.IntN(60))
		want := walk(a, b)
		if got := c.WorkingDaysBetween(a, b); got != want {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, walking gives %d", a.Format(time.DateOnly), b.Format(time.DateOnly), got, want)
		}
		if got := c.WorkingDaysBetween(b, a); got != -want {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", b.Format(time.DateOnly), a.Format(time.DateOnly), got, -want)
		}
		n := r.IntN(81) - 40
		end := c.AddWorkingDays(a, n)
		switch {
		case n > 0 && c.WorkingDaysBetween(a, end) != n:
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d) = %s) != %d", a.Format(time.DateOnly), a.Format(time.DateOnly), n, end.Format(time.DateOnly), n)
		case n < 0 && walk(end.AddDate(0, 0, -1), a.AddDate(0, 0, -1)) != -n:
			t.Fatalf("AddWorkingDays(%s, %d) = %s: [result, start) does not hold %d working days", a.Format(time.DateOnly), n, end.Format(time.DateOnly), -n)
		case n != 0 && !c.IsWorkingDay(end):
			t.Fatalf("AddWorkingDays(%s, %d) = %s is not a working day", a.Format(time.DateOnly), n, end.Format(time.DateOnly))
		}
	}
}

func TestKeepsLocation(t *testing.T) {
	c := mustNew(t, nationalDay2025)
	sh := time.FixedZone("CST", 8*3600)
	start := time.Date(2025, 9, 30, 23, 30, 0, 0, sh) // still 30 September in Shanghai
	got := c.AddWorkingDays(start, 1)
	if got.Location() != sh || got.Format(time.DateOnly) != "2025-10-09" || got.Hour() != 0 {
		t.Errorf("AddWorkingDays = %v, want 2025-10-09 00:00 in CST", got)
	}
	cal := mustNew(t, Config{})
	if got := cal.AddDays(start, 1); got.Location() != sh || got.Format(time.DateOnly) != "2025-10-01" || got.Hour() != 0 {
		t.Errorf("AddDays in calendar mode = %v, want 2025-10-01 00:00 in CST", got)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings, one per expected problem
	}{
		{"malformed holiday", Config{Holidays: []string{"2025-10-01", "2025-13-01"}}, []string{`holidays[1]: "2025-13-01" is not a date YYYY-MM-DD`}},
		{"slashes", Config{Workdays: []string{"2025/09/28"}}, []string{`workdays[0]: "2025/09/28" is not a date`}},
		{"empty entry", Config{Holidays: []string{""}}, []string{`holidays[0]: "" is not a date`}},
		{"make-up day on a weekday", Config{Workdays: []string{"2025-09-29"}}, []string{"workdays[0]: 2025-09-29 is a Monday, already a working day"}},
		{"day in both lists", Config{Holidays: []string{"2025-09-28"}, Workdays: []string{"2025-09-28"}}, []string{"workdays[0]: 2025-09-28 is also listed as a holiday (holidays[0])"}},
		{"bad mode", Config{Mode: "weekdays"}, []string{`mode: "weekdays" is not a mode`}},
		{"all at once", Config{Mode: "x", Holidays: []string{"1.10.2025"}, Workdays: []string{"2025-10-02"}}, []string{"mode:", "holidays[0]:", "workdays[0]:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil {
				t.Fatal("New accepted a bad config")
			}
			en := i18n.Localize("en", err)
			for _, w := range tt.want {
				if !strings.Contains(en, w) {
					t.Errorf("error %q does not contain %q", en, w)
				}
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %v is not a *calendar.Error", err)
			}
		})
	}
}

// TestConfigErrorsInChinese: the problems read in Chinese by default, the weekday too.
func TestConfigErrorsInChinese(t *testing.T) {
	_, err := New(Config{Mode: "weekdays", Workdays: []string{"2025-09-29"}})
	for _, w := range []string{`mode: "weekdays" 不是计日方式`, "workdays[0]: 2025-09-29 是星期一，本就是工作日"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}
