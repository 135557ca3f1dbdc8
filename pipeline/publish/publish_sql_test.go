package publish

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/publish.sql")

// TestPublishSQL writes every statement of the stage (sql/*.sql as rendered, each language
// where the statement differs) to testdata/publish.sql, so a change in generated SQL shows in
// review, and fails when a file of sql/ renders no statement. Regenerate with:
//
//	go test -tags duckdb_arrow ./pipeline/publish -run TestPublishSQL -update
func TestPublishSQL(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- The SQL of the publish stage, rendered from pipeline/publish/sql: what writing a run's\n")
	fmt.Fprintf(&b, "-- watchlist.parquet, watchlist.csv, quarantine.csv, report.html and watchlist.xlsx executes.\n")
	fmt.Fprintf(&b, "-- Values are bound parameters.\n")
	fmt.Fprintf(&b, "-- Written by TestPublishSQL (go test -tags duckdb_arrow ./pipeline/publish -run TestPublishSQL -update).\n")
	used := map[string]bool{}
	for _, f := range snippetFiles {
		used[f] = true
	}
	for _, r := range publishSQL.Rendered {
		used[r.File] = true
		title := "sql/" + r.File
		if r.Variant != "" {
			title += ", " + r.Variant
		}
		fmt.Fprintf(&b, "\n-- %s\n-- %s\n%s;\n", strings.Repeat("-", 96), title, r.Stmts[0])
	}
	golden.Check(t, filepath.Join("testdata", "publish.sql"), b.Bytes(), *update)

	golden.AllUsed(t, sqlFiles, "sql", used)
}
