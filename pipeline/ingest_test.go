package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// contactsHeader is the canonical contacts header without the optional linking columns.
const contactsHeader = "contact_id,case_id,contact_date,channel,level,person_id,head_count\n"

// quarantined lists the quarantine rows of one file as "line field: reason [raw]", by line,
// the reason rendered in English.
func quarantined(t *testing.T, cfg configs.Config, runID, file string) []string {
	t.Helper()
	var out []string
	for _, r := range query(t, cfg, "SELECT line, field, reason, raw FROM quarantine WHERE run_id = $1 AND file = $2 ORDER BY line, field", runID, file) {
		field, _ := r[1].(string)
		out = append(out, fmt.Sprintf("%v %v: %v [%v]", r[0], r[1], runrecord.RenderReason("en", field, r[2].(string)), r[3]))
	}
	return out
}

// TestCanonicalCSVQuarantinesEachBadRowWithItsLine covers every check of the canonical CSV
// path on one contacts file: the reader's own rejects, required fields (empty and blank),
// code lists, head counts, placeholder and future dates, duplicate ids (the more complete row
// stands, else the later), a row breaking two checks, a quoted field spanning two lines, and
// a blank id between two copies of an id.
func TestCanonicalCSVQuarantinesEachBadRowWithItsLine(t *testing.T) {
	body := contactsHeader +
		"V-01,XF-001,2025-03-01,visit,county,P-a,1\n" + // 2
		"V-02,XF-001,2025-03-02,fax,county,P-a,1\n" + // 3 unknown channel
		"V-03,XF-001,2025-03-03,visit,county,   ,1\n" + // 4 blank person
		"V-04,XF-001,2025-03-04,visit,county,P-a,0\n" + // 5 head count 0
		"V-05,XF-001,1900-01-01,visit,county,P-a,1\n" + // 6 placeholder date
		"V-06,XF-001,2025-07-15,visit,county,P-a,1\n" + // 7 after the day of the run
		"V-07,XF-001,not-a-date,visit,county,P-a,1\n" + // 8 the reader rejects it
		"V-08,XF-001,2025-03-08,fax,town,P-a,1\n" + // 9 two unknown codes
		"V-01,,2025-03-09,visit,county,P-a,1\n" + // 10 duplicate, less complete than line 2
		"V-09,XF-002,2025-03-10,visit,county,P-b,1\n" + // 11 duplicate, earlier than line 12
		"V-09,XF-002,2025-03-11,visit,county,P-b,2\n" + // 12 stands
		"V-10,XF-002,2025-03-12,visit,county,\"P-b\nsecond line\",1\n" + // 13-14 one record
		"V-11,XF-002,2025-03-13,,county,P-b,1\n" + // 15 empty channel
		"V-12,XF-002,2025-03-14,visit,county,P-b,1\n" + // 16 stands
		",XF-002,2025-03-15,visit,county,P-b,1\n" + // 17 empty id
		"V-12,XF-002,2025-03-16,visit,county,P-b,1\n" // 18 duplicate of 16 across an empty id, later: stands
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "contacts.csv", []byte(body))
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Today: asOf(t, "2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	var res FileResult
	for _, in := range s.Inputs {
		if in.TableName == "contacts" {
			res = in
		}
	}
	if res.Read != 16 || res.Loaded != 4 || res.Quarantined != 12 {
		t.Errorf("contacts: read %d loaded %d quarantined %d, want 16 = 4 + 12", res.Read, res.Loaded, res.Quarantined)
	}
	want := []string{
		"3 channel: unknown code fax; expected one of letter, visit, online, phone [fax]",
		"4 person_id: required field is empty [V-03]",
		"5 head_count: head count must be a whole number of at least 1, got 0 [0]",
		"6 contact_date: placeholder date 1900-01-01 means the date is unknown [1900-01-01]",
		"7 contact_date: date 2025-07-15 is after the day of the run, 2025-07-01 [2025-07-15]",
		"8 contact_date: not a date in the form YYYY-MM-DD [V-07,XF-001,not-a-date,visit,county,P-a,1]",
		"9 channel: unknown code fax; expected one of letter, visit, online, phone; level: unknown code town; expected one of county, city, province, national [fax]",
		"10 contact_id: duplicate id within the file; a more complete or later row with the same id was loaded [V-01]",
		"11 contact_id: duplicate id within the file; a more complete or later row with the same id was loaded [V-09]",
		"15 channel: required field is empty [V-11]",
		"16 contact_id: duplicate id within the file; a more complete or later row with the same id was loaded [V-12]",
		"17 contact_id: required field is empty [<nil>]",
	}
	got := quarantined(t, cfg, s.RunID, res.Path)
	if !slices.Equal(got, want) {
		t.Errorf("quarantine:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ids := query(t, cfg, "SELECT contact_id, contact_date::VARCHAR, coalesce(case_id, '') FROM contacts ORDER BY ALL")
	if fmt.Sprint(ids) != "[[V-01 2025-03-01 XF-001] [V-09 2025-03-11 XF-002] [V-10 2025-03-12 XF-002] [V-12 2025-03-16 XF-002]]" {
		t.Errorf("contacts loaded: %v", ids)
	}
}

// TestLaterFileReplacesRecordsAndQuarantinesWithLines: a second file for a table that already
// holds records replaces the records whose ids it carries and adds the rest, with its own
// duplicates and bad rows quarantined at their lines; the first file's records it does not
// name stay.
func TestLaterFileReplacesRecordsAndQuarantinesWithLines(t *testing.T) {
	cfg := testConfig(t)
	run(t, cfg)
	body := contactsHeader +
		"V-001,XF-001,2025-03-02,visit,county,P-a,1\n" + // 2 replaces V-001
		"V-100,XF-002,2025-06-10,phone,county,P-b,1\n" + // 3 new
		"V-001,,2025-03-03,visit,county,P-a,1\n" + // 4 duplicate, less complete than line 2
		"V-101,XF-002,2025-06-11,visit,nowhere,P-b,1\n" + // 5 unknown level
		"V-002,XF-001,not-a-date,visit,county,P-a,1\n" // 6 the reader rejects it; V-002 stays as loaded before
	cfg.Input = copyTiny(t, "contacts.csv", []byte(body))
	s := run(t, cfg)
	var res FileResult
	for _, in := range s.Inputs {
		switch {
		case in.TableName == "contacts":
			res = in
		case !in.Skipped:
			t.Errorf("%s loaded again although unchanged", in.Path)
		}
	}
	if res.Skipped || res.Read != 5 || res.Loaded != 2 || res.Quarantined != 3 {
		t.Errorf("contacts: %+v, want read 5 = 2 loaded + 3 quarantined", res)
	}
	want := []string{
		"4 contact_id: duplicate id within the file; a more complete or later row with the same id was loaded [V-001]",
		"5 level: unknown code nowhere; expected one of county, city, province, national [nowhere]",
		"6 contact_date: not a date in the form YYYY-MM-DD [V-002,XF-001,not-a-date,visit,county,P-a,1]",
	}
	if got := quarantined(t, cfg, s.RunID, res.Path); !slices.Equal(got, want) {
		t.Errorf("quarantine:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got := query(t, cfg, `SELECT count(*), count(*) FILTER (WHERE contact_id = 'V-001'),
  any_value(contact_date::VARCHAR) FILTER (WHERE contact_id = 'V-001'), count(*) FILTER (WHERE contact_id IN ('V-002', 'V-100')) FROM contacts`)[0]
	if fmt.Sprint(got) != "[13 1 2025-03-02 2]" {
		t.Errorf("contacts after the second file: %v, want 13 with V-001 replaced (dated 2025-03-02), V-002 kept and V-100 added", got)
	}
}

// TestDuplicateIdsInAnyOrder: repeated ids are found whether the file's ids ascend (the cheap
// test), descend or are mixed, and across rows without an id.
func TestDuplicateIdsInAnyOrder(t *testing.T) {
	row := func(id, date string) string { return id + ",XF-001," + date + ",visit,county,P-a,1\n" }
	for _, c := range []struct {
		name, body string
		want       []string // lines quarantined as duplicates
	}{
		{"ascending", row("V-1", "2025-03-01") + row("V-2", "2025-03-02") + row("V-3", "2025-03-03"), nil},
		{"descending", row("V-3", "2025-03-01") + row("V-2", "2025-03-02") + row("V-1", "2025-03-03"), nil},
		{"ascending with a repeat", row("V-1", "2025-03-01") + row("V-2", "2025-03-02") + row("V-2", "2025-03-03") + row("V-3", "2025-03-04"), []string{"3"}},
		{"repeat across an empty id", row("V-1", "2025-03-01") + row("", "2025-03-02") + row("V-1", "2025-03-03"), []string{"2"}},
		{"mixed with repeats", row("V-2", "2025-03-01") + row("V-1", "2025-03-02") + row("V-2", "2025-03-03") + row("V-1", "2025-03-04") + row("V-2", "2025-03-05"), []string{"2", "3", "4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Input = copyTiny(t, "contacts.csv", []byte(contactsHeader+c.body))
			s := run(t, cfg)
			var lines []string
			for _, q := range query(t, cfg, "SELECT line FROM quarantine WHERE run_id = $1 AND file LIKE '%contacts.csv' AND reason LIKE '%\"duplicate_id\"%' ORDER BY line", s.RunID) {
				lines = append(lines, fmt.Sprint(q[0]))
			}
			if !slices.Equal(lines, c.want) {
				t.Errorf("duplicates quarantined at lines %v, want %v", lines, c.want)
			}
		})
	}
}

// TestBlankRequiredFields: a required field holding only white space, ASCII or Unicode (the
// ideographic space of Chinese text among them; what the profile path trims), counts as empty;
// one with a space beside other text does not.
func TestBlankRequiredFields(t *testing.T) {
	for _, c := range []struct {
		name, person string
		blank        bool
	}{
		{"spaces", "   ", true},
		{"quoted empty", `""`, true},
		{"ideographic spaces", "\u3000\u3000", true},
		{"no-break and em space", "\u00a0\u2003", true},
		{"text after a space", " P-a", false},
		{"text after an ideographic space", "\u3000P-a", false},
		{"a tab and a line separator", "\t\u2028", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Input = copyTiny(t, "contacts.csv", []byte(contactsHeader+"V-1,XF-001,2025-03-01,visit,county,"+c.person+",1\n"))
			s := run(t, cfg)
			got := quarantined(t, cfg, s.RunID, filepath.Join(cfg.Input, "contacts.csv"))
			want := []string(nil)
			if c.blank {
				want = []string{"2 person_id: required field is empty [V-1]"}
			}
			if !slices.Equal(got, want) {
				t.Errorf("quarantine %q, want %q", got, want)
			}
		})
	}
}

// TestRunRecordsEachFilesChecksum: the checksums computed in the background while earlier
// files load are each file's own, in the run record and in loaded_files.
func TestRunRecordsEachFilesChecksum(t *testing.T) {
	cfg := testConfig(t)
	s := run(t, cfg)
	stored := map[string]string{}
	for _, r := range query(t, cfg, "SELECT path, sha256 FROM loaded_files") {
		stored[r[0].(string)] = r[1].(string)
	}
	for _, in := range s.Inputs {
		sum := sha256.Sum256([]byte(readFile(t, in.Path)))
		if want := hex.EncodeToString(sum[:]); in.SHA256 != want || stored[in.Path] != want {
			t.Errorf("%s: run record says %q, loaded_files %q, want %q", in.Path, in.SHA256, stored[in.Path], want)
		}
	}
}

// TestLineWithTwoUnreadableFieldsIsOneRow: the CSV reader reports each field it cannot
// convert; the line is still one row read and one quarantined, with both reasons.
func TestLineWithTwoUnreadableFieldsIsOneRow(t *testing.T) {
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "contacts.csv", []byte(contactsHeader+
		"V-1,XF-001,not-a-date,visit,county,P-a,x\n"+
		"V-2,XF-001,2025-03-02,visit,county,P-a,1\n"))
	s := run(t, cfg)
	for _, in := range s.Inputs {
		if in.TableName == "contacts" && (in.Read != 2 || in.Loaded != 1 || in.Quarantined != 1) {
			t.Errorf("contacts: read %d loaded %d quarantined %d, want 2 = 1 + 1", in.Read, in.Loaded, in.Quarantined)
		}
	}
	got := quarantined(t, cfg, s.RunID, filepath.Join(cfg.Input, "contacts.csv"))
	if len(got) != 1 || !strings.HasPrefix(got[0], "2 contact_date: not a date") || !strings.Contains(got[0], "; head_count: not a whole number") || !strings.Contains(got[0], ",x]") {
		t.Errorf("quarantine %q, want one row for line 2 naming contact_date first and both reasons", got)
	}
}
