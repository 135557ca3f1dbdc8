package ingest

import (
	"slices"

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

// spaceClass is the RE2 class of the characters unicode.IsSpace calls white space, which
// strings.TrimSpace and so the profile path trim: ASCII's, U+0085 and Unicode's separators
// (TestSpaceClassIsUnicodeIsSpace). DuckDB's trim() takes only the space separators.
const spaceClass = `[\t\n\v\f\r\x{85}\p{Z}]`

// The patterns of white space for the SQL files (as literals): blankRE matches a value of white
// space only (regexp_full_match), paddedRE one with white space around it (regexp_matches), and
// trimRE that white space (regexp_replace with 'g').
var (
	blankRE  = db.Fragment(db.Literal(spaceClass + "*"))
	paddedRE = db.Fragment(db.Literal("^" + spaceClass + "|" + spaceClass + "$"))
	trimRE   = db.Fragment(db.Literal("^" + spaceClass + "+|" + spaceClass + "+$"))
)
