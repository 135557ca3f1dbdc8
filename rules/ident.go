package rules

import "strings"

// Ident quotes a SQL identifier for DuckDB. Every identifier that comes from configuration
// goes through it; values are bound as parameters, never spliced into SQL.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
