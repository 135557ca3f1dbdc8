package pipeline

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/realdata"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// runReal loads one real file through a shipped profile, screens it as of the latest date in
// the data and checks that every record is accounted for: read = loaded + quarantined, read is
// the number of records in the file, and every quarantine entry names its line.
func runReal(t *testing.T, profile, input string, records int64) (configs.Config, *Summary) {
	t.Helper()
	cfg := testConfig(t)
	cfg.Profile = filepath.Join("../configs/profiles", profile+".yaml")
	cfg.Input = realdata.File(t, input)
	cfg.TimeZone = "America/New_York"
	if _, err := os.Stat(cfg.Input); err != nil {
		t.Fatalf("real data missing: %v", err)
	}
	s, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test"})
	if err != nil {
		t.Fatalf("%s: %v", profile, err)
	}
	if len(s.Inputs) != 1 {
		t.Fatalf("inputs %+v", s.Inputs)
	}
	in := s.Inputs[0]
	if in.Read != records || in.Read != in.Loaded+in.Quarantined {
		t.Errorf("%s: read %d, loaded %d, quarantined %d; the file has %d records", input, in.Read, in.Loaded, in.Quarantined, records)
	}
	q := query(t, cfg, "SELECT count(*), count(line) FILTER (WHERE line > 1) FROM quarantine WHERE file = $1", in.Path)
	if q[0][0].(int64) != in.Quarantined || q[0][1].(int64) != in.Quarantined {
		t.Errorf("%s: quarantine holds %v entries (with a line: %v), the run record says %d", input, q[0][0], q[0][1], in.Quarantined)
	}
	loaded := query(t, cfg, "SELECT count(*) FROM cases")[0][0].(int64)
	if loaded != in.Loaded {
		t.Errorf("%s: %d cases in the database, the run record says %d loaded", input, loaded, in.Loaded)
	}
	return cfg, s
}

// csvRecords counts the records of a CSV after skip preamble lines and the header.
func csvRecords(t *testing.T, path string, comma rune, skip int) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for range skip {
		if _, err := br.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	r := csv.NewReader(br)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = comma, true, -1
	var n int64
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n - 1
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}

// reasons counts quarantine entries by field and the reason's text (in English) up to its
// first "(".
func reasons(t *testing.T, cfg configs.Config) map[string]int64 {
	out := map[string]int64{}
	for _, r := range query(t, cfg, "SELECT field, reason FROM quarantine") {
		field := r[0].(string)
		reason := runrecord.RenderReason("en", field, r[1].(string))
		reason = strings.TrimSpace(strings.SplitN(strings.TrimPrefix(reason, field+": "), "(", 2)[0])
		out[field+": "+reason]++
	}
	return out
}

func TestRealNYCCouncilLongOpenCases(t *testing.T) {
	file := realdata.File(t, "nyc-council-constituent-services/nycomplaints.csv")
	cfg, s := runReal(t, "nyc-council-constituent-services", "nyc-council-constituent-services/nycomplaints.csv",
		csvRecords(t, file, ',', 0))
	if s.AsOf != "2025-01-09" {
		t.Errorf("as of %s, want the latest date in the data, 2025-01-09", s.AsOf)
	}
	// 105 ids appear twice; the fuller copy stays, its line named in the other's reason.
	var dups, others int64
	for reason, n := range reasons(t, cfg) {
		if strings.HasPrefix(reason, "case_id: duplicate id within the file; line ") && strings.HasSuffix(reason, ", more complete or later, with the same id was loaded") {
			dups += n
		} else {
			others += n
		}
	}
	if dups != 105 || others != 0 {
		t.Errorf("%d duplicates quarantined naming the line kept and %d rows for other reasons, want 105 and none", dups, others)
	}
	if r := query(t, cfg, "SELECT township, village FROM cases WHERE case_id = 'NYCC12502536'"); len(r) != 1 || r[0][0] != "Bronx" || r[0][1] != "12 Bronx" {
		t.Errorf("duplicate NYCC12502536 kept %v, want the copy with its geography (Bronx, 12 Bronx)", r)
	}
	// Every case still open more than a year after it was opened is flagged as stalled and
	// listed (on its own or inside a cluster), and no closed case is.
	stalled := `SELECT DISTINCT rule_matter_id AS matter_id FROM flags WHERE run_id = $1 AND family = 'stalled'
  AND matter_id IN (SELECT matter_id FROM watchlist WHERE run_id = $1)`
	r := query(t, cfg, `SELECT count(*) FROM cases WHERE status = 'open' AND received_date < DATE '2024-01-09'
  AND 'case:' || case_id NOT IN (`+stalled+`)`, s.RunID)
	if r[0][0].(int64) != 0 {
		t.Errorf("%d long-open cases are not flagged as stalled", r[0][0])
	}
	r = query(t, cfg, `SELECT count(*) FILTER (WHERE c.status = 'open'), count(*) FILTER (WHERE c.status = 'closed')
  FROM (`+stalled+`) m JOIN cases c ON m.matter_id = 'case:' || c.case_id`, s.RunID)
	if r[0][0].(int64) < 14049 || r[0][1].(int64) != 0 {
		t.Errorf("stalled: %v open and %v closed cases; want ≥ 14049 open (README) and no closed", r[0][0], r[0][1])
	}
}

