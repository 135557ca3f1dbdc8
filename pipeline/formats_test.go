package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

const casesHeader = "case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n"

// toParquet writes the CSV file from as a Parquet file to, every column text unless types
// gives it another.
func toParquet(t *testing.T, from, to string, types map[string]string) {
	t.Helper()
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sel := "*"
	if len(types) > 0 {
		var casts []string
		for c, typ := range types {
			casts = append(casts, fmt.Sprintf("TRY_CAST(%s AS %s) AS %s", c, typ, c))
		}
		slices.Sort(casts)
		sel = "* REPLACE (" + strings.Join(casts, ", ") + ")"
	}
	stmt := fmt.Sprintf("COPY (SELECT %s FROM read_csv('%s', header = true, all_varchar = true)) TO '%s' (FORMAT parquet)", sel, from, to)
	if _, err := conn.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

// asParquet replaces table's CSV file in folder dir by a Parquet file of the same rows.
func asParquet(t *testing.T, dir, table string, types map[string]string) string {
	t.Helper()
	from := filepath.Join(dir, table+".csv")
	to := filepath.Join(dir, table+".parquet")
	toParquet(t, from, to, types)
	if err := os.Remove(from); err != nil {
		t.Fatal(err)
	}
	return to
}

// loadOnce runs cfg and returns the run id and the result for table.
func loadOnce(t *testing.T, cfg configs.Config, table string) (string, FileResult) {
	t.Helper()
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Today: asOf(t, "2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range s.Inputs {
		if in.TableName == table {
			return s.RunID, in
		}
	}
	t.Fatalf("no %s file in %+v", table, s.Inputs)
	return "", FileResult{}
}

// TestParquetValuesCheckedLikeCSV: a canonical Parquet file whose values are text goes through
// the checks of a CSV file with the same rows: a value that does not convert to its column's
// type (a head count too large for it or not a number, a day the calendar lacks) is quarantined
// with the reason the CSV reader gives and the value as its raw value, not loaded as NULL; the
// row checks, codes (trimmed) and required fields are the same. A Parquet file's line is the
// row's number in the file.
func TestParquetValuesCheckedLikeCSV(t *testing.T) {
	body := casesHeader +
		"XF-101,2025-06-01,visit,county,P-x,1,教育,城关镇,,,县教育局,,\n" + // row 1, line 2
		"XF-102,2025-06-01,visit,county,P-x,24000000000,教育,城关镇,,,县教育局,,\n" + // too large for INTEGER
		"XF-103,2025-06-01,visit,county,P-x,fifteen,教育,城关镇,,,县教育局,,\n" + // not a number
		"XF-104,2025-02-30,visit,county,P-x,1,教育,城关镇,,,县教育局,,\n" + // no such day
		"XF-105,2025-06-01,visit,county,P-x,0,教育,城关镇,,,县教育局,,\n" + // a head count below 1
		"XF-106,2025-06-01, visit ,county,P-x,1,教育,城关镇,,,县教育局,,\n" + // a padded code: loads
		"XF-107,2025-06-01,fax,county,P-x,1,教育,城关镇,,,县教育局,,\n" + // an unknown code
		"XF-108,2025-06-01,visit,county,,1,教育,城关镇,,,县教育局,,\n" // no complainant
	lines := func(rows []string, csvLines bool) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			var n int
			fmt.Sscan(r, &n)
			if csvLines {
				n++ // the header
			}
			out[i] = fmt.Sprint(n) + r[strings.IndexByte(r, ' '):]
		}
		return out
	}
	// By row number; the CSV file's lines are one more, and its reader's rejects have the
	// line as their raw value.
	checks := []string{
		"5 head_count: head count must be a whole number of at least 1, got 0 [0]",
		"7 channel: unknown code fax; expected one of letter, visit, online, phone [fax]",
		"8 complainant_id: required field is empty [XF-108]",
	}
	reader := []string{
		"2 head_count: not a whole number [%s]",
		"3 head_count: not a whole number [%s]",
		"4 received_date: not a date in the form YYYY-MM-DD [%s]",
	}
	rawValues := []string{"24000000000", "fifteen", "2025-02-30"}
	loadedIDs := "[[XF-101 visit] [XF-106 visit]]"

	bodyLines := strings.Split(body, "\n")
	for _, format := range []string{"CSV", "Parquet"} {
		cfg := testConfig(t)
		cfg.Input = copyTiny(t, "cases.csv", []byte(body))
		if format == "Parquet" {
			asParquet(t, cfg.Input, "cases", nil)
		}
		var want []string
		for i, r := range reader {
			raw := rawValues[i]
			if format == "CSV" {
				raw = bodyLines[i+2]
			}
			want = append(want, fmt.Sprintf(r, raw))
		}
		want = lines(append(want, checks...), format == "CSV")
		slices.Sort(want)
		runID, res := loadOnce(t, cfg, "cases")
		if got := quarantined(t, cfg, runID, res.Path); !slices.Equal(got, want) {
			t.Errorf("%s quarantine:\n%s\nwant:\n%s", format, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if res.Read != 8 || res.Loaded != 2 || res.Quarantined != 6 {
			t.Errorf("%s: %+v, want read 8 = 2 loaded + 6 quarantined", format, res)
		}
		if got := fmt.Sprint(query(t, cfg, "SELECT case_id, channel FROM cases WHERE case_id > 'XF-100' ORDER BY 1")); got != loadedIDs {
			t.Errorf("%s: loaded %s, want %s", format, got, loadedIDs)
		}
	}

	// Typed columns: a BIGINT head count too large for INTEGER is quarantined the same way; a
	// date column of type DATE needs no check.
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "cases.csv", []byte(casesHeader+
		"XF-101,2025-06-01,visit,county,P-x,1,教育,城关镇,,,县教育局,,\n"+
		"XF-102,2025-06-02,visit,county,P-x,24000000000,教育,城关镇,,,县教育局,,\n"))
	asParquet(t, cfg.Input, "cases", map[string]string{"head_count": "BIGINT", "received_date": "DATE"})
	runID, res := loadOnce(t, cfg, "cases")
	want := []string{"2 head_count: not a whole number [24000000000]"}
	if got := quarantined(t, cfg, runID, res.Path); !slices.Equal(got, want) || res.Loaded != 1 {
		t.Errorf("typed Parquet: %+v, quarantine %q, want %q", res, got, want)
	}

	// A DOUBLE head count with a fraction would be rounded by a cast (4.6 people as 5): it is
	// quarantined; a whole one (5.0) loads.
	cfg = testConfig(t)
	cfg.Input = copyTiny(t, "cases.csv", []byte(casesHeader+
		"XF-101,2025-06-01,visit,county,P-x,5.0,教育,城关镇,,,县教育局,,\n"+
		"XF-102,2025-06-02,visit,county,P-x,4.6,教育,城关镇,,,县教育局,,\n"))
	asParquet(t, cfg.Input, "cases", map[string]string{"head_count": "DOUBLE"})
	runID, res = loadOnce(t, cfg, "cases")
	want = []string{"2 head_count: not a whole number [4.6]"}
	if got := quarantined(t, cfg, runID, res.Path); !slices.Equal(got, want) || res.Loaded != 1 {
		t.Errorf("Parquet with a fractional head count: %+v, quarantine %q, want %q", res, got, want)
	}
}

