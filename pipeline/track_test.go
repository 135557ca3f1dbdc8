package pipeline

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/web/review"
)

func runAsOf(t *testing.T, cfg configs.Config, day string) *Summary {
	t.Helper()
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, day), Version: "test"})
	if err != nil {
		t.Fatalf("run as of %s: %v", day, err)
	}
	return s
}

// states returns the run's matter states and notes (zh) by matter id, cleared and suppressed
// matters included.
func states(t *testing.T, cfg configs.Config, runID string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range query(t, cfg, `SELECT matter_id, state || ' ' || note_zh FROM matter_changes WHERE run_id = $1`, runID) {
		out[r[0].(string)] = strings.TrimSpace(r[1].(string))
	}
	return out
}

func listed(t *testing.T, cfg configs.Config, runID string) []string {
	t.Helper()
	var ids []string
	for i, r := range query(t, cfg, `SELECT matter_id, rank FROM watchlist WHERE run_id = $1 ORDER BY rank`, runID) {
		if r[1].(int32) != int32(i+1) {
			t.Errorf("ranks are not 1..n: %v at %d", r[1], i+1)
		}
		ids = append(ids, r[0].(string))
	}
	return ids
}

func TestTrackingFromRunToRun(t *testing.T) {
	cfg := testConfig(t)
	first := runAsOf(t, cfg, "2025-06-30")
	for m, st := range states(t, cfg, first.RunID) {
		if st != StateNew {
			t.Errorf("first run: %s is %q, want new", m, st)
		}
	}
	if first.States[StateNew] != first.WatchlistItems {
		t.Errorf("first run states %v, %d items", first.States, first.WatchlistItems)
	}

	// A re-run of the same night, screened in full, is compared with the night before, as the
	// first attempt was.
	rerun, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test", Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := states(t, cfg, rerun.RunID), states(t, cfg, first.RunID); !maps.Equal(got, want) {
		t.Errorf("re-run of the night: states %v, want the first attempt's %v", got, want)
	}
	// Both are the first as of their date; the re-run knows of the attempt before it.
	if first.PrevAsOf != "" || first.SameAsOfRuns != 0 || rerun.PrevAsOf != "" || rerun.SameAsOfRuns != 1 {
		t.Errorf("first run compared with %q after %d, re-run with %q after %d; want none after 0, none after 1",
			first.PrevAsOf, first.SameAsOfRuns, rerun.PrevAsOf, rerun.SameAsOfRuns)
	}

	// The next night nothing changed: every item continues.
	next := runAsOf(t, cfg, "2025-07-01")
	if next.PrevAsOf != "2025-06-30" || next.SameAsOfRuns != 0 {
		t.Errorf("next night compared with %q after %d, want 2025-06-30 after 0", next.PrevAsOf, next.SameAsOfRuns)
	}
	for m, st := range states(t, cfg, next.RunID) {
		if st != StateContinuing {
			t.Errorf("next night: %s is %q, want continuing", m, st)
		}
	}

	// The same night again with the red tier raised out of reach (its score decayed, say): an
	// item that was red is orange, continuing, and its note says its tier fell.
	lower := cfg
	lower.Watchlist.Tiers.Red = 1000
	down, err := Run(context.Background(), plan(t, lower), Options{AsOf: asOf(t, "2025-07-01"), Version: "test", Full: true})
	if err != nil {
		t.Fatal(err)
	}
	fell := 0
	for m, st := range states(t, cfg, down.RunID) {
		if st == StateContinuing+" 等级降为橙" {
			fell++
		} else if st != StateContinuing {
			t.Errorf("red out of reach: %s is %q, want continuing", m, st)
		}
	}
	if fell == 0 {
		t.Error("red out of reach: no item's note says its tier fell")
	}

	// The night after, the analysts switch the rules that list XF-001 and XF-003 off: they
	// clear, each note saying how its case stands. Switched back on the night after that,
	// XF-001 is back, and says when it was last listed.
	off := cfg
	off.Rules = nil
	for _, r := range cfg.Rules {
		if r.ID != "repeat-contacts" && r.ID != "escalation-higher-level" && !strings.HasPrefix(r.ID, "stalled-") {
			off.Rules = append(off.Rules, r)
		}
	}
	cleared := runAsOf(t, off, "2025-07-02")
	// XF-001 was answered in May: its one case is no longer pending.
	noRule := StateCleared + " 本次不再触发任何预警规则：所涉信访件均已答复、办结或终结"
	if st := states(t, cfg, cleared.RunID)["case:XF-001"]; st != noRule {
		t.Errorf("rules off: case:XF-001 is %q, want cleared, no longer flagged", st)
	}
	if st, want := states(t, cfg, cleared.RunID)["case:XF-003"], StateCleared+" 本次不再触发任何预警规则（所涉信访件中1件仍在办理）"; st != want {
		t.Errorf("rules off: case:XF-003 is %q, want %q", st, want)
	}
	back := runAsOf(t, cfg, "2025-07-03")
	if st := states(t, cfg, back.RunID)["case:XF-001"]; st != StateReopened+" 曾于2025-07-01列入清单，再次出现" {
		t.Errorf("rules on again: case:XF-001 is %q, want reopened with a note", st)
	}

	// A year later the contact-driven flags are out of their lookback: those matters clear,
	// and the stalled case is far further past its deadline.
	later := runAsOf(t, cfg, "2026-07-30")
	st := states(t, cfg, later.RunID)
	if st["case:XF-001"] != noRule {
		t.Errorf("a year later case:XF-001 is %q, want cleared, no longer flagged", st["case:XF-001"])
	}
	if st["case:XF-003"] != StateWorse+" 超期446天（此前54天）" {
		t.Errorf("a year later case:XF-003 is %q, want worse, 446 days overdue", st["case:XF-003"])
	}
}