// Two runs a month apart on the council's data: a matter long past its deadline is not worse
// for another month of it (only on reaching 30, 60, 120 … days overdue), and a case flagged on
// its own that was part of a cluster on the previous list says which.
func TestRealNYCCouncilAMonthLater(t *testing.T) {
	cfg := testConfig(t)
	cfg.Profile = "../configs/profiles/nyc-council-constituent-services.yaml"
	cfg.Input = realdata.File(t, "nyc-council-constituent-services/nycomplaints.csv")
	cfg.TimeZone = "America/New_York"
	for _, d := range []string{"2023-11-30", "2023-12-31"} {
		if _, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, d), Version: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	stage := func(days int) int { // how many of 30, 60, 120 … days are reached
		n := 0
		for d := cfg.Watchlist.WorseOverdueDays; d <= days; d *= 2 {
			n++
		}
		return n
	}
	overdue := regexp.MustCompile(`^超期(\d+)天（此前(\d+)天）$`)
	rows := query(t, cfg, `SELECT w.matter_id, w.state, w.state_note_zh, w.matter_kind,
  (SELECT string_agg(p.matter_id, ',') FROM watchlist p WHERE p.as_of = DATE '2023-11-30' AND p.matter_kind = 'cluster'
     AND list_contains(p.case_ids, w.case_ids[1]))
FROM watchlist w WHERE w.as_of = DATE '2023-12-31'`)
	worse, within := 0, 0
	for _, r := range rows {
		note, _ := r[2].(string)
		if m := overdue.FindStringSubmatch(note); r[1] == StateWorse && m != nil {
			now, before := atoi(t, m[1]), atoi(t, m[2])
			if worse++; before > 0 && stage(now) == stage(before) { // 0: newly overdue
				t.Errorf("%v worse for %q: no new doubling of %d days", r[0], note, cfg.Watchlist.WorseOverdueDays)
			}
		}
		if cl, _ := r[4].(string); r[1] == StateNew && r[3] == "case" && cl != "" {
			if within++; !strings.Contains(note, "上次清单中属于事项group:") {
				t.Errorf("new %v was in cluster %s on the previous list; its note %q does not say so", r[0], cl, note)
			}
		}
	}
	if worse == 0 || within == 0 {
		t.Errorf("%d items worse for their days overdue alone, %d new cases of a cluster of the previous list; want some of each", worse, within)
	}
}

func TestRealNYC311CSV(t *testing.T) {
	file := realdata.File(t, "nyc-311-samples/twosix_311_Service_Requests.csv")
	cfg, _ := runReal(t, "nyc-311-csv", "nyc-311-samples/twosix_311_Service_Requests.csv", csvRecords(t, file, ',', 0))
	// The README counts 10 requests closed before they were created.
	if got := reasons(t, cfg); got["closed_date: closed before it was received"] != 10 || len(got) != 1 {
		t.Errorf("quarantine reasons %v, want 10 closed before received", got)
	}
	r := query(t, cfg, "SELECT count(*) FILTER (WHERE channel = 'phone'), count(*) FILTER (WHERE channel = 'online'), count(DISTINCT target_org) FROM cases")
	if r[0][0].(int64) == 0 || r[0][1].(int64) == 0 || r[0][2].(int64) < 10 {
		t.Errorf("channels and agencies not mapped: %v", r)
	}
}

func TestRealNYC311OneNightGroupSignal(t *testing.T) {
	file := realdata.File(t, "nyc-311-samples/pyboot_311_2022-05-01.csv")
	cfg, s := runReal(t, "nyc-311-csv", "nyc-311-samples/pyboot_311_2022-05-01.csv", csvRecords(t, file, ',', 0))
	// Two hours of one night, mostly noise complaints to NYPD: residential noise in one
	// borough reaches the wave threshold (each request counts as its own complainant, and the
	// reason says so).
	r := query(t, cfg, `SELECT reason_zh, reason_en FROM watchlist WHERE run_id = $1 AND list_contains(rules, 'group-wave') AND category = 'Noise - Residential'`, s.RunID)
	if len(r) == 0 {
		t.Error("no wave flag on residential noise")
	}
	for _, x := range r {
		if zh, en := x[0].(string), x[1].(string); !strings.Contains(zh, "（均未记录信访人，") || !strings.Contains(en, " (no complainant recorded: ") {
			t.Errorf("the reason of a wave of requests that name no complainant does not say so:\n%s\n%s", zh, en)
		}
	}
}

