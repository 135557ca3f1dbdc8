package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/data"
)

// readData reads a generated folder, checking each CSV header against the data schema.
func readData(t *testing.T, dir string) *dataset {
	t.Helper()
	ds := &dataset{cases: map[string]*caseRow{}}
	b, err := os.ReadFile(filepath.Join(dir, "generator.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ds.info); err != nil {
		t.Fatal(err)
	}
	ds.start, ds.asOf = dayOf(ds.info.Config.Start), dayOf(ds.info.AsOf)
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	for _, r := range readCSV(t, dir, "cases.csv", data.Cases) {
		c := &caseRow{id: r[0], received: dayOf(r[1]), channel: r[2], level: r[3], person: r[4], head: atoi(r[5]),
			category: r[6], township: r[7], village: r[8], org: r[9], unit: r[10], status: r[11], content: r[12]}
		if ds.cases[c.id] != nil {
			t.Fatalf("duplicate case id %s", c.id)
		}
		ds.cases[c.id] = c
		ds.caseOrder = append(ds.caseOrder, c.id)
	}
	for _, r := range readCSV(t, dir, "contacts.csv", data.Contacts) {
		x := &contactRow{id: r[0], caseRow: ds.cases[r[1]], date: dayOf(r[2]), channel: r[3], level: r[4], person: r[5], head: atoi(r[6])}
		ds.contacts = append(ds.contacts, x)
		if x.caseRow != nil {
			x.caseRow.contacts = append(x.caseRow.contacts, x)
		}
	}
	for _, r := range readCSV(t, dir, "events.csv", data.Events) {
		e := &eventRow{id: r[0], caseRow: ds.cases[r[1]], typ: r[2], date: dayOf(r[3])}
		ds.events = append(ds.events, e)
		if e.caseRow != nil {
			e.caseRow.events = append(e.caseRow.events, e)
		}
	}
	for _, c := range ds.cases {
		slices.SortStableFunc(c.contacts, func(a, b *contactRow) int { return a.date - b.date })
		slices.SortStableFunc(c.events, func(a, b *eventRow) int {
			if a.date != b.date {
				return a.date - b.date
			}
			return codeRank(data.EventTypes, a.typ) - codeRank(data.EventTypes, b.typ)
		})
	}
	ds.strata, ds.texts = map[string][]*contactRow{}, map[string][]*caseRow{}
	for _, x := range ds.contacts {
		if x.caseRow != nil {
			ds.strata[x.caseRow.stratum()] = append(ds.strata[x.caseRow.stratum()], x)
		}
	}
	for _, xs := range ds.strata {
		slices.SortStableFunc(xs, func(a, b *contactRow) int { return a.date - b.date })
	}
	for _, id := range ds.caseOrder {
		c := ds.cases[id]
		ds.texts[normalise(c.content)] = append(ds.texts[normalise(c.content)], c)
	}
	truthTable := data.Table{Columns: []data.Column{{Name: "truth_id"}, {Name: "family"}, {Name: "kind"},
		{Name: "case_ids"}, {Name: "first_date"}, {Name: "peak_date"}, {Name: "note"}}}
	for _, r := range readCSV(t, dir, "ground_truth.csv", truthTable) {
		ds.truth = append(ds.truth, truthRow{id: r[0], family: r[1], kind: r[2], cases: strings.Split(r[3], ";"),
			first: dayOf(r[4]), peak: dayOf(r[5])})
	}
	return ds
}

// readCSV reads a file strictly (no BOM, RFC 4180) and checks its header against tb's columns.
func readCSV(t *testing.T, dir, name string, tb data.Table) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !utf8.Valid(b) {
		t.Fatalf("%s: has a BOM or is not UTF-8", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], writtenColumns(t, tb, len(rows[0]))) {
		var want []string
		for _, c := range tb.Columns {
			want = append(want, c.Name)
		}
		t.Fatalf("%s: header %v; want %v", name, rows[0], want)
	}
	return rows[1:]
}

// writtenColumns is the schema's first n columns of tb, which a generated file holds: the
// columns it leaves out must be optional ones at the end (contacts' category and township,
// which only contacts without a case id need; events' result, which only evaluations carry).
func writtenColumns(t *testing.T, tb data.Table, n int) []string {
	t.Helper()
	var out []string
	for i, c := range tb.Columns {
		if i < n {
			out = append(out, c.Name)
		} else if c.Required {
			t.Errorf("%s: required column %s is not written", tb.Name, c.Name)
		}
	}
	return out
}

// BenchmarkGenerate writes a 100,000-case county per iteration and reports rows written per
// second (cases, contacts and events).
func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	var rows int
	for b.Loop() {
		s, err := Generate(context.Background(), Config{Seed: 1, Cases: 100_000}, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows += s.Cases + s.Contacts + s.Events
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