func TestDismissedMatterStaysOffUntilMateriallyWorse(t *testing.T) {
	cfg := testConfig(t)
	first := runAsOf(t, cfg, "2025-06-30")
	// XF-003 is overdue since 2025-05-10 (51 days on 2025-06-30).
	db, err := OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO dismissals (matter_id, run_id, dismissed_by, dismissed_at, reason, lifted_at, lifted_reason) VALUES ('case:XF-003', $1, 'leader1', now(), '已专班化解', NULL, NULL)`, first.RunID); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Five days later, 56 days overdue: still dismissed, off the watchlist, ranks closed up.
	quiet := runAsOf(t, cfg, "2025-07-05")
	if st := states(t, cfg, quiet.RunID)["case:XF-003"]; st != StateSuppressed {
		t.Errorf("5 days on, case:XF-003 is %q, want suppressed", st)
	}
	for _, m := range listed(t, cfg, quiet.RunID) {
		if m == "case:XF-003" {
			t.Errorf("a dismissed matter is on the watchlist")
		}
	}
	if quiet.States[StateSuppressed] != 1 || quiet.WatchlistItems != first.WatchlistItems-1 {
		t.Errorf("5 days on: states %v, %d items (first run %d)", quiet.States, quiet.WatchlistItems, first.WatchlistItems)
	}

	// Past 60 days overdue (twice worse_overdue_days, where it was past 30 when dismissed), the
	// case comes back, says why, and the dismissal is lifted.
	worse := runAsOf(t, cfg, "2025-07-30")
	st := states(t, cfg, worse.RunID)["case:XF-003"]
	if !strings.HasPrefix(st, StateReopened+" ") || !strings.Contains(st, "排除后加重：超期81天（此前51天）") {
		t.Errorf("30 days on, case:XF-003 is %q, want reopened because 81 days overdue", st)
	}
	if !slices.Contains(listed(t, cfg, worse.RunID), "case:XF-003") {
		t.Errorf("the matter that got worse is not back on the watchlist")
	}
	lifted := query(t, cfg, `SELECT lifted_at IS NOT NULL, lifted_reason FROM dismissals`)
	if len(lifted) != 1 || lifted[0][0] != true || !strings.Contains(lifted[0][1].(string), "超期81天") {
		t.Errorf("dismissal after it came back: %v", lifted)
	}
	notes := query(t, cfg, `SELECT state, state_note_en FROM watchlist WHERE run_id = $1 AND matter_id = 'case:XF-003'`, worse.RunID)
	if len(notes) != 1 || !strings.Contains(notes[0][1].(string), "back because 81 days overdue (was 51)") {
		t.Errorf("watchlist note: %v", notes)
	}

	// Dismissed again at 81 days: 32 days further (113) is not worse, 120 days (four times
	// worse_overdue_days) is.
	db, err = OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO dismissals (matter_id, run_id, dismissed_by, dismissed_at, reason, lifted_at, lifted_reason) VALUES ('case:XF-003', $1, 'leader1', now(), '已专班化解', NULL, NULL)`, worse.RunID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st := states(t, cfg, runAsOf(t, cfg, "2025-08-31").RunID)["case:XF-003"]; st != StateSuppressed {
		t.Errorf("113 days overdue, dismissed at 81: %q, want suppressed", st)
	}
	if st := states(t, cfg, runAsOf(t, cfg, "2025-09-07").RunID)["case:XF-003"]; !strings.Contains(st, "超期120天（此前81天）") {
		t.Errorf("120 days overdue, dismissed at 81: %q, want reopened", st)
	}
}

