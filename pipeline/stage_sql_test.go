package pipeline

import (
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/stage.sql")

// TestStageSQL writes every statement of the stages (sql/*.sql as rendered, in the order a run
// executes them) to testdata/stage.sql, so a change in generated SQL shows in review. The
// rules' statements are in rules/testdata/compiled. Regenerate with:
//
//	go test -tags duckdb_arrow ./pipeline -run TestStageSQL -update
func TestStageSQL(t *testing.T) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- The SQL of the pipeline's stages, rendered from pipeline/sql: what a run and a backtest execute\n")
	fmt.Fprintf(&b, "-- besides the rules' statements and the DDL of the canonical and review tables.\n")
	fmt.Fprintf(&b, "-- Written by TestStageSQL (go test -tags duckdb_arrow ./pipeline -run TestStageSQL -update).\n")
	for _, f := range stageSQL.Rendered {
		for i, st := range f.Stmts {
			fmt.Fprintf(&b, "\n-- %s\n", strings.Repeat("-", 96))
			title := "sql/" + f.File
			if len(f.Stmts) > 1 {
				title += fmt.Sprintf(", statement %d/%d", i+1, len(f.Stmts))
			}
			fmt.Fprintf(&b, "-- %s\n%s;\n", title, st)
		}
	}
	got := b.Bytes()
	golden.Check(t, filepath.Join("testdata", "stage.sql"), got, *update)
}

// TestEverySQLFileIsRendered keeps sql/ free of files no stage runs.
func TestEverySQLFileIsRendered(t *testing.T) {
	used := map[string]bool{"tiers.sql": true, "track_worse.sql": true} // snippets
	for _, f := range stageSQL.Rendered {
		used[f.File] = true
	}
	golden.AllUsed(t, sqlFiles, "sql", used)
}

func TestUsedArgsIgnoresComments(t *testing.T) {
	args := []any{sql.Named("a", 1), sql.Named("b", 2)}
	got := usedArgs("-- $a and $b\nSELECT $b", args)
	if len(got) != 1 || got[0].(sql.NamedArg).Name != "b" {
		t.Errorf("got %v, want only $b", got)
	}
}
