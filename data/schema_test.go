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
	if got := EventTypes[2].Label("zh"); got != "督办" {
		t.Errorf("supervised is %q in Chinese, want 督办", got)
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