func TestMatterResolvedInReviewButStillFlaggedSaysSo(t *testing.T) {
	cfg := testConfig(t)
	runAsOf(t, cfg, "2025-06-30")
	db, err := OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO matter_review (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version, updated_at, updated_by) VALUES ('case:XF-003', 'resolved', 'leader1', '专班化解', DATE '2025-07-15',
  TIMESTAMPTZ '2025-07-01 09:00:00+08', TIMESTAMPTZ '2025-07-01 10:00:00+08', 3, now(), 'leader1')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	next := runAsOf(t, cfg, "2025-07-01")
	notes := query(t, cfg, `SELECT state_note_zh, state_note_en FROM watchlist WHERE run_id = $1 AND matter_id = 'case:XF-003'`, next.RunID)
	if len(notes) != 1 || !strings.HasPrefix(notes[0][0].(string), "审阅中已于2025-07-01标记化解，数据仍显示预警") ||
		!strings.HasPrefix(notes[0][1].(string), "marked resolved in review on 2025-07-01 but still flagged by the data") {
		t.Errorf("notes of a matter resolved in review but still flagged: %v", notes)
	}
}

// An unsatisfied return visit (回访不满意) reopens a resolved matter in review; the next run
// shows it reopened and says why, and the run after keeps the note while it stays owned.
func TestUnsatisfiedReturnVisitReopensOnTheNextRun(t *testing.T) {
	cfg := testConfig(t)
	first := runAsOf(t, cfg, "2025-06-30")
	db, err := OpenDB(context.Background(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := review.NewStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	const id = "case:XF-003"
	leader := review.Actor{Name: "leader1", Role: review.RoleLeader}
	office := review.Actor{Name: "office1", Role: review.RoleOffice}
	var v int64
	for _, step := range []struct {
		a review.Actor
		c review.Change
	}{
		{office, review.Change{Action: review.ActAssign, Owner: "leader1", Due: time.Now().AddDate(0, 0, 7).Format(time.DateOnly)}},
		{leader, review.Change{Action: review.ActPlan, Plan: "专班化解", Due: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}},
		{leader, review.Change{Action: review.ActResolve, Note: "已答复"}},
		{office, review.Change{Action: review.ActVisit, Satisfaction: review.Unsatisfied, Note: "信访人称补偿未到位"}},
	} {
		step.c.Version = v
		after, err := st.Apply(ctx, step.a, id, step.c)
		if err != nil {
			t.Fatalf("%s: %v", step.c.Action, err)
		}
		v = after.Version
	}
	db.Close()
	if s := states(t, cfg, first.RunID)[id]; s != StateNew {
		t.Fatalf("first run: %s is %q", id, s)
	}
	// The run writes dates in the config's zone.
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(loc).Format(time.DateOnly)
	next := runAsOf(t, cfg, "2025-07-01")
	if s := states(t, cfg, next.RunID)[id]; !strings.HasPrefix(s, StateReopened+" ") || !strings.Contains(s, "回访不满意，已于"+day+"重新办理") {
		t.Errorf("the run after the visit: %s is %q, want reopened after an unsatisfied return visit", id, s)
	}
	notes := query(t, cfg, `SELECT state, state_note_en FROM watchlist WHERE run_id = $1 AND matter_id = $2`, next.RunID, id)
	if len(notes) != 1 || notes[0][0] != StateReopened || !strings.Contains(notes[0][1].(string), "reopened on "+day+" after an unsatisfied return visit") {
		t.Errorf("watchlist row: %v", notes)
	}
	later := runAsOf(t, cfg, "2025-07-02")
	if s := states(t, cfg, later.RunID)[id]; !strings.HasPrefix(s, StateContinuing+" ") || !strings.Contains(s, "回访不满意") {
		t.Errorf("the run after that: %s is %q, want continuing with the note", id, s)
	}
}

// A matter new on a night though it met its rule before the night before (a record added late,
// or an old one corrected) says so: a leader asks why a visit of nine days ago is new today.
func TestNewMatterFromLateRecordsSaysSo(t *testing.T) {
	cfg := testConfig(t)
	dir := t.TempDir()
	for _, name := range []string{"cases.csv", "contacts.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join(tinyInput, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	first := runAsOf(t, cfg, "2025-07-01")
	// A case of 2025-06-20 and its group visit of 9 on 2025-06-25, entered after that night.
	for name, line := range map[string]string{
		"cases.csv":    "XF-011,2025-06-20,visit,county,P-k,9,劳资纠纷,新桥乡,新桥村,某某物流有限公司,县人社局,办理中,9名司机反映某某物流有限公司拖欠运费。\n",
		"contacts.csv": "V-099,XF-011,2025-06-25,visit,county,P-k,9\n",
	} {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	next := runAsOf(t, cfg, "2025-07-02")
	got := states(t, cfg, next.RunID)["case:XF-011"]
	if want := StateNew + " 2025-06-25起即已达到预警条件，但截至2025-07-01的上次运行未列入：所据记录为此后补录或更正，或规则设置有变"; got != want {
		t.Errorf("case:XF-011 is %q, want %q (first run's states %v)", got, want, states(t, cfg, first.RunID))
	}
}
