package pipeline

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

func TestLinkingByPersonAndWindow(t *testing.T) {
	q := datatest.New(t)
	datatest.AddCases(t, q,
		datatest.Case{ID: "A", Received: "2025-03-01", Complainant: "P1"},
		datatest.Case{ID: "B", Received: "2025-03-01", Complainant: "P2"},
		datatest.Case{ID: "C", Received: "2025-03-15", Complainant: "P2"},
		datatest.Case{ID: "D", Received: "2024-01-01", Complainant: "P3"},
		datatest.Case{ID: "E", Received: "2024-01-01", Complainant: "P4"},
		datatest.Case{ID: "F", Received: "2025-03-01", Complainant: "P5"},
		datatest.Case{ID: "G", Received: "2025-03-01", Complainant: "P6", Category: "劳资纠纷"},
		datatest.Case{ID: "H", Received: "2025-03-10", Complainant: "P6", Category: "征地拆迁", Township: "新桥乡"},
	)
	datatest.AddContacts(t, q,
		datatest.Contact{ID: "u1", Date: "2025-04-01", Person: "P1"}, // P1's only case: linked
		datatest.Contact{ID: "u2", Date: "2025-04-01", Person: "P2"}, // two candidate cases: not linked
		datatest.Contact{ID: "d1", CaseID: "D", Date: "2025-03-20", Person: "P3"},
		datatest.Contact{ID: "u3", Date: "2025-04-01", Person: "P3"},                                    // old case, but contacted about lately: linked
		datatest.Contact{ID: "u4", Date: "2025-04-01", Person: "P4"},                                    // old case only: not linked
		datatest.Contact{ID: "g1", Date: "2025-04-01", Person: "P6", Category: "劳资纠纷"},                  // two cases, one of its category
		datatest.Contact{ID: "g2", Date: "2025-04-01", Person: "P6", Category: "征地拆迁", Township: "城关镇"}, // category fits H, place does not
		datatest.Contact{ID: "g3", Date: "2025-04-01", Person: "P6"},                                    // nothing to tell the two apart
	)
	for i := range 12 { // twelve from P5: the first ten are linked
		datatest.AddContacts(t, q, datatest.Contact{ID: fmt.Sprintf("f%02d", i), Date: fmt.Sprintf("2025-03-%02d", 2+i), Person: "P5"})
	}
	res, err := linkContacts(context.Background(), q, configs.Default().Linking)
	if err != nil {
		t.Fatal(err)
	}
	if want := (LinkResult{Unlinked: 19, Linked: 13, Ambiguous: 2, Capped: 2, NoCase: 2}); res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	links := map[string]string{}
	rows, err := q.QueryContext(context.Background(), "SELECT contact_id, case_id FROM contact_links")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c, k string
		if err := rows.Scan(&c, &k); err != nil {
			t.Fatal(err)
		}
		links[c] = k
	}
	rows.Close()
	for c, want := range map[string]string{"u1": "A", "u2": "", "u3": "D", "u4": "", "f00": "F", "f09": "F", "f10": "", "f11": "",
		"g1": "G", "g2": "", "g3": ""} {
		if links[c] != want {
			t.Errorf("%s linked to %q, want %q", c, links[c], want)
		}
	}

	// Rules count a linked contact as its case's.
	day, _ := time.Parse(time.DateOnly, "2025-04-30")
	for _, st := range rules.PrepareSQL(rules.DefaultClocks(), day) {
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	var n int
	if err := q.QueryRowContext(context.Background(), `SELECT count(*) FROM `+rules.ContactsTable+` k JOIN cases c ON c.rowid = k.ck WHERE c.case_id = 'F'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("case F has %d contacts for the rules, want its 10 linked ones", n)
	}

	// Switched off, nothing is linked.
	off := configs.Default().Linking
	off.Enabled = false
	if res, err := linkContacts(context.Background(), q, off); err != nil || res.Linked != 0 || res.Unlinked != 19 {
		t.Errorf("linking off: %+v, %v", res, err)
	}
}

// TestRecordsOfMissingCasesAreCounted: a contact and an event of cases whose rows were
// quarantined load, count for nothing, and the run says how many and which cases; the tiny
// fixture alone has none. The report's data warnings say so, and how many rows were
// quarantined.
func TestRecordsOfMissingCasesAreCounted(t *testing.T) {
	cfg := testConfig(t)
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test"})
	if err != nil || s.Links.OfMissingCases != nil {
		t.Fatalf("tiny: %v, records of missing cases %+v", err, s.Links.OfMissingCases)
	}
	quarantinedRows := func(s *Summary) (n int64) {
		for _, f := range s.Inputs {
			n += f.Quarantined
		}
		return n
	}
	if quarantinedRows(s) == 0 {
		t.Fatal("the tiny fixture quarantines no row")
	}
	quarantined := i18n.T("zh", "report.quarantined", quarantinedRows(s), "quarantine.csv")
	report := readFile(t, filepath.Join(cfg.Output, "report.html"))
	if !strings.Contains(report, html.EscapeString(quarantined)) || strings.Contains(report, "不在库中") {
		t.Errorf("tiny: the report's warnings do not say %q, or speak of missing cases", quarantined)
	}
	contacts, err := os.ReadFile(filepath.Join(tinyInput, "contacts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = testConfig(t)
	cfg.Input = copyTiny(t, "contacts.csv", append(contacts, "V-900,XF-009,2025-04-03,visit,county,P-i,1\nV-901,XF-008,2025-04-03,visit,county,P-h,1\n"...))
	events, err := os.ReadFile(filepath.Join(cfg.Input, "events.csv"))
	if err == nil {
		err = os.WriteFile(filepath.Join(cfg.Input, "events.csv"), append(events, "E-900,XF-010,accepted,2025-04-03\n"...), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err = Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	want := MissingCases{Contacts: 2, Events: 1, CaseIDs: []string{"XF-008", "XF-009", "XF-010"}}
	if m := s.Links.OfMissingCases; m == nil || !reflect.DeepEqual(*m, want) {
		t.Errorf("records of missing cases %+v, want %+v", m, want)
	}
	missing := i18n.T("zh", "report.missing_cases", 2, 1, "XF-008、XF-009、XF-010")
	quarantined = i18n.T("zh", "report.quarantined", quarantinedRows(s), "quarantine.csv")
	report = readFile(t, filepath.Join(cfg.Output, "report.html"))
	if !strings.Contains(report, html.EscapeString(missing)) || !strings.Contains(report, html.EscapeString(quarantined)) {
		t.Errorf("the report's warnings do not say %q and %q", missing, quarantined)
	}
}
