package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

const bundledSample = "../../data/sample"

func TestBundledSampleSaysItNeedsNoKey(t *testing.T) {
	cfg := configs.Default()
	cfg.Input = bundledSample
	files, err := Resolve(cfg, time.Time{})
	if err != nil || len(files) != 3 || files[0].Pseudonymisation != keyNotNeeded {
		t.Fatalf("%v %+v", err, files)
	}
}

// copySample copies the bundled sample's files into a new folder (named like the sample's, to
// show the path does not count) and returns it.
func copySample(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data", "sample")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(bundledSample)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(bundledSample, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDemoKeyOnlyForBundledSample: through a profile with personal fields and without a key,
// the bundled sample's files run on the demo key, wherever they are, and the run record says
// so; any other files refuse, however their folder is named, with a message saying how to
// create a key, and CheckHeaders (validate) refuses the same.
func TestDemoKeyOnlyForBundledSample(t *testing.T) {
	cfg := configs.Default()
	cfg.Profile = "../../configs/profiles/xinfang-office-gb18030.yaml"
	demo := func(input string) {
		t.Helper()
		cfg.Input = input
		files, err := Resolve(cfg, time.Time{})
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", input, err)
		}
		for _, f := range files {
			if !f.Ignored && (f.Pseudonymisation != keyDemo || f.SHA256 == "") {
				t.Errorf("%s: %+v", f.Path, f.Input)
			}
		}
		if !strings.Contains(keyDemo, "DEMO KEY") {
			t.Error(keyDemo)
		}
	}
	refused := func(input string) {
		t.Helper()
		cfg.Input = input
		_, err := Resolve(cfg, time.Time{})
		var ce *configs.Error
		if !errors.As(err, &ce) {
			t.Fatalf("%s without a key: %v", input, err)
		}
		for _, want := range []string{"head -c 32 /dev/urandom", "pseudonymisation.key_file", "pseudonymisation.key_env"} {
			if !strings.Contains(i18n.Localize("en", err), want) || !strings.Contains(i18n.Localize("zh", err), want) {
				t.Errorf("%s: the refusal does not say %q: %v", input, want, err)
			}
		}
		if _, err := CheckHeaders(cfg); !errors.As(err, &ce) {
			t.Errorf("%s: validate without a key: %v", input, err)
		}
	}
	demo(bundledSample)
	demo(copySample(t)) // a copy elsewhere: the same checksums

	// One file changed, in a folder whose path ends in data/sample: refused.
	changed := copySample(t)
	cases := filepath.Join(changed, "cases.csv")
	b, err := os.ReadFile(cases)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-2] ^= 1
	if err := os.WriteFile(cases, b, 0o644); err != nil {
		t.Fatal(err)
	}
	refused(changed)
	// One file more: refused.
	extra := copySample(t)
	if err := os.WriteFile(filepath.Join(extra, "more.csv"), []byte("信访件编号,登记日期\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused(extra)
	refused("../../cmd/earlywarn/testdata/tiny")
}

// Canonical input is a folder: a missing one and a file (an export named without its profile)
// are told apart, and the file is pointed at --profile.
func TestCanonicalInputMustBeAFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "replies.xlsx")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, key := range map[string]string{file: "ingest.input.file_no_profile", file + ".missing": "ingest.input.no_folder"} {
		_, err := locateInputs(path)
		var e *i18n.Error
		if !errors.As(err, &e) || e.Key != key {
			t.Errorf("locateInputs(%s) = %v, want %s", path, err, key)
		}
	}
	if _, err := locateInputs(file); !strings.Contains(i18n.Localize("zh", err), "--profile") {
		t.Errorf("the file's error does not point at --profile: %s", i18n.Localize("zh", err))
	}
}

// TestValidateReportsCodesAndHeadersAtOnce: a profile giving a value that is no code and naming
// a column its file lacks is refused with both problems at once by validate (CheckHeaders), so
// that the user fixes them in one go; a run (Resolve) refuses it for its code.
func TestValidateReportsCodesAndHeadersAtOnce(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(profile, []byte(`name: p
format: csv
sources:
  - table: cases
    fields:
      case_id: {column: id}
      received_date: {column: Date Received, layouts: ["2006-01-02"]}
      channel: {column: via, map: {Phone: telephone}}
      level: {value: county}
      category: {column: cat}
      township: {column: town}
      responsible_unit: {column: unit}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "in")
	if err := os.MkdirAll(input, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(input, "cases.csv"), []byte("id,Date received,via,cat,town,unit\n1,2025-01-02,Phone,a,b,c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := configs.Default()
	cfg.Profile, cfg.Input = profile, input
	_, err := CheckHeaders(cfg)
	en := i18n.Localize("en", err)
	for _, want := range []string{`fields.channel.map.Phone: "telephone" is not a code`, `no column "Date Received"`, `"Date received", "via"`} {
		if !strings.Contains(en, want) {
			t.Errorf("validate: %v, want %q", en, want)
		}
	}
	if _, err := Resolve(cfg, time.Time{}); err == nil || !strings.Contains(i18n.Localize("en", err), "is not a code") {
		t.Errorf("run: %v, want the code refused", err)
	}
}
