package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// sampleInput is the bundled sample: a synthetic county's 2025.
const sampleInput = "../data/sample"

// dateColumns is the date column of each canonical file, by its index in the sample's header.
var dateColumns = map[string]int{"cases.csv": 1, "contacts.csv": 2, "events.csv": 3}

// readRecords reads a canonical CSV file, header first.
func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeRecords(t *testing.T, path string, recs [][]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sampleWithUnlinkedContacts writes the sample to a folder with every fifth contact's case id
// removed, so that linking by person and date decides which case those contacts count for.
func sampleWithUnlinkedContacts(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name := range dateColumns {
		recs := readRecords(t, filepath.Join(sampleInput, name))
		if name == "contacts.csv" {
			for i := 1; i < len(recs); i += 5 {
				recs[i][1] = ""
			}
		}
		writeRecords(t, filepath.Join(dir, name), recs)
	}
	return dir
}

// cutAt writes to a new folder the records of the canonical files in dir that existed on day:
// cases received, contacts made and events recorded on or before it. It returns the folder and
// how many records of each table it left out.
func cutAt(t *testing.T, dir, day string) (string, map[string]int64) {
	t.Helper()
	out, left := t.TempDir(), map[string]int64{}
	for name, col := range dateColumns {
		recs := readRecords(t, filepath.Join(dir, name))
		kept := recs[:1]
		for _, r := range recs[1:] {
			if r[col] <= day { // ISO dates compare as text
				kept = append(kept, r)
			} else {
				left[strings.TrimSuffix(name, ".csv")]++
			}
		}
		writeRecords(t, filepath.Join(out, name), kept)
	}
	return out, left
}

// TestPastAsOfScreensTheDataOfThatDay: a run as of a past date over the whole export gives the
// watchlist (matters, rules, tiers, scores, reasons, evidence ids) and flags that a run over the
// export cut to what existed that day gives. The records dated later are loaded, not
// quarantined, counted in the run record, and left out of the screening: a case closed later is
// open on that day. A fifth of the contacts have no case id, so linking is held to the same.
func TestPastAsOfScreensTheDataOfThatDay(t *testing.T) {
	full := sampleWithUnlinkedContacts(t)
	closedAfter := map[string]string{} // case id → the date a closed event was recorded
	for _, r := range readRecords(t, filepath.Join(full, "events.csv"))[1:] {
		if r[2] == "closed" {
			closedAfter[r[1]] = max(closedAfter[r[1]], r[3])
		}
	}
	for _, day := range []string{"2025-03-31", "2025-07-15", "2025-10-01"} {
		t.Run(day, func(t *testing.T) {
			cut, left := cutAt(t, full, day)
			screen := func(input string) (configs.Config, *Summary, map[string][]byte) {
				cfg := testConfig(t)
				cfg.Input = input
				cfg.Quarantine.MaxRejectRate = 0
				s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, day), Today: asOf(t, "2026-01-01"), Version: "test"})
				if err != nil {
					t.Fatal(err)
				}
				return cfg, s, readDir(t, cfg.Output)
			}
			fullCfg, fullRun, fullOut := screen(full)
			cutCfg, cutRun, cutOut := screen(cut)

			for _, name := range []string{publish.WatchlistCSV, publish.WatchlistParquet} {
				if !bytes.Equal(fullOut[name], cutOut[name]) {
					t.Errorf("%s as of %s differs from the one of the data cut to that day", name, day)
				}
			}
			if n := bytes.Count(fullOut[publish.WatchlistCSV], []byte("\n")) - 1; n < 10 {
				t.Fatalf("only %d matters on the watchlist; too few to compare", n)
			}
			const flags = `SELECT rule_id, matter_id, case_ids, contact_ids, first_flagged, strength, facts, reason_en
FROM flags WHERE run_id = $1 ORDER BY rule_id, matter_id`
			a, b := query(t, fullCfg, flags, fullRun.RunID), query(t, cutCfg, flags, cutRun.RunID)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("flags differ: %d as of %s, %d on the cut data", len(a), day, len(b))
			}
			links := `SELECT count(*) FROM contact_links l JOIN contacts k USING (contact_id) WHERE k.contact_date <= CAST($1 AS DATE)`
			if a, b := query(t, fullCfg, links, day), query(t, cutCfg, links, day); fmt.Sprint(a) != fmt.Sprint(b) || a[0][0].(int64) == 0 {
				t.Errorf("contacts up to %s linked: %v in the whole export, %v in the cut", day, a, b)
			}

			// The later records are loaded and counted, not quarantined.
			for _, r := range []*Summary{fullRun, cutRun} {
				for _, f := range r.Inputs {
					if f.Quarantined != 0 {
						t.Errorf("%s: %d rows quarantined", f.Path, f.Quarantined)
					}
				}
			}
			if fmt.Sprint(fullRun.AfterAsOf) != fmt.Sprint(left) || left["cases"] == 0 || left["contacts"] == 0 || left["events"] == 0 {
				t.Errorf("records after %s: the run counts %v, the cut left out %v", day, fullRun.AfterAsOf, left)
			}
			if n := cutRun.AfterAsOf["cases"] + cutRun.AfterAsOf["contacts"] + cutRun.AfterAsOf["events"]; n != 0 {
				t.Errorf("the cut data has %d records after %s", n, day)
			}

			// A case closed after the day is open on it: some such cases are on the watchlist as
			// pending, and none of their later events is evidence.
			open := 0
			for _, r := range query(t, fullCfg, `SELECT case_ids[1], event_ids FROM watchlist WHERE run_id = $1 AND matter_kind = 'case'`, fullRun.RunID) {
				if closedAfter[r[0].(string)] > day {
					open++
				}
				for _, e := range r[1].([]any) {
					if d := query(t, fullCfg, `SELECT event_date::VARCHAR FROM events WHERE event_id = $1`, e)[0][0].(string); d > day {
						t.Errorf("%s: event %s of %s is evidence", r[0], e, d)
					}
				}
			}
			if open == 0 {
				t.Errorf("no matter on the watchlist of %s is a case closed after it", day)
			}
		})
	}
}

