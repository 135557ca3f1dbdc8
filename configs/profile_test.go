package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func TestProfileErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"format: xml\nfields: {}", `format "xml"`},
		{"format: csv\nfields: {case_id: {column: a}}", "fields.received_date is required"},
		{"format: csv\nencoding: latin1\nfields: {}", "encoding"},
		{"format: csv\nbogus: 1\nfields: {}", "bogus"},
		{"format: csv\nfields: {colour: {column: a}}", "fields.colour: unknown field"},
		{"format: csv\nfields: {case_id: {column: a, value: b}}", "exactly one of"},
		{"format: csv\nfields: {received_date: {column: a}}", "layouts"},
		{"format: csv\nskip_lines: 1\nheader_prefix: x\nfields: {}", "not both"},
		{"format: csv\ntimezone: Mars/Olympus\nfields: {}", "timezone"},
	} {
		_, err := ParseProfile("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(i18n.Localize("en", err), c.want) || !strings.Contains(err.Error(), "p.yaml") {
			t.Errorf("%q: %v, want %q", c.yaml, err, c.want)
		}
		if err != nil && !strings.Contains(err.Error(), "映射配置") {
			t.Errorf("%q: %v does not render in the default language (zh)", c.yaml, err)
		}
	}
}

func TestShippedProfilesLoad(t *testing.T) {
	paths, _ := filepath.Glob("profiles/*.yaml")
	if len(paths) < 6 {
		t.Fatalf("profiles: %v", paths)
	}
	for _, p := range paths {
		if _, err := LoadProfile(p); err != nil {
			t.Error(err)
		}
	}
}

// FuzzProfile parses arbitrary profile YAML: an error names the file, never a panic.
func FuzzProfile(f *testing.F) {
	paths, _ := filepath.Glob("profiles/*.yaml")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("format: csv\nfields: {case_id: {columns: [a, a]}, received_date: {column: b, layouts: [\"\"]}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProfile("fuzz.yaml", b)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, n := range RequiredFields {
			if _, ok := p.Fields[n]; !ok {
				t.Fatalf("accepted without %s", n)
			}
		}
	})
}
