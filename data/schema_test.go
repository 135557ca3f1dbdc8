package data

import (
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Every code of every code list has its name in the catalogue, or it would show as the code.
func TestEveryCodeHasALabel(t *testing.T) {
	for _, list := range [][]Code{Channels, Levels, EventTypes, Results} {
		for _, c := range list {
			if key := "label." + c.Group + "." + c.Code; !i18n.Has(key) {
				t.Errorf("the catalogue lacks %s", key)
			}
		}
	}
	for code, zh := range map[string]string{"supervised": "督办", "return_visit": "回访", "evaluated": "评价"} {
		if got := (Code{code, "event"}).Label("zh"); got != zh {
			t.Errorf("%s is %q in Chinese, want %s", code, got, zh)
		}
	}
	if got := (Code{"unsatisfied", "result"}).Label("zh"); got != "不满意" {
		t.Errorf("unsatisfied is %q in Chinese, want 不满意", got)
	}
}

// The optional columns a database made by an earlier version lacks are added on open (see the
// pipeline's schema), so a column added since must not be required.
func TestEventsResultIsOptional(t *testing.T) {
	for _, c := range Events.Columns {
		if c.Name == "result" && c.Required {
			t.Error("events.result is required; canonical files without it would no longer load")
		}
	}
}
