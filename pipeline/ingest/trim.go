package ingest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
)

// Ids and codes are loaded without white space around them, on every path: the profile path
// trims every value in Go (trimSpace); validate trims a canonical file's ids and codes in SQL.
// A padded id (" C00002 ") is then the same record as C00002, and a padded code a known code.

// idColumns are the columns holding ids: of a record, of the case a record belongs to, of a
// person.
var idColumns = []string{"case_id", "contact_id", "event_id", "complainant_id", "person_id"}

// trimmedColumns are the columns of t that validate trims: its ids and codes.
func trimmedColumns(t data.Table) (ids, all []db.Name) {
	for _, c := range t.Columns {
		_, coded := codeColumns[c.Name]
		if slices.Contains(idColumns, c.Name) {
			ids = append(ids, db.Name(c.Name))
		}
		if coded || slices.Contains(idColumns, c.Name) {
			all = append(all, db.Name(c.Name))
		}
	}
	return ids, all
}

// spaceChars is every character unicode.IsSpace calls white space (what strings.TrimSpace and
// so the profile path trim), as a SQL expression of chr calls, for trim's second argument.
var spaceChars = func() db.Fragment {
	var chars []string
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			chars = append(chars, fmt.Sprintf("chr(%d)", r))
		}
	}
	return db.Fragment(strings.Join(chars, " || "))
}()
