package rules

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/calendar"
)

// nationalDay2025 is the 2025 National Day break: 1–8 October off, Sunday 28 September and
// Saturday 11 October worked (调休).
var nationalDay2025 = calendar.Config{Mode: calendar.ModeWorking,
	Holidays: []string{"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"},
	Workdays: []string{"2025-09-28", "2025-10-11"}}

func TestWorkingDayDeadlines(t *testing.T) {
	clocks := DefaultClocks()
	clocks.Calendar = nationalDay2025
	// Received Monday 22 September: the 15th working day after is 17 October, not 7 October.
	cal, _ := calendar.New(nationalDay2025)
	received, _ := time.Parse(time.DateOnly, "2025-09-22")
	if got := cal.AddWorkingDays(received, 15).Format(time.DateOnly); got != "2025-10-17" {
		t.Fatalf("calendar: 15 working days after 2025-09-22 is %s, want 2025-10-17", got)
	}
	for _, tt := range []struct {
		clocks Clocks
		asOf   string
		want   string // deadline
	}{
		{DefaultClocks(), "2025-10-10", "2025-10-07"},
		{clocks, "2025-10-10", "2025-10-17"},
		{clocks, "2025-10-18", "2025-10-17"},
	} {
		q := datatest.New(t)
		datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: "2025-09-22"})
		day, _ := time.Parse(time.DateOnly, tt.asOf)
		for _, st := range PrepareSQL(tt.clocks, day) {
			datatest.Exec(t, q, st.SQL, st.Args...)
		}
		var deadline string
		if err := q.QueryRowContext(context.Background(), `SELECT strftime(deadline, '%Y-%m-%d') FROM `+StateTable).Scan(&deadline); err != nil {
			t.Fatal(err)
		}
		if deadline != tt.want {
			t.Errorf("%s as of %s: deadline %s, want %s", tt.clocks.Calendar.Mode, tt.asOf, deadline, tt.want)
		}
	}
}

func TestCalendarErrorsNameTheEntry(t *testing.T) {
	clocks := DefaultClocks()
	clocks.Calendar = calendar.Config{Mode: "lunar", Holidays: []string{"2025-10-01", "2025-13-01"}}
	_, err := Compile([]Spec{{ID: "s", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "overdue"}}}, clocks)
	for _, want := range []string{"clocks.calendar.mode:", "clocks.calendar.holidays[1]:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want one naming %s", err, want)
		}
	}
}
