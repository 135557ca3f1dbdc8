package ingest

import (
	"slices"
	"testing"

	"github.com/earlywarn/earlywarn/data"
)

// TestFreeTextColumnsAreInTheSchema: every column masked on load is a text column of a
// canonical table, so that renaming one cannot silently stop its masking.
func TestFreeTextColumnsAreInTheSchema(t *testing.T) {
	for _, name := range freeTextColumns {
		found := false
		for _, tbl := range data.Tables {
			i := slices.IndexFunc(tbl.Columns, func(c data.Column) bool { return c.Name == name })
			found = found || i >= 0 && tbl.Columns[i].Type == "VARCHAR"
		}
		if !found {
			t.Errorf("free-text column %s is no text column of a canonical table", name)
		}
	}
}
