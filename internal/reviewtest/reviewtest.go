// Package reviewtest gives the review packages' tests a database made by a real run of the
// pipeline on the tiny fixture of cmd/earlywarn.
package reviewtest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
)

// AsOf is the screening date of the fixture runs.
const AsOf = "2025-06-30"

// Config is the built-in default config pointed at the tiny fixture, a database and an output
// folder in a fresh temporary folder.
func Config(t testing.TB) pipeline.Config {
	t.Helper()
	var raw map[string]any
	if err := yaml.Unmarshal(configs.Default, &raw); err != nil {
		t.Fatal(err)
	}
	cfg := pipeline.DefaultConfig()
	if err := mapstructure.Decode(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	dir := t.TempDir()
	cfg.Input = filepath.Join(filepath.Dir(file), "..", "..", "cmd", "earlywarn", "testdata", "tiny")
	cfg.Database = filepath.Join(dir, "ew.duckdb")
	cfg.Output = filepath.Join(dir, "out")
	cfg.Threads = 2
	return cfg
}

// Run runs the pipeline on cfg as of AsOf and returns its summary.
func Run(t testing.TB, cfg pipeline.Config) *pipeline.Summary {
	t.Helper()
	s, err := pipeline.Run(context.Background(), cfg, pipeline.Options{AsOf: AsOf, Version: "test"})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return s
}

// Open opens cfg's database, closed when the test ends.
func Open(t testing.TB, cfg pipeline.Config) *sql.DB {
	t.Helper()
	db, err := pipeline.OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs statements or fails the test.
func Exec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Hostile is complaint text that breaks out of HTML elements, attributes and scripts when it is
// not escaped, and names an outside address.
const Hostile = `</td><script>alert(1)</script>"><img src="http://evil.example/x.png" onerror="alert(2)">' onmouseover='alert(3)<style>@import url(https://evil.example/a.css);</style>`

// Exists reports whether path exists.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
