// Package placeholder tells the values that say a field is not known (a profile's default such
// as 未注明区县 or 未分类, an export's Unspecified or N/A) from the values that name something.
// Such a value is no part of a matter's title (internal/title), and no group of cases is
// formed on it (the group rules in package rules): cases that share "unknown" share nothing.
package placeholder

import (
	"strings"

	"github.com/earlywarn/earlywarn/internal/db"
)

// words are the placeholders in full, lower-cased; prefixes the beginnings of the Chinese ones,
// each of 2 or 3 characters (SQL compares a value's first 2 and 3; TestSQL holds it to Is).
var (
	words    = []string{"unspecified", "unknown", "not specified", "n/a", "na", "none", "无"}
	prefixes = []string{"未注明", "未知", "未分类", "未填", "不详", "不明"}
)

// Is reports whether s says its field is not known.
func Is(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, w := range words {
		if t == w {
			return true
		}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// SQL is a DuckDB condition true when the VARCHAR expression expr is a placeholder as Is tells
// it (NULL when expr is NULL). expr is spliced in as is: SQL built from constants only.
func SQL(expr string) string {
	t := "lower(trim(" + expr + "))"
	return "(" + t + " IN (" + db.LiteralList(words) + ") OR list_has_any([" + db.LiteralList(prefixes) + "], [left(" +
		t + ", 2), left(" + t + ", 3)]))"
}
