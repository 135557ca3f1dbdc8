package main

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/rules"
)

var namesALine = regexp.MustCompile(`\bline \d+\b`)

// FuzzConfig feeds arbitrary bytes through the config loader as `earlywarn run` does: YAML,
// defaults, strict decoding, Compile and Hash. It must never panic, and every problem it reports
// must name a key or a line of the file. Seeds: the shipped configs and testdata/fuzz/FuzzConfig.
// Run: go test -tags duckdb_arrow -run '^$' -fuzz '^FuzzConfig$' -fuzztime 20s ./cmd/earlywarn
func FuzzConfig(f *testing.F) {
	for _, path := range []string{"../../configs/default.yaml", "../../configs/reference.yaml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		src := configSource{name: "fuzz.yaml", body: body}
		cfg, err := decodeConfig(&src, nil)
		if err == nil {
			if _, cerr := cfg.Compile(); cerr != nil {
				err = withLines(src, cerr)
			} else {
				cfg.Hash() // run records hash every config that compiles
				return
			}
		}
		var cfe *configFileError
		if !errors.As(err, &cfe) {
			t.Fatalf("%T is not a config file error: %v", err, err)
		}
		for _, e := range cfe.errs {
			var fe *rules.FieldError
			if errors.As(e, &fe) && fe.Key != "" || namesALine.MatchString(e.Error()) {
				continue
			}
			t.Errorf("error names neither a key nor a line: %q", e)
		}
		for _, line := range strings.Split(cfe.Error(), "\n") {
			if !strings.HasPrefix(line, "fuzz.yaml") {
				t.Errorf("error line does not name the file: %q", line)
			}
		}
	})
}
