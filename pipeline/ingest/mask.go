package ingest

import (
	"fmt"
	"slices"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/idnum"
)

// Free text is stored with its resident id numbers and phone numbers masked (idnum.MaskText):
// on the canonical path by DuckDB as a file loads (sql/mask_text.sql), on the profile path in
// Go as a record is mapped (mapper). Both use idnum's patterns, so both mask the same. Names
// in free text cannot be told from other words and stay as written.

// freeTextColumns are the canonical columns of free text, masked on load: a letter's content,
// and the words a profile found in it.
var freeTextColumns = []string{"content", "found_in_text"}

// splitText splits cols into the free-text ones and the others.
func splitText(cols []db.Name) (plain, text []db.Name) {
	for _, c := range cols {
		if slices.Contains(freeTextColumns, string(c)) {
			text = append(text, c)
		} else {
			plain = append(plain, c)
		}
	}
	return plain, text
}

// maskFragments are what sql/mask_text.sql calls for with mask: idnum's patterns and the
// markers' replacements (RE2's \1 and \2 put back the characters either side of the number),
// as literals.
var maskFragments = map[string]db.Fragment{
	"prefilter":      db.Fragment(db.Literal(idnum.MaskPrefilter)),
	"id_number":      db.Fragment(db.Literal(idnum.IDNumberInText)),
	"id_number_mark": db.Fragment(db.Literal(`\1` + idnum.MarkIDNumber + `\2`)),
	"phone":          db.Fragment(db.Literal(idnum.PhoneInText)),
	"phone_mark":     db.Fragment(db.Literal(`\1` + idnum.MarkPhone + `\2`)),
}

// maskFragment is the fragment of maskFragments named what.
func maskFragment(what string) db.Fragment {
	f, ok := maskFragments[what]
	if !ok {
		panic(fmt.Sprintf("ingest: no mask fragment %q", what))
	}
	return f
}

// maskRow masks the free text of a mapped row (see freeTextColumns).
func maskRow(r *row) {
	r.Content = idnum.MaskText(r.Content)
	r.Found = idnum.MaskText(r.Found)
}
