package review

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/review.sql")

// TestReviewSQL writes every statement of the review (sql/*.sql as rendered, in the order of
// their declarations in sqlfiles.go) to testdata/review.sql, so a change in generated SQL shows
// in review, and fails when a file in sql/ is rendered by nothing. Regenerate with:
//
//	go test -tags duckdb_arrow ./web/review -run TestReviewSQL -update
func TestReviewSQL(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- The SQL of the review tables, rendered from web/review/sql: the schema, and what the review app\n")
	fmt.Fprintf(&b, "-- and the ledger read and write.\n")
	fmt.Fprintf(&b, "-- Written by TestReviewSQL (go test -tags duckdb_arrow ./web/review -run TestReviewSQL -update).\n")
	used := map[string]bool{}
	for _, s := range snippetFiles {
		used[s] = true
	}
	for _, f := range reviewSQL.Rendered {
		used[f.File] = true
		for i, st := range f.Stmts {
			fmt.Fprintf(&b, "\n-- %s\n", strings.Repeat("-", 96))
			title := "sql/" + f.File
			if f.Variant != "" {
				title += " (" + f.Variant + ")"
			}
			if len(f.Stmts) > 1 {
				title += fmt.Sprintf(", statement %d/%d", i+1, len(f.Stmts))
			}
			fmt.Fprintf(&b, "-- %s\n%s;\n", title, st)
		}
	}
	golden.Check(t, filepath.Join("testdata", "review.sql"), b.Bytes(), *update)

	golden.AllUsed(t, sqlFiles, "sql", used)
}