func TestRealNYC311SocrataJSON(t *testing.T) {
	file := realdata.File(t, "nyc-311-samples/twosix_fhrw-4uyv.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var objs []json.RawMessage
	if err := json.Unmarshal(b, &objs); err != nil {
		t.Fatal(err)
	}
	cfg, _ := runReal(t, "nyc-311-json", "nyc-311-samples/twosix_fhrw-4uyv.json", int64(len(objs)))
	// README: 7 objects close before they were created, one of them on the 1900-01-01 sentinel.
	got := reasons(t, cfg)
	if got["closed_date: closed before it was received"] != 6 || got["closed_date: placeholder date 1900-01-01 means the date is unknown"] != 1 || len(got) != 2 {
		t.Errorf("quarantine reasons %v", got)
	}
	r := query(t, cfg, "SELECT line FROM quarantine WHERE reason LIKE '%1900-01-01%'")
	if len(r) != 1 || !strings.Contains(strings.Split(string(b), "\n")[r[0][0].(int64)-1], `"closed_date":"1900-01-01`) {
		t.Errorf("sentinel quarantined at %v, which is not the line holding it", r)
	}
}

func TestRealOpen311MultiCity(t *testing.T) {
	file := realdata.File(t, "open311-georeport-multicity-sample/sample_311_data.tsv")
	cfg, _ := runReal(t, "open311-georeport-v2", "open311-georeport-multicity-sample/sample_311_data.tsv", csvRecords(t, file, '\t', 0))
	// Ids are unique per city only; the case key is city:id. Updated-before-requested by
	// seconds is no error.
	r := query(t, cfg, `SELECT count(*), count(DISTINCT township), count(*) FILTER (WHERE status = 'closed'),
  (SELECT count(*) FROM events WHERE event_type = 'closed') FROM cases`)
	if r[0][0].(int64) != 701 || r[0][1].(int64) != 6 || r[0][2] != r[0][3] {
		t.Errorf("cases, cities, closed, closed events = %v; want 701 cases in 6 cities, one closed event per closed case", r[0])
	}
}

func TestRealCFPBPreambleAndCompanies(t *testing.T) {
	file := realdata.File(t, "cfpb-consumer-complaints-sample/complaints_sample.csv")
	cfg, _ := runReal(t, "cfpb-complaints", "cfpb-consumer-complaints-sample/complaints_sample.csv", csvRecords(t, file, ',', 2))
	r := query(t, cfg, `SELECT count(*) FILTER (WHERE target_org = 'TRANSUNION INTERMEDIATE HOLDINGS, INC.'),
  count(*) FILTER (WHERE status = 'In progress'), (SELECT count(*) FROM events WHERE event_type = 'closed'),
  count(*) FILTER (WHERE channel = 'letter') FROM cases`)
	// README: TransUnion 1,708; 35 in progress; open = in progress + 37 untimely; letters are
	// postal mail 267 + fax 102 + referral 627.
	if r[0][0].(int64) != 1708 || r[0][1].(int64) != 35 || r[0][2].(int64) != 6623-35-37 || r[0][3].(int64) != 267+102+627 {
		t.Errorf("TransUnion, in progress, closed events, letters = %v", r[0])
	}
}

// runBoard screens the message board folder through a shipped profile (found by name), as of
// asOf, and checks that every message is accounted for and the board's other files are listed
// as ignored.
func runBoard(t *testing.T, profile, day string) (configs.Config, *Summary, runrecord.FileResult) {
	t.Helper()
	cfg := testConfig(t)
	cfg.Profile = profile
	cfg.Input = realdata.File(t, "cn-message-board")
	s, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf(t, day), Version: "test"})
	if err != nil {
		t.Fatalf("%s: %v", profile, err)
	}
	var read []runrecord.FileResult
	var ignored []string
	for _, f := range s.Inputs {
		if f.Ignored {
			ignored = append(ignored, filepath.Base(f.Path))
		} else {
			read = append(read, f)
		}
	}
	if len(read) != 1 || len(ignored) != 3 {
		t.Fatalf("read %+v, ignored %v; want one file read and README.md and the two other workbooks ignored", read, ignored)
	}
	if f := read[0]; f.Read != f.Loaded+f.Quarantined {
		t.Errorf("read %d ≠ loaded %d + quarantined %d", f.Read, f.Loaded, f.Quarantined)
	}
	return cfg, s, read[0]
}

