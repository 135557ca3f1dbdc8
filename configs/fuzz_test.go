package configs_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/rules"
)

// FuzzConfig feeds arbitrary bytes through the config loader as `earlywarn run` does: YAML,
// defaults, strict decoding, validation, rules.Compile and Hash. It must never panic, and every
// problem it reports must name a key or a line of the file. Seeds: the shipped configs and
// testdata/fuzz/FuzzConfig.
// Run: go test -tags duckdb_arrow -run '^$' -fuzz '^FuzzConfig$' -fuzztime 20s ./configs
func FuzzConfig(f *testing.F) {
	for _, path := range []string{"default.yaml", "reference.yaml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		src := &configs.Source{Name: "fuzz.yaml", Body: body}
		cfg, err := src.Decode(nil)
		if err == nil {
			if _, cerr := rules.Compile(cfg.Rules, cfg.Clocks); cerr != nil {
				err = cfg.Locate(cerr)
			} else {
				cfg.Hash() // run records hash every config that compiles
				return
			}
		}
		var fe *configs.FileError
		if !errors.As(err, &fe) {
			t.Fatalf("%T is not a config file error: %v", err, err)
		}
		for _, p := range fe.Problems {
			var fld *configs.FieldError
			if p.Line > 0 || errors.As(p.Err, &fld) && fld.Key != "" {
				continue
			}
			t.Errorf("error names neither a key nor a line: %q", p.Err)
		}
		for _, lang := range []string{"zh", "en"} {
			for _, line := range strings.Split(fe.Localize(lang), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml") {
					t.Errorf("error line does not name the file: %q", line)
				}
			}
		}
	})
}
