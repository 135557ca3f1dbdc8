package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// formatsProfile maps columns id, opened, kind and n of a file of format.
func formatsProfile(t *testing.T, format string) *mapping {
	t.Helper()
	return parseMapping(t, "formats.yaml", "name: formats\nformat: "+format+`
fields:
  case_id: {column: id}
  received_date: {column: opened, layouts: ["2006-01-02"]}
  channel: {column: kind}
  level: {value: county}
  category: {value: 其他}
  township: {value: 城关镇}
  responsible_unit: {value: 县信访局}
  head_count: {column: n}
`)
}

// TestProfileValuesCheckedLikeCSV: every format a profile reads (CSV, TSV, NDJSON, JSON
// objects and Socrata rows, XLSX) gives its values to the same checks: ids and codes are
// trimmed of white space (so " X1 " is X1), a head count that is no whole number of at least
// 1 that fits the column (24000000000, fifteen, 0) and a day the calendar lacks are rejected
// with the raw value. Codes and duplicate ids are checked after, in SQL, as for a canonical file.
func TestProfileValuesCheckedLikeCSV(t *testing.T) {
	cols := []string{"id", "opened", "kind", "n"}
	recs := [][]string{
		{" X1 ", "2025-01-02", " visit\t", "2"},
		{"X2\u3000", "2025-01-02", "visit", "24000000000"},
		{"\tX3", "2025-01-02", "visit", "fifteen"},
		{"X4", "2025-02-30", "visit", "1"},
		{"X5", "2025-01-02", "visit", "0"},
	}
	want := []string{
		`head_count [["bad_head_count","head_count","24000000000"]] 24000000000`,
		`head_count [["bad_head_count","head_count","fifteen"]] fifteen`,
		`received_date [["no_such_day","received_date","2025-02-30"]] 2025-02-30`,
		`head_count [["bad_head_count","head_count","0"]] 0`,
	}
	csvText := func(sep string) string {
		lines := []string{strings.Join(cols, sep)}
		for _, r := range recs {
			line := strings.Join(r, ",")
			if sep == "\t" { // a tab is no padding in a TSV
				line = strings.ReplaceAll(strings.ReplaceAll(line, "\t", " "), ",", "\t")
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n") + "\n"
	}
	objects := func() []map[string]string {
		var out []map[string]string
		for _, r := range recs {
			o := map[string]string{}
			for i, c := range cols {
				o[c] = r[i]
			}
			out = append(out, o)
		}
		return out
	}
	marshal := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var nd []string
	for _, o := range objects() {
		nd = append(nd, string(marshal(o)))
	}
	var meta []map[string]string
	for _, c := range cols {
		meta = append(meta, map[string]string{"fieldName": c})
	}
	socrata := []byte(`{"meta":{"view":{"columns":` + string(marshal(meta)) + `}},"data":` + string(marshal(recs)) + "}")
	sheet := [][]any{{"id", "opened", "kind", "n"}}
	for _, r := range recs {
		sheet = append(sheet, []any{r[0], r[1], r[2], r[3]})
	}
	for _, c := range []struct {
		format, name string
		body         []byte
	}{
		{"csv", "a.csv", []byte(csvText(","))},
		{"tsv", "a.tsv", []byte(csvText("\t"))},
		{"ndjson", "a.ndjson", []byte(strings.Join(nd, "\n"))},
		{"json", "objects.json", marshal(objects())},
		{"json", "socrata.json", socrata},
		{"xlsx", "a.xlsx", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := ""
			if c.format == "xlsx" {
				path = writeWorkbook(t, false, sheet...)
			} else {
				path = write(t, c.name, c.body)
			}
			rows, rejects, err := mapFile(t, formatsProfile(t, c.format), path)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].CaseID != "X1" || rows[0].Channel != "visit" || rows[0].HeadCount != 2 {
				t.Errorf("rows %+v, want X1 trimmed, channel visit, head count 2", rows)
			}
			var got []string
			for _, r := range rejects {
				got = append(got, r.Field+" "+r.Reason+" "+r.Raw)
			}
			if !slices.Equal(got, want) {
				t.Errorf("rejects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestDuplicatedProfileColumnIsAClearError: a file read through a profile with a column the
// profile maps twice in its header (CSV, XLSX) or in a Socrata export's columns is an error
// naming the profile, the file and the column. A column the profile does not map may repeat:
// it is not read. In a JSON object a key written twice takes its last value, as JavaScript's
// JSON.parse does.
func TestDuplicatedProfileColumnIsAClearError(t *testing.T) {
	p := formatsProfile(t, "csv")
	twice := func(t *testing.T, path string, err error) {
		t.Helper()
		msg := i18n.Localize("en", err)
		if err == nil || !strings.Contains(msg, `has column "kind" twice`) || !strings.Contains(msg, path) || !strings.Contains(msg, "formats") {
			t.Errorf("err %v, want one naming the profile, %s and column kind", err, path)
		}
	}
	path := write(t, "a.csv", []byte("id,opened,kind,n,kind\nX1,2025-01-02,visit,1,letter\n"))
	_, _, err := mapFile(t, p, path)
	twice(t, path, err)

	path = writeWorkbook(t, false, []any{"id", "opened", "kind", "n", "kind"}, []any{"X1", "2025-01-02", "visit", "1", "letter"})
	_, _, err = mapFile(t, formatsProfile(t, "xlsx"), path)
	twice(t, path, err)

	path = write(t, "s.json", []byte(`{"meta":{"view":{"columns":[{"fieldName":"id"},{"fieldName":"opened"},{"fieldName":"kind"},{"fieldName":"n"},{"fieldName":"kind"}]}},
"data":[["X1","2025-01-02","visit","1","letter"]]}`))
	_, _, err = mapFile(t, formatsProfile(t, "json"), path)
	twice(t, path, err)

	// Not mapped: harmless.
	rows, rejects, err := mapFile(t, p, write(t, "b.csv", []byte("id,opened,kind,n,remarks,remarks\nX1,2025-01-02,visit,1,a,b\n")))
	if err != nil || len(rows) != 1 || len(rejects) != 0 {
		t.Errorf("an unmapped column twice: %+v %+v %v", rows, rejects, err)
	}
	// A JSON object's key twice: the last value.
	rows, rejects, err = mapFile(t, formatsProfile(t, "json"), write(t, "o.json", []byte(`[{"id":"X1","opened":"2025-01-02","kind":"visit","n":"1","kind":"letter"}]`)))
	if err != nil || len(rows) != 1 || rows[0].Channel != "letter" || len(rejects) != 0 {
		t.Errorf("a JSON key twice: %+v %+v %v", rows, rejects, err)
	}
}

// TestSpaceClassIsUnicodeIsSpace: the pattern of white space the SQL files use matches exactly
// the characters unicode.IsSpace calls white space, which the profile path trims.
func TestSpaceClassIsUnicodeIsSpace(t *testing.T) {
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got []int64
	// Every code point below 70000 but the surrogates, which chr refuses.
	err = db.Query(context.Background(), conn, `SELECT c FROM (FROM range(1, 55296) r(c) UNION ALL FROM range(57344, 70000) r(c))
WHERE regexp_full_match(chr(c::INTEGER), $1) ORDER BY c`, []any{spaceClass},
		func(rows *sql.Rows) error {
			var c int64
			err := rows.Scan(&c)
			got = append(got, c)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for r := rune(1); r < 70000; r++ {
		if unicode.IsSpace(r) {
			want = append(want, int64(r))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s matches %v; unicode.IsSpace: %v", spaceClass, got, want)
	}
	for r := rune(70000); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			t.Errorf("unicode.IsSpace(%U) beyond the range tested", r)
		}
	}
}
