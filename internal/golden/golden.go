// Package golden compares a test's output with a golden file under testdata/, and rewrites the
// file instead when the test runs with -update (each test package defines that flag). A
// difference is reported at its first differing line.
package golden

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check compares got with the golden file at path, or writes got there first when update is
// set.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update if the change is intended)\n%s", path, FirstDifference(got, want))
	}
}

// FirstDifference shows the first line where got and want differ.
func FirstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\ngot:  %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// AllUsed fails the test for every file in folder dir of fsys (the embedded sql/ of a stage)
// that used does not name: a file no statement renders is dead.
func AllUsed(t testing.TB, fsys fs.ReadDirFS, dir string, used map[string]bool) {
	t.Helper()
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !used[e.Name()] {
			t.Errorf("%s/%s is rendered by no statement", dir, e.Name())
		}
	}
}