// TestRealMessageBoardReplies: replies.xlsx loads through its shipped profile with no code
// change: every message is read; of the 42 messages repeating an earlier (user, subject), the
// 24 sent twice (the same text the same day, white space aside) are quarantined as such and the
// 18 others become contacts of the earlier message's case; replies are answers.
func TestRealMessageBoardReplies(t *testing.T) {
	cfg, s, f := runBoard(t, "cn-message-board-replies", "auto")
	if f.Read != 2816 || f.Quarantined != 24 || sentTwice(t, cfg) != 24 {
		t.Errorf("read %d, quarantined %d; want 2816 messages, 24 quarantined as sent twice", f.Read, f.Quarantined)
	}
	if c := f.FoundInText["township"]; c.Searched != 2816 || c.Found < 1500 {
		t.Errorf("districts found in %d of %d messages, want at least 1,500 of 2,816", c.Found, c.Searched)
	}
	if s.AsOf != "2020-01-09" {
		t.Errorf("as of %s", s.AsOf)
	}
	r := query(t, cfg, `SELECT count(*), count(DISTINCT case_id) FROM contacts WHERE contact_id <> case_id`)
	if r[0][0].(int64) != 18 || r[0][1].(int64) > 18 {
		t.Errorf("repeat messages: %v contacts of %v cases; want 18 contacts of at most 18 cases", r[0][0], r[0][1])
	}
	r = query(t, cfg, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM contacts),
  (SELECT count(*) FROM events WHERE event_type = 'answered'), (SELECT count(*) FROM cases WHERE township <> '未注明区县')`)
	if r[0][0].(int64) != 2816-42 || r[0][1].(int64) != 2816-24 || r[0][2].(int64) < 2777 || r[0][3].(int64) < 1500 {
		t.Errorf("cases, contacts, answers, cases with a district from the text: %v", r[0])
	}
}

// sentTwice counts the quarantined rows that are messages sent twice.
func sentTwice(t *testing.T, cfg configs.Config) int64 {
	t.Helper()
	return query(t, cfg, "SELECT count(*) FROM quarantine WHERE reason LIKE '%"+runrecord.ReasonSentTwice+"%'")[0][0].(int64)
}

// TestRealMessageBoardPastDate: screened as of a past day, the board is as it was that day:
// later messages are left out, and a message answered after that day is open on it.
func TestRealMessageBoardPastDate(t *testing.T) {
	cfg, s, f := runBoard(t, "cn-message-board-replies", "2019-06-30")
	if f.Quarantined != 24 || sentTwice(t, cfg) != 24 {
		t.Errorf("quarantined %d; messages after the as-of date are left out of the screening, not rejected (only the 24 sent twice are)", f.Quarantined)
	}
	// Messages received by 2019-04-01 and answered after 2019-06-30 were open for 90 days
	// and more: each is flagged as stalled.
	r := query(t, cfg, `WITH late AS (
  SELECT c.case_id FROM cases c JOIN events e ON e.case_id = c.case_id AND e.event_type = 'answered'
  WHERE c.received_date <= DATE '2019-04-01'
  GROUP BY c.case_id HAVING min(e.event_date) > DATE '2019-06-30')
SELECT count(*), count(*) FILTER (WHERE 'case:' || case_id IN (SELECT matter_id FROM watchlist WHERE run_id = $1)) FROM late`, s.RunID)
	if r[0][0].(int64) == 0 || r[0][1] != r[0][0] {
		t.Errorf("messages open on 2019-06-30 for 90 days and more: %v, on the watchlist: %v", r[0][0], r[0][1])
	}
}

// TestRealMessageBoardLabelled: labelled.xlsx loads its 495 messages; the 64,707 empty rows
// after them are skipped, not counted.
func TestRealMessageBoardLabelled(t *testing.T) {
	cfg, _, f := runBoard(t, "cn-message-board-labelled", "auto")
	if f.Read != 495 || f.Quarantined > 1 {
		t.Errorf("read %d, quarantined %d; want 495 messages, at most the one repeated id", f.Read, f.Quarantined)
	}
	if r := query(t, cfg, "SELECT count(DISTINCT category) FROM cases"); r[0][0].(int64) != 7 {
		t.Errorf("categories %v, want the 7 first-level labels", r[0][0])
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
