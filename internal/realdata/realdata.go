// Package realdata finds shared/data/real, the public datasets that lie beside the repository,
// for the tests that load them.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// File returns the path of name, a path under shared/data/real, found from the working
// directory upwards. When shared/data/real is not there (a clone on its own) it skips t; when
// the environment variable CI is set, where the folder always is, it fails t instead, so that a
// skip cannot hide a broken path.
func File(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		real := filepath.Join(dir, "shared", "data", "real")
		if st, err := os.Stat(real); err == nil && st.IsDir() {
			return filepath.Join(real, name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but shared/data/real is not beside the repository")
	}
	t.Skip("skipped: shared/data/real is not beside the repository; these tests run where it is, and always in CI")
	return ""
}
