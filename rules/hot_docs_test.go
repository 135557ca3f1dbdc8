package rules

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/db"
)

// TestKeptDocFreqAreThoseOfCountingAgain screens a board night after night with the document
// frequencies kept (KeepCounts) and, each night, compares them with those of counting every
// text again: cases enter the period, leave it, come back with a new contact, and change their
// text; a text changed on a case the counts hold cannot be taken out as it was counted, and
// the counts are made again. The kept counts must be taken from (not counted again) on the
// nights nothing was corrected.
func TestKeptDocFreqAreThoseOfCountingAgain(t *testing.T) {
	ctx := context.Background()
	q := datatest.New(t)
	datatest.Exec(t, q, `CREATE TABLE case_places (case_id VARCHAR, ord INTEGER, key VARCHAR, name VARCHAR,
  kind VARCHAR, context VARCHAR, in_subject BOOLEAN, written VARCHAR, text_hash UBIGINT)`)
	rs, err := Compile([]Spec{{ID: "hot", Kind: KindGroup, Weight: 1, Params: map[string]any{
		"signal": "hot_issue", "lookback_days": 20, "baseline_days": 10, "min_complainants": 3,
		"place_fields": []any{}}}}, DefaultClocks())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 8))
	day0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	places := []string{"丽发新城", "金桂苑", "东湖家园", "春山小区"}
	n := 0
	// addCases adds k cases received on day, each with a contact that day and, for most, the
	// place its text names as a row of case_places (with a case of no text now and then).
	addCases := func(day time.Time, k int) {
		for range k {
			id := fmt.Sprintf("C%04d", n)
			place := places[rng.IntN(len(places))]
			topic := testTopicNames[rng.IntN(len(testTopicNames))]
			text := testMessage(rng, place, topic)
			c := datatest.Case{ID: id, Received: day.Format(time.DateOnly), Complainant: fmt.Sprintf("P%d", rng.IntN(40)), Content: text}
			if n%17 == 5 {
				c.Content = ""
			}
			datatest.AddCases(t, q, c)
			datatest.AddContacts(t, q, datatest.Contact{ID: "K" + id, CaseID: id, Date: c.Received, Person: c.Complainant})
			if c.Content != "" {
				key := place
				if n%5 == 0 {
					key = "" // a text whose place the extraction did not find
				}
				datatest.Exec(t, q, `INSERT INTO case_places SELECT case_id, 1, nullif($2, ''), nullif($2, ''), 'estate', '', true, NULL,
  hash('salt', content) FROM cases WHERE case_id = $1`, id, key)
			}
			n++
		}
	}
	// state is what the run would store: the texts counted (by case and key) and the counts.
	state := func() string {
		rows, err := db.Collect(ctx, q, `SELECT (SELECT docs FROM hot_doc_freq) || ' ' || md5((SELECT df FROM hot_doc_freq)) || ' '
  || (SELECT count(*) FROM hot_doc_texts) || ' ' || (SELECT coalesce(sum(text_key), 0) FROM hot_doc_texts)`, nil,
			func(rows *sql.Rows) (string, error) {
				var s string
				return s, rows.Scan(&s)
			})
		if err != nil {
			t.Fatal(err)
		}
		return rows[0]
	}
	screen := func(day time.Time, reuse bool) (counted bool) {
		t.Helper()
		for _, st := range PrepareSQL(DefaultClocks(), day) {
			datatest.Exec(t, q, st.SQL, st.Args...)
		}
		if err := rs[0].Materialize(KeepCounts(ctx, reuse), q, day); err != nil {
			t.Fatal(err)
		}
		all, err := db.Column[bool](ctx, q, "SELECT all_texts FROM "+db.Ident(db.HotDocNext))
		if err != nil {
			t.Fatal(err)
		}
		if err := StoreKept(ctx, q); err != nil {
			t.Fatal(err)
		}
		return all[0]
	}

	addCases(day0, 60)
	screen(day0, true)
	for night := 1; night <= 12; night++ {
		day := day0.AddDate(0, 0, 4*night)
		addCases(day, 15)
		corrected := night == 5 || night == 9
		switch {
		case night == 3:
			// Old cases come back into the period with a new contact.
			datatest.Exec(t, q, `INSERT INTO contacts (contact_id, case_id, contact_date, channel, level, person_id, head_count)
SELECT 'B' || case_id, case_id, CAST($1 AS DATE), 'visit', 'county', complainant_id, 1 FROM cases WHERE case_id < 'C0010'`, day.Format(time.DateOnly))
		case night == 5:
			// A text the counts hold (of the night before) is corrected.
			datatest.Exec(t, q, `UPDATE cases SET content = content || '补充说明' WHERE case_id = (SELECT max(case_id) FROM cases WHERE content <> '' AND received_date < $1)`, day.Format(time.DateOnly))
			datatest.Exec(t, q, `UPDATE case_places SET text_hash = hash('salt', c.content) FROM cases c WHERE c.case_id = case_places.case_id`)
		case night == 9:
			// The place of a case the counts hold is found at last: its text is masked otherwise.
			datatest.Exec(t, q, `UPDATE case_places SET key = '丽发新城', name = '丽发新城', text_hash = text_hash + 1
WHERE case_id = (SELECT max(p.case_id) FROM case_places p JOIN cases c USING (case_id) WHERE p.key IS NULL AND c.received_date < $1)`,
				day.Format(time.DateOnly))
		}
		if all := screen(day, true); all != corrected {
			t.Errorf("night %d: every text counted again: %v, want %v", night, all, corrected)
		}
		kept := state()
		if all := screen(day, false); !all {
			t.Fatalf("night %d: KeepCounts without reuse did not count every text", night)
		}
		if again := state(); kept != again {
			t.Errorf("night %d (%s): counts kept %s, counted again %s", night, day.Format(time.DateOnly), kept, again)
		}
	}
}
