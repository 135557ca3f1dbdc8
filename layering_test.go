package earlywarn_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/earlywarn/earlywarn/"

// layers says, for each part of the tree, which of the module's packages it may depend on
// (directly or not). A package belongs to the first part whose prefix it has. Imports run one
// way: cmd → pipeline, web → rules → data; everything may use configs and the leaves in
// internal/; the runner (pipeline) uses its stages (pipeline/ingest, pipeline/publish), which
// share only the run record (pipeline/runrecord); the pipeline reads and writes the review
// tables (web/review), the review app never the pipeline; nothing imports cmd.
var layers = []struct {
	prefix string
	may    []string
}{
	{"internal/", []string{"internal/"}},
	{"data", []string{"data", "internal/"}},
	{"configs", []string{"internal/"}},
	{"rules", []string{"configs", "data", "internal/"}},
	{"web/review", []string{"configs", "data", "internal/"}},
	{"web", []string{"web", "rules", "configs", "data", "internal/"}},
	{"pipeline/runrecord", []string{"data", "internal/"}},
	{"pipeline/publish", []string{"pipeline/runrecord", "web/review", "configs", "data", "internal/"}},
	{"pipeline/ingest", []string{"pipeline/runrecord", "configs", "data", "internal/"}},
	{"pipeline/pipelinetest", []string{"pipeline", "web/review", "rules", "configs", "data", "internal/"}},
	{"pipeline", []string{"pipeline", "web/review", "rules", "configs", "data", "internal/"}},
	{"scripts/", []string{"scripts/", "pipeline", "web", "rules", "configs", "data", "internal/"}},
	{"cmd/", []string{"pipeline", "web", "rules", "configs", "data", "internal/"}},
}

// TestLayering keeps the imports one way, from `go list -deps` of every package (tests
// excluded: a test may reach further, to build fixtures).
func TestLayering(t *testing.T) {
	cmd := exec.Command("go", "list", "-tags", "duckdb_arrow", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	checked := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		pkg := strings.TrimPrefix(fields[0], module)
		if pkg == fields[0] || pkg == "github.com/earlywarn/earlywarn" {
			continue
		}
		may, ok := allowed(pkg)
		if !ok {
			t.Errorf("package %s is in no layer of layering_test.go; add it where it belongs", pkg)
			continue
		}
		checked++
		for _, dep := range fields[1:] {
			d, ours := strings.CutPrefix(dep, module)
			if !ours || d == pkg {
				continue
			}
			if !within(d, may) {
				t.Errorf("%s depends on %s, which its layer may not use (allowed: %s)", pkg, d, strings.Join(may, ", "))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d packages; go list printed:\n%s", checked, out)
	}
}

func allowed(pkg string) ([]string, bool) {
	for _, l := range layers {
		if within(pkg, []string{l.prefix}) {
			return l.may, true
		}
	}
	return nil, false
}

// within reports whether pkg is one of prefixes, or under one: "web" covers web and web/…,
// "internal/" everything under internal.
func within(pkg string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p) || pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}
