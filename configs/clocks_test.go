package configs

import (
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/calendar"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// TestCalendarErrorsAreFieldErrors: a problem of the calendar names its key under
// clocks.calendar and reads in the user's language.
func TestCalendarErrorsAreFieldErrors(t *testing.T) {
	c := DefaultClocks()
	c.Calendar = calendar.Config{Mode: calendar.ModeWorking, Workdays: []string{"2025-09-29"}}
	errs := c.Validate()
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	for lang, want := range map[string]string{
		"zh": "clocks.calendar.workdays[0]: 2025-09-29 是星期一，本就是工作日",
		"en": "clocks.calendar.workdays[0]: 2025-09-29 is a Monday, already a working day",
	} {
		if got := i18n.Localize(lang, errs[0]); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}