// TestPaddedIdsMatch: ids and codes with white space around them (spaces, a tab, an
// ideographic space) load trimmed, in a CSV and a Parquet file alike, so that a padded id is the
// record it names: a later file's " XF-001 " replaces XF-001, and its contacts and events are
// XF-001's.
func TestPaddedIdsMatch(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Input = copyTiny(t, "", nil)
			if format == "parquet" {
				for _, table := range []string{"cases", "contacts", "events"} {
					asParquet(t, cfg.Input, table, nil)
				}
			}
			loadOnce(t, cfg, "cases")
			before := query(t, cfg, "SELECT count(*) FROM cases")[0][0]

			// A corrected export: XF-001 closed, with a padded id and codes, a contact and an
			// event with padded ids.
			dir := copyTiny(t, "", nil)
			write := func(name, body string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("cases.csv", casesHeader+
				" XF-001 ,2025-03-01,\tvisit,county\u3000,P-a ,1,征地拆迁,城关镇,东关村,县自然资源局,城关镇人民政府,已办结,补偿款已发放。\n")
			write("contacts.csv", contactsHeader+"V-900\t,\u3000XF-001,2025-06-20, visit,county,P-a,1\n")
			write("events.csv", "event_id,case_id,event_type,event_date\n E-900,XF-001 ,closed ,2025-06-21\n")
			if format == "parquet" {
				for _, table := range []string{"cases", "contacts", "events"} {
					asParquet(t, dir, table, nil)
				}
			}
			cfg.Input = dir
			runID, res := loadOnce(t, cfg, "cases")
			if res.Loaded != 1 || res.Quarantined != 0 {
				t.Errorf("cases: %+v; quarantine %v", res, quarantined(t, cfg, runID, res.Path))
			}
			if after := query(t, cfg, "SELECT count(*) FROM cases")[0][0]; after != before {
				t.Errorf("%v cases after the corrected export, %v before: the padded id is a case of its own", after, before)
			}
			got := fmt.Sprint(query(t, cfg, `SELECT c.case_id, c.channel, c.level, c.complainant_id, c.status,
  (SELECT count(*) FROM contacts o WHERE o.case_id = c.case_id AND o.contact_id = 'V-900' AND o.channel = 'visit'),
  (SELECT count(*) FROM events e WHERE e.case_id = c.case_id AND e.event_id = 'E-900' AND e.event_type = 'closed')
FROM cases c WHERE c.case_id LIKE '%XF-001%'`))
			if want := "[[XF-001 visit county P-a 已办结 1 1]]"; got != want {
				t.Errorf("XF-001 after the corrected export: %s, want %s", got, want)
			}
			for _, r := range query(t, cfg, `SELECT case_id, complainant_id, channel, level FROM cases
UNION ALL SELECT contact_id, coalesce(case_id, ''), person_id, channel FROM contacts
UNION ALL SELECT event_id, case_id, event_type, '' FROM events`) {
				for _, v := range r {
					if s := v.(string); strings.TrimFunc(s, unicode.IsSpace) != s {
						t.Errorf("a padded value loaded: %q in %q", s, r)
					}
				}
			}
		})
	}
}

