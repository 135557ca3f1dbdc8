// Package calendar counts deadline days: either every calendar day, or working days only
// (Monday to Friday, minus configured public holidays, plus configured make-up working days,
// 调休). Dates are civil dates: only the year, month and day of a time.Time are used.
package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Modes of counting.
const (
	ModeCalendar = "calendar" // every day counts
	ModeWorking  = "working"  // only working days count
)

// Config is the calendar section of the configuration. Dates are "YYYY-MM-DD".
type Config struct {
	Mode     string   `mapstructure:"mode"`     // ModeCalendar (default when empty) or ModeWorking
	Holidays []string `mapstructure:"holidays"` // days off that would otherwise be working days (法定节假日)
	Workdays []string `mapstructure:"workdays"` // weekend days that are working days (调休上班)
}

// Calendar answers day arithmetic for one Config. The zero value is not usable; use New.
type Calendar struct {
	working  bool
	holidays []int // day numbers of holidays falling on Monday–Friday, sorted, unique
	workdays []int // day numbers of make-up working days (all on weekends), sorted, unique
	off      map[int]bool
	on       map[int]bool
}

// Error names the offending config entry, e.g. Key "holidays[2]", and what is wrong with it: the
// catalogue message Msg (calendar.*) with Args.
type Error struct {
	Key  string
	Msg  string
	Args []any
}

func (e *Error) Error() string { return e.Localize(i18n.Default) }

// Localize renders the problem in lang: the entry, then what is wrong with it.
func (e *Error) Localize(lang string) string { return e.Key + ": " + i18n.T(lang, e.Msg, e.Args...) }

// New validates cfg and builds its calendar. Every problem is reported, not only the first;
// the returned error then is an errors.Join of *Error values.
func New(cfg Config) (*Calendar, error) {
	var errs []error
	c := &Calendar{off: map[int]bool{}, on: map[int]bool{}}
	switch cfg.Mode {
	case "", ModeCalendar:
	case ModeWorking:
		c.working = true
	default:
		errs = append(errs, &Error{Key: "mode", Msg: "calendar.mode", Args: []any{cfg.Mode, ModeCalendar, ModeWorking}})
	}
	holidaySeen := map[int]string{}
	for i, s := range cfg.Holidays {
		key := fmt.Sprintf("holidays[%d]", i)
		d, ok := parseDay(s)
		if !ok {
			errs = append(errs, &Error{Key: key, Msg: "calendar.not_date", Args: []any{s}})
			continue
		}
		holidaySeen[d] = key
		if weekday(d) {
			c.off[d] = true
		}
	}
	for i, s := range cfg.Workdays {
		key := fmt.Sprintf("workdays[%d]", i)
		d, ok := parseDay(s)
		if !ok {
			errs = append(errs, &Error{Key: key, Msg: "calendar.not_date", Args: []any{s}})
			continue
		}
		if other, ok := holidaySeen[d]; ok {
			errs = append(errs, &Error{Key: key, Msg: "calendar.also_holiday", Args: []any{s, other}})
			continue
		}
		if weekday(d) {
			day := i18n.M(fmt.Sprintf("calendar.weekday.%d", fromDay(d).Weekday()))
			errs = append(errs, &Error{Key: key, Msg: "calendar.weekday_makeup", Args: []any{s, day}})
			continue
		}
		c.on[d] = true
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for d := range c.off {
		c.holidays = append(c.holidays, d)
	}
	for d := range c.on {
		c.workdays = append(c.workdays, d)
	}
	slices.Sort(c.holidays)
	slices.Sort(c.workdays)
	return c, nil
}

// Working reports whether the calendar counts working days only.
func (c *Calendar) Working() bool { return c.working }

// IsWorkingDay reports whether t's date is a working day (regardless of the mode).
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.isWorking(dayOf(t)) }

// AddDays returns the date n counted days after start in the calendar's mode: calendar days,
// or working days as AddWorkingDays. The result is midnight in start's location.
func (c *Calendar) AddDays(start time.Time, n int) time.Time {
	if c.working {
		return c.AddWorkingDays(start, n)
	}
	return fromDayIn(dayOf(start)+n, start.Location())
}

// DaysBetween counts the days in (a, b] in the calendar's mode; negative when b is before a.
func (c *Calendar) DaysBetween(a, b time.Time) int {
	if c.working {
		return c.WorkingDaysBetween(a, b)
	}
	return dayOf(b) - dayOf(a)
}

// AddWorkingDays returns the n-th working day after start; start itself is not counted, as
// the day a period starts is not counted in it, so WorkingDaysBetween(start, result) == n.
// n = 0 returns start's date. Negative n counts back: the |n|-th working day before start, so
// [result, start) holds exactly |n| working days. The result is midnight in start's location.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	a := dayOf(start)
	if n == 0 {
		return fromDayIn(a, start.Location())
	}
	// Binary search; counts are monotone in the searched day. A week holds at least
	// 5 - (holidays in it) working days, which bounds the span.
	span := (abs(n)/5+2)*7 + 7*len(c.holidays)
	if n > 0 { // first b with count(a, b) >= n
		lo, hi := a, a+span
		for lo < hi {
			mid := lo + (hi-lo)/2
			if c.count(a, mid) >= n {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return fromDayIn(lo, start.Location())
	}
	lo, hi := a-span, a-1 // last b with count(b-1, a-1) >= -n: working days in [b, a)
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if c.count(mid-1, a-1) >= -n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return fromDayIn(lo, start.Location())
}

// WorkingDaysBetween counts the working days in (a, b]: after a, up to and including b.
// It is negative (minus the working days in (b, a]) when b is before a.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int { return c.count(dayOf(a), dayOf(b)) }

func (c *Calendar) count(a, b int) int {
	if b < a {
		return -c.count(b, a)
	}
	n := weekdaysUpTo(b) - weekdaysUpTo(a)
	n -= countIn(c.holidays, a, b)
	n += countIn(c.workdays, a, b)
	return n
}

func (c *Calendar) isWorking(d int) bool {
	if c.on[d] {
		return true
	}
	return weekday(d) && !c.off[d]
}

// countIn counts the sorted days in (a, b].
func countIn(days []int, a, b int) int {
	i, _ := slices.BinarySearch(days, a+1)
	j, _ := slices.BinarySearch(days, b+1)
	return j - i
}

// Day numbers count days since 1970-01-01 (a Thursday), so day 0 has weekday index 3
// (Monday = 0).

func weekdayIndex(d int) int { return ((d+3)%7 + 7) % 7 }

func weekday(d int) bool { return weekdayIndex(d) < 5 }

// weekdaysUpTo counts the Monday–Friday days in (m0, d] for the Monday m0 = day -3
// (1969-12-29); differences of it count weekdays in any interval.
func weekdaysUpTo(d int) int {
	x := d + 3 // days since m0
	weeks := floorDiv(x, 7)
	rem := x - weeks*7 // days m+1..m+rem after a Monday m: Tue, Wed, Thu, Fri, Sat, Sun
	return weeks*5 + min(rem, 4)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func dayOf(t time.Time) int {
	y, m, d := t.Date()
	return int(floorDiv(int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()), 86400))
}

func fromDay(d int) time.Time { return epoch.AddDate(0, 0, d) }

func fromDayIn(d int, loc *time.Location) time.Time {
	y, m, dd := fromDay(d).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// parseDay is the day number of a date YYYY-MM-DD; false when s is not one.
func parseDay(s string) (int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return dayOf(t), true
}