// TestFutureDateIsQuarantinedAndAsOfAutoIgnoresIt: a far-future date (a typo, 9999-12-31) is
// quarantined as after the day of the run, and --as-of auto screens as of the latest date of
// the rest of the data.
func TestFutureDateIsQuarantinedAndAsOfAutoIgnoresIt(t *testing.T) {
	contacts := readFile(t, filepath.Join(tinyInput, "contacts.csv")) + "V-100,XF-001,9999-12-31,visit,county,P-a,1\n"
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "contacts.csv", []byte(contacts))
	s, err := Run(context.Background(), plan(t, cfg), Options{Today: asOf(t, "2026-01-01"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if s.AsOf != "2025-06-08" { // the tiny county's last event
		t.Errorf("as of %s, want 2025-06-08", s.AsOf)
	}
	var contactsFile string
	for _, f := range s.Inputs {
		if f.TableName == "contacts" {
			contactsFile = f.Path
		}
	}
	got := quarantined(t, cfg, s.RunID, contactsFile)
	want := "15 contact_date: date 9999-12-31 is after the day of the run, 2026-01-01 [9999-12-31]"
	if !slices.Contains(got, want) {
		t.Errorf("quarantine %q lacks %q", got, want)
	}
}

// TestAsOfOutsideTheDataIsAConfigError: an as-of date after the day of the run cannot be
// screened, and one before the earliest date in the data would screen nothing; both are the
// caller's mistake, said in terms of the dates, and leave the database as it was.
func TestAsOfOutsideTheDataIsAConfigError(t *testing.T) {
	for _, c := range []struct {
		asOf, en, zh string
	}{
		{"2026-01-02", "the as-of date 2026-01-02 is after today, 2026-01-01 (time zone Asia/Shanghai)", "截至日期 2026-01-02 晚于今天（2026-01-01，时区 Asia/Shanghai）"},
		{"2025-01-04", "the as-of date 2025-01-04 is before the earliest date in the data, 2025-01-05", "截至日期 2025-01-04 早于数据中的最早日期 2025-01-05"},
	} {
		t.Run(c.asOf, func(t *testing.T) {
			cfg := testConfig(t)
			run(t, cfg)
			before := snapshot(t, cfg)
			// A new contacts file, whose load the failed run must not leave behind.
			contacts := readFile(t, filepath.Join(tinyInput, "contacts.csv")) + "V-100,XF-001,2025-06-07,visit,county,P-a,1\n"
			cfg.Input = copyTiny(t, "contacts.csv", []byte(contacts))
			_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, c.asOf), Today: asOf(t, "2026-01-01")})
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err %v, want a ConfigError", err)
			}
			if en := i18n.Localize("en", err); !strings.Contains(en, c.en) {
				t.Errorf("en: %q, want %q", en, c.en)
			}
			if zh := err.Error(); !strings.Contains(zh, c.zh) {
				t.Errorf("zh: %q, want %q", zh, c.zh)
			}
			if after := snapshot(t, cfg); after != before {
				t.Errorf("database changed by the failed run:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// The first day of the data itself is screened.
	cfg := testConfig(t)
	if s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-01-05"), Today: asOf(t, "2026-01-01")}); err != nil || s.AsOf != "2025-01-05" {
		t.Errorf("as of the first day: %v, %v", s, err)
	}
}

// TestBacktestRangeOutsideTheDataIsAConfigError: like a run's as-of date, a backtest's last day
// may not be after the day it runs nor before the data; its first day may precede the data.
func TestBacktestRangeOutsideTheDataIsAConfigError(t *testing.T) {
	for _, c := range []struct {
		from, to, en string
	}{
		{"2025-12-01", "2026-01-02", "the backtest's last day 2026-01-02 is after today, 2026-01-01"},
		{"2024-12-01", "2025-01-04", "the backtest's last day 2025-01-04 is before the earliest date in the data, 2025-01-05"},
	} {
		cfg := testConfig(t)
		_, err := Backtest(context.Background(), plan(t, cfg), BacktestOptions{From: date(t, c.from), To: date(t, c.to), Today: date(t, "2026-01-01")})
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.Contains(i18n.Localize("en", err), c.en) {
			t.Errorf("%s to %s: err %v, want a ConfigError saying %q", c.from, c.to, err, c.en)
		}
	}
	cfg := testConfig(t)
	res, err := Backtest(context.Background(), plan(t, cfg), BacktestOptions{From: date(t, "2024-12-30"), To: date(t, "2025-01-05"), Today: date(t, "2026-01-01")})
	if err != nil || res.Days != 7 {
		t.Errorf("a range starting before the data: %+v, %v", res, err)
	}
}

// TestLinkingIgnoresCasesReceivedAfterTheContact: a contact recorded with a case id before that
// case's receipt does not make the case a candidate for the person's unlinked contacts of that
// time, so a link is the same whether the later case is in the data or not yet.
func TestLinkingIgnoresCasesReceivedAfterTheContact(t *testing.T) {
	for _, withLater := range []bool{true, false} {
		q := datatest.New(t)
		datatest.AddCases(t, q, datatest.Case{ID: "A", Received: "2025-03-01", Complainant: "P1"})
		if withLater {
			datatest.AddCases(t, q, datatest.Case{ID: "B", Received: "2025-05-01", Complainant: "P1"})
		}
		datatest.AddContacts(t, q,
			datatest.Contact{ID: "b0", CaseID: "B", Date: "2025-04-01", Person: "P1"}, // before B's receipt
			datatest.Contact{ID: "u1", Date: "2025-04-10", Person: "P1"},
		)
		res, err := linkContacts(context.Background(), q, configs.Default().Linking)
		if err != nil {
			t.Fatal(err)
		}
		var linked string
		if err := q.QueryRowContext(context.Background(), "SELECT coalesce(any_value(case_id), '') FROM contact_links WHERE contact_id = 'u1'").Scan(&linked); err != nil {
			t.Fatal(err)
		}
		if linked != "A" || res.Ambiguous != 0 {
			t.Errorf("with case B in the data %v: u1 linked to %q (%+v), want A", withLater, linked, res)
		}
	}
}

// TestProfileCaseClosedLaterIsOpenOnAPastDay: through a one-row-per-case profile, whose rows
// carry the closing date, a case closed after the as-of date is loaded (not quarantined) and
// screened as open on that day; a case received later is left out. Screened again as of a day
// after the close, from the same database, the case is closed.
func TestProfileCaseClosedLaterIsOpenOnAPastDay(t *testing.T) {
	cfg := testConfig(t)
	cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
	cfg.Quarantine.MaxRejectRate = 0
	cfg.Input = t.TempDir()
	body := "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n" +
		"NYCC1,NYCC01,2023-01-02,2024-02-01,Housing,Heat,,,,,\n" +
		"NYCC2,NYCC01,2024-03-01,,Housing,Heat,,,,,\n"
	if err := os.WriteFile(filepath.Join(cfg.Input, "export.csv"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	screen := func(day string) (*Summary, []string) {
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, day), Today: asOf(t, "2026-01-01"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		var matters []string
		for _, r := range query(t, cfg, "SELECT matter_id FROM watchlist WHERE run_id = $1 ORDER BY matter_id", s.RunID) {
			matters = append(matters, r[0].(string))
		}
		return s, matters
	}
	s, matters := screen("2023-12-31")
	if f := s.Inputs[0]; f.Read != 2 || f.Loaded != 2 || f.Quarantined != 0 {
		t.Errorf("export: read %d, loaded %d, quarantined %d; want both rows loaded", f.Read, f.Loaded, f.Quarantined)
	}
	// Later: NYCC1's close; NYCC2 with its contact and acceptance.
	if want := map[string]int64{"cases": 1, "contacts": 1, "events": 2}; fmt.Sprint(s.AfterAsOf) != fmt.Sprint(want) {
		t.Errorf("after the as-of date: %v, want %v", s.AfterAsOf, want)
	}
	if !slices.Equal(matters, []string{"case:NYCC1"}) {
		t.Errorf("watchlist as of 2023-12-31: %v, want the case still open then", matters)
	}
	if _, matters := screen("2024-06-30"); !slices.Equal(matters, []string{"case:NYCC2"}) {
		t.Errorf("watchlist as of 2024-06-30: %v, want only the case open then", matters)
	}
}

// TestAsOfLeftToTheDataNeverGoesBack: after a run given a date later than the data's latest,
// a run that leaves the date to the data screens that later date again (and, with nothing new,
// stores nothing), rather than going back to the data's latest and replacing the outputs; it
// says so. A given earlier date is still screened.
func TestAsOfLeftToTheDataNeverGoesBack(t *testing.T) {
	cfg := testConfig(t)
	today := asOf(t, "2026-01-01")
	if s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-20"), Today: today}); err != nil || s.DataLatest != "" {
		t.Fatalf("first run: %+v, %v", s, err)
	}
	s, err := Run(context.Background(), plan(t, cfg), Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if s.AsOf != "2025-06-20" || s.DataLatest != "2025-06-08" || s.Standing == "" {
		t.Errorf("as of %s (data's latest %q), standing %q: want 2025-06-20 kept, 2025-06-08 said, nothing stored", s.AsOf, s.DataLatest, s.Standing)
	}
	s, err = Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-08"), Today: today})
	if err != nil || s.AsOf != "2025-06-08" || s.DataLatest != "" || s.RunID == "" {
		t.Errorf("a given earlier date: %+v, %v", s, err)
	}
}

// TestAsOfFromAStrayEventSaysSo: a run that takes its as-of date from the data, where a closing
// date years after the last case received sets it (NYC 311's JSON: closed in 2018, received up to
// 2012), says so with the latest case received, and its report too; a closing date within a
// month of it says nothing.
func TestAsOfFromAStrayEventSaysSo(t *testing.T) {
	for _, c := range []struct{ closed, want string }{{"2018-02-07", "2012-11-21"}, {"2012-12-15", ""}} {
		cfg := testConfig(t)
		cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
		cfg.Input = t.TempDir()
		body := "unique_key,account,opendate,closedate,complaint_type,descriptor,zip,borough,city,council_dist,community_board\n" +
			"NYCC1,NYCC01,2012-11-02," + c.closed + ",Housing,Heat,,,,,\n" +
			"NYCC2,NYCC01,2012-11-21,,Housing,Heat,,,,,\n"
		if err := os.WriteFile(filepath.Join(cfg.Input, "export.csv"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Run(context.Background(), plan(t, cfg), Options{Today: asOf(t, "2026-01-01"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if s.AsOf != c.closed || s.RecordsLatest != c.want {
			t.Errorf("closed %s: as of %s, records' latest %q; want as of %s, %q", c.closed, s.AsOf, s.RecordsLatest, c.closed, c.want)
		}
		// The leaders' report says so among its data warnings.
		report, err := os.ReadFile(filepath.Join(cfg.Output, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		if said := strings.Contains(string(report), "取自办理环节的日期，而最晚的受理或来信来访在 "+c.want); said != (c.want != "") {
			t.Errorf("closed %s: the report says so: %v", c.closed, said)
		}
	}
}
