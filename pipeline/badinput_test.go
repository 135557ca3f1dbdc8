package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// copyTiny copies the tiny fixture into a new folder, replacing one file's content.
func copyTiny(t *testing.T, name string, body []byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"cases.csv", "contacts.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join(tinyInput, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == name {
			b = body
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBadCanonicalFiles: every broken file either fails the run with an error naming the file
// and what to do, or is loaded with its bad rows quarantined; never a crash or a lost row.
func TestBadCanonicalFiles(t *testing.T) {
	events, err := os.ReadFile(filepath.Join(tinyInput, "events.csv"))
	if err != nil {
		t.Fatal(err)
	}
	header := strings.SplitN(string(events), "\n", 2)[0] + "\n"
	for _, c := range []struct {
		name, body string
		fails      string // error text, or "" when the run succeeds
	}{
		{"empty", "", "the file is empty"},
		{"header only", header, ""},
		{"binary garbage", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe", "missing required column"},
		{"truncated mid-row", string(events[:len(events)-9]), ""},
		{"truncated inside a quote", header + "E-1,XF-001,accepted,\"2025-01-0", ""},
		{"GB18030 bytes", header + "E-1,XF-001,\xb0\xec\xbd\xe1,2025-01-02\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Input = copyTiny(t, "events.csv", []byte(c.body))
			s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
			if c.fails != "" {
				if err == nil || !strings.Contains(i18n.Localize("en", err), c.fails) || !strings.Contains(err.Error(), "events.csv") {
					t.Fatalf("err %v, want one naming events.csv and %q", err, c.fails)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			for _, in := range s.Inputs {
				if in.TableName != "events" {
					continue
				}
				lines := int64(strings.Count(strings.TrimRight(c.body, "\n"), "\n")) // data lines after the header
				if in.Read != in.Loaded+in.Quarantined || in.Read != lines {
					t.Errorf("read %d loaded %d quarantined %d; the file has %d data lines", in.Read, in.Loaded, in.Quarantined, lines)
				}
			}
		})
	}
}

// TestBadProfiledFiles: the same through a mapping profile (the Go-side path).
func TestBadProfiledFiles(t *testing.T) {
	const header = "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n"
	const row = "NYCC1,NYCC01,2023-01-02,,Housing,Heat,10001,Manhattan,New York,NYCC01,01 Manhattan\n"
	for _, c := range []struct {
		name, body string
		fails      string
		read, bad  int64
	}{
		{"empty", "", "is empty", 0, 0},
		{"header only", header, "no records loaded", 0, 0},
		{"binary garbage", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe", "the header is not valid UTF-8", 0, 0},
		{"missing column", strings.Replace(header, "opendate", "open_date", 1) + row, `has no column "opendate"`, 0, 0},
		{"truncated mid-row", header + row + row[:20], "", 2, 1},
		{"truncated inside a quote", header + row + "NYCC2,NYCC01,\"2023-01-0", "", 2, 1},
		{"GB18030 bytes", header + row + "NYCC3,NYCC01,2023-01-02,,\xb7\xbf\xce\xdd,Heat,,,,,\n", "", 2, 1},
		{"wrong field count and bad dates", header + row + "NYCC4,NYCC01\nNYCC5,NYCC01,2023-02-30,,,,,,,,\n", "", 3, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
			cfg.Input = filepath.Join(t.TempDir(), "cases.csv")
			if err := os.WriteFile(cfg.Input, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test"})
			if c.fails != "" {
				if err == nil || !strings.Contains(i18n.Localize("en", err), c.fails) {
					t.Fatalf("err %v, want %q", err, c.fails)
				}
				if !strings.Contains(err.Error(), "cases.csv") && c.fails != "no records loaded" {
					t.Errorf("error does not name the file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			in := s.Inputs[0]
			if in.Read != c.read || in.Quarantined != c.bad || in.Read != in.Loaded+in.Quarantined {
				t.Errorf("read %d loaded %d quarantined %d, want read %d quarantined %d", in.Read, in.Loaded, in.Quarantined, c.read, c.bad)
			}
			// The run record says why, by field: as many rows as were quarantined, each with the
			// line and reason of its first.
			var rejected int64
			for _, f := range in.Rejected {
				rejected += f.Rows
				if f.FirstLine == 0 || len(f.Reason) < 4 {
					t.Errorf("rejected field without line or reason: %+v", f)
				}
			}
			if rejected != in.Quarantined {
				t.Errorf("rejected fields count %d rows, quarantined %d: %+v", rejected, in.Quarantined, in.Rejected)
			}
			for _, r := range query(t, cfg, "SELECT line, reason FROM quarantine") {
				if r[0] == nil || r[1].(string) == "" {
					t.Errorf("quarantine entry without line or reason: %v", r)
				}
			}
		})
	}
}
