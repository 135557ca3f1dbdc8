package rules

import (
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the compiled SQL under testdata/compiled")

// compiledAsOf is the screening date the golden SQL is compiled for.
const compiledAsOf = "2025-12-31"

// TestCompiledSQL writes every statement compiled from the shipped configs (the statements that
// prepare the case state, then each rule's, disabled rules included) to testdata/compiled, so a
// change in generated SQL shows in review. Regenerate with:
//
//	go test -tags duckdb_arrow ./rules -run TestCompiledSQL -update
func TestCompiledSQL(t *testing.T) {
	for _, name := range []string{"default", "reference"} {
		t.Run(name, func(t *testing.T) {
			config := filepath.Join("..", "configs", name+".yaml")
			specs, clocks := readRuleConfig(t, config)
			got := compiledSQL(t, "configs/"+name+".yaml", specs, clocks)
			golden.Check(t, filepath.Join("testdata", "compiled", name+".sql"), got, *update)
		})
	}
}

// readRuleConfig decodes the rules: and clocks: sections of a config file into the types Compile
// takes, clocks starting from DefaultClocks as the configuration loader's do. It is the one place
// this test knows how a config file is laid out.
func readRuleConfig(t *testing.T, path string) ([]Spec, Clocks) {
	t.Helper()
	cfg, err := configs.Load(path, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Rules, cfg.Clocks
}

// compiledSQL compiles specs (all of them, disabled ones too) and lists every statement with
// its bound parameters.
func compiledSQL(t *testing.T, config string, specs []Spec, clocks Clocks) []byte {
	t.Helper()
	asOf, err := time.Parse(time.DateOnly, compiledAsOf)
	if err != nil {
		t.Fatal(err)
	}
	enabled := make([]Spec, len(specs))
	for i, s := range specs {
		on := true
		s.Enabled = &on
		enabled[i] = s
	}
	rs, err := Compile(enabled, clocks)
	if err != nil {
		t.Fatalf("%s: %v", config, err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "-- The SQL compiled from %s as of %s: what screening runs, in order.\n", config, compiledAsOf)
	fmt.Fprintf(&b, "-- Written by TestCompiledSQL (go test -tags duckdb_arrow ./rules -run TestCompiledSQL -update).\n")
	prep := PrepareSQL(clocks, asOf)
	for i, st := range prep {
		writeStatement(&b, fmt.Sprintf("prepare %d/%d", i+1, len(prep)), st.SQL, st.Args)
	}
	letters := LettersSQL(rs, asOf, asOf)
	for i, st := range letters {
		writeStatement(&b, fmt.Sprintf("letters %d/%d, kept before screening with a copied_letters rule", i+1, len(letters)), st.SQL, st.Args)
	}
	for i, r := range rs {
		title := fmt.Sprintf("rule %s (%s", r.ID, r.Kind)
		if v, ok := r.Spec.Params["signal"]; ok {
			title += fmt.Sprintf(", signal %v", v)
		}
		if v, ok := r.Spec.Params["check"]; ok {
			title += fmt.Sprintf(", check %v", v)
		}
		title += ")"
		if specs[i].Enabled != nil && !*specs[i].Enabled {
			title += ", disabled in the config"
		}
		if days, ok := r.Horizons(); ok {
			// MaterializeCases runs the same query over the rescreening tables.
			title += fmt.Sprintf(", by case: horizons %v days", days)
		}
		if g := r.byGroup; g != nil {
			title += fmt.Sprintf(", by group: horizons %v days, windows of %d days, floor %d", g.horizons, g.window, g.floor)
		}
		stmt, args := r.Query(asOf)
		if r.eval == nil {
			writeStatement(&b, title, stmt, args)
			continue
		}
		// A rule computed in Go binds its parameters to the statements as it runs them.
		writeStatement(&b, title+", computed in Go with these parameters", "", args)
		for k, step := range r.query.steps {
			writeStatement(&b, fmt.Sprintf("rule %s, statement %d/%d", r.ID, k+1, len(r.query.steps)), step, nil)
		}
		if g := r.byGroup; g != nil {
			// MaterializeGroups lists the groups to screen again, then runs the steps with
			// the first over those groups only.
			steps := append(slices.Clone(g.groups), g.first)
			for k, step := range steps {
				writeStatement(&b, fmt.Sprintf("rule %s, by group, statement %d/%d", r.ID, k+1, len(steps)), step, nil)
			}
		}
	}
	return b.Bytes()
}

// writeStatement writes one statement under a comment header naming it and listing its bound
// parameters.
func writeStatement(b *bytes.Buffer, title, stmt string, args []any) {
	fmt.Fprintf(b, "\n-- %s\n", strings.Repeat("-", 96))
	fmt.Fprintf(b, "-- %s\n", title)
	for _, a := range args {
		na := a.(sql.NamedArg)
		fmt.Fprintf(b, "--   $%s = %s\n", na.Name, sqlValue(na.Value))
	}
	if stmt != "" {
		fmt.Fprintf(b, "%s;\n", strings.TrimSpace(stmt))
	}
}

// sqlValue shows a bound value as a SQL literal; a long list shows its first values and length.
func sqlValue(v any) string {
	switch v := v.(type) {
	case string:
		return db.Literal(v)
	case []string:
		const show = 8
		if len(v) > show {
			return fmt.Sprintf("[%s, … (%d values)]", db.LiteralList(v[:show]), len(v))
		}
		return "[" + db.LiteralList(v) + "]"
	}
	return fmt.Sprint(v)
}