// TestDuplicatedColumnNameIsAClearError: a canonical CSV or Parquet file with one of its
// table's columns twice fails the run with an error naming the file and the column (which of
// the two would load is anyone's guess); a column the table lacks may repeat, as it is not
// loaded. (Files read through a profile: TestDuplicatedProfileColumnIsAClearError in ingest.)
func TestDuplicatedColumnNameIsAClearError(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(tinyInput, "cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	header, rest, _ := strings.Cut(string(b), "\n")
	for _, c := range []struct {
		name, header, file string
		fails              bool
	}{
		{"CSV", header + ",content", "cases.csv", true},
		{"CSV, padded name", header + ", content ", "cases.csv", true},
		{"CSV, unknown column", header + ",remarks,remarks", "cases.csv", false},
		// Written by arrow-go, which (unlike DuckDB) keeps a name twice.
		{"Parquet", "", "content_twice.parquet", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t)
			if c.header != "" {
				extra := strings.Count(c.header, ",") - strings.Count(header, ",")
				var lines []string
				for _, l := range strings.Split(strings.TrimRight(rest, "\n"), "\n") {
					lines = append(lines, l+strings.Repeat(",x", extra))
				}
				cfg.Input = copyTiny(t, "cases.csv", []byte(c.header+"\n"+strings.Join(lines, "\n")+"\n"))
			} else {
				cfg.Input = copyTiny(t, "cases.csv", nil)
				if err := os.Remove(filepath.Join(cfg.Input, "cases.csv")); err != nil {
					t.Fatal(err)
				}
				copyFile(t, filepath.Join("testdata", c.file), filepath.Join(cfg.Input, "cases.parquet"))
			}
			_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30")})
			if !c.fails {
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				return
			}
			msg := i18n.Localize("en", err)
			if err == nil || !strings.Contains(msg, `column "content" is there 2 times`) || !strings.Contains(msg, "cases.") {
				t.Fatalf("err %v, want one naming the cases file and column content", err)
			}
			if zh := i18n.Localize("zh", err); !strings.Contains(zh, `列 "content" 出现了 2 次`) {
				t.Errorf("zh: %s", zh)
			}
		})
	}
}
