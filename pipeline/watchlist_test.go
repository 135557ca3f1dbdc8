package pipeline

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/datatest"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

// generatedCounty writes the county `earlywarn gen --seed 7` writes (20,000 cases in 2025) and
// returns a test config reading it, and its last day.
func generatedCounty(t *testing.T) (configs.Config, time.Time) {
	t.Helper()
	if testing.Short() {
		t.Skip("generates and screens a 20,000-case county")
	}
	in := filepath.Join(t.TempDir(), "county")
	start, _ := time.Parse(time.DateOnly, "2025-01-01")
	gs, err := synth.Generate(context.Background(), synth.Config{Seed: 7, Cases: 20000, Start: start, Days: 365}, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Input = in
	return cfg, gs.AsOf
}

func withRules(cfg configs.Config, ids ...string) configs.Config {
	var rs []configs.RuleSpec
	for _, r := range cfg.Rules {
		if slices.Contains(ids, r.ID) {
			rs = append(rs, r)
		}
	}
	cfg.Rules = rs
	return cfg
}

// Night after night on one generated county (to screen it once per night):
//
//   - clusters sharing cases are one matter under the oldest id (checkMerged);
//   - matters whose flags all went quiet leave the watchlist, and scores decay (checkQuiet).
func TestWatchlistNightAfterNight(t *testing.T) {
	cfg, _ := generatedCounty(t)
	checkMerged(t, cfg)
	checkQuiet(t, cfg, runAsOf(t, cfg, "2025-07-31"))
}

// In the generated county, 14 people wrote about 青山乡 / 城乡建设 / 正阳市政工程有限公司 from
// 16 to 19 February 2025: the wave rule flags their cases from the 19th, the baseline rule
// (with two more cases) from the 20th. Screened with only the wave rule on the 19th and only
// the baseline rule on the 20th, the clusters are listed apart; with both on the 21st, they are
// one matter under the wave's id, listed first.
func checkMerged(t *testing.T, cfg configs.Config) {
	t.Helper()
	wave := runAsOf(t, withRules(cfg, "group-wave"), "2025-02-19")
	baseline := runAsOf(t, withRules(cfg, "group-baseline"), "2025-02-20")
	both := runAsOf(t, cfg, "2025-02-21")

	clusters := func(runID string) map[string][]string {
		out := map[string][]string{}
		for _, r := range query(t, cfg, `SELECT matter_id, array_to_string(case_ids, ' ') FROM watchlist
WHERE run_id = $1 AND matter_kind = 'cluster' AND township = '青山乡' AND category = '城乡建设'`, runID) {
			out[r[0].(string)] = strings.Fields(r[1].(string))
		}
		return out
	}
	w, b := clusters(wave.RunID), clusters(baseline.RunID)
	if len(w) != 1 || len(b) != 1 {
		t.Fatalf("want one wave and one baseline cluster in 青山乡 / 城乡建设, got %v and %v", w, b)
	}
	var waveID, baselineID string
	for id := range w {
		waveID = id
	}
	for id := range b {
		baselineID = id
	}
	if waveID == baselineID {
		t.Fatalf("the two rules gave their clusters the same id %s", waveID)
	}

	// Together: one matter, under the id listed first (the wave's), holding every case of both,
	// with both rules and both reasons.
	got := query(t, cfg, `SELECT matter_id, array_to_string(case_ids, ' '), array_to_string(rules, ' '),
  array_to_string(merged_ids, ' '), reason_zh, state_note_zh FROM watchlist WHERE run_id = $1 AND (matter_id = $2 OR matter_id = $3)`,
		both.RunID, waveID, baselineID)
	if len(got) != 1 || got[0][0] != waveID {
		t.Fatalf("run with both rules lists %v, want only %s", got, waveID)
	}
	cases := strings.Fields(got[0][1].(string))
	for _, c := range append(slices.Clone(w[waveID]), b[baselineID]...) {
		if !slices.Contains(cases, c) {
			t.Errorf("merged matter lacks case %s", c)
		}
	}
	if got[0][2] != "group-wave group-baseline" || got[0][3] != baselineID {
		t.Errorf("merged matter: rules %q, merged %q; want both rules and %s", got[0][2], got[0][3], baselineID)
	}
	reason, note := got[0][4].(string), got[0][5].(string)
	if !strings.Contains(reason, "集中反映") || !strings.Contains(reason, "明显多于往常") {
		t.Errorf("merged reason does not tell both flags: %s", reason)
	}
	if !strings.Contains(note, baselineID) {
		t.Errorf("note %q does not say what merged", note)
	}
	if st := states(t, cfg, both.RunID)[baselineID]; !strings.HasPrefix(st, StateCleared) || !strings.Contains(st, waveID) {
		t.Errorf("the baseline cluster's change: %q, want cleared into %s", st, waveID)
	}
	// The stored flags are under the matter listed, each with its own rule's id.
	for _, r := range query(t, cfg, `SELECT rule_id, matter_id, rule_matter_id FROM flags WHERE run_id = $1 AND rule_matter_id IN ($2, $3)`,
		both.RunID, waveID, baselineID) {
		if r[1] != waveID {
			t.Errorf("flag of %v (%v) stored under %v, want %s", r[0], r[2], r[1], waveID)
		}
	}
	checkLiveAndDistinct(t, cfg, both.RunID)

	// The next night the same matter keeps its id.
	next := runAsOf(t, cfg, "2025-02-22")
	if st := states(t, cfg, next.RunID)[waveID]; st != StateContinuing {
		t.Errorf("next night the merged matter is %q, want continuing", st)
	}
}

// checkQuiet checks a run months after the one before it: a matter whose flags have all gone
// quiet (newest evidence older than the active window, no case pending) left the watchlist,
// recorded as cleared with the reason, and each score decayed with the age of its flags' newest
// evidence.
func checkQuiet(t *testing.T, cfg configs.Config, jul *Summary) {
	t.Helper()
	quiet := 0
	for m, st := range states(t, cfg, jul.RunID) {
		if !strings.HasPrefix(st, StateCleared) {
			continue
		}
		live := query(t, cfg, `SELECT count(*) FILTER (WHERE live), count(*) FROM flags WHERE run_id = $1 AND matter_id = $2`, jul.RunID, m)
		if n := live[0]; n[0].(int64) > 0 {
			t.Errorf("%s cleared with %v live flags", m, n[0])
		} else if n[1].(int64) > 0 {
			quiet++
			if !strings.Contains(st, "已平息") {
				t.Errorf("%s went quiet, its change says %q", m, st)
			}
		}
	}
	if quiet == 0 {
		t.Errorf("no matter of the previous watchlist went quiet by %s", jul.AsOf)
	}
	// The run says how many matters it flagged that are quiet: every one flagged that is neither
	// listed nor held back by a dismissal.
	flagged := query(t, cfg, `SELECT count(DISTINCT matter_id) FROM flags WHERE run_id = $1`, jul.RunID)[0][0].(int64)
	if want := flagged - jul.WatchlistItems - jul.States[StateSuppressed]; jul.QuietMatters != want || want < int64(quiet) {
		t.Errorf("the run counts %d quiet matters; of %d flagged, %d are not listed (%d of them seen going quiet)",
			jul.QuietMatters, flagged, want, quiet)
	}
	checkLiveAndDistinct(t, cfg, jul.RunID)

	// Each listed score is Σ weight × min(strength, cap) × ½^(age / half life), recomputed here
	// from the stored flags.
	asOf := time.Date(2025, 7, 31, 0, 0, 0, 0, time.UTC)
	score := map[string]float64{}
	for _, r := range query(t, cfg, `SELECT matter_id, weight, strength, family, last_evidence FROM flags WHERE run_id = $1`, jul.RunID) {
		age := asOf.Sub(r[4].(time.Time)).Hours() / 24
		if r[3] == "stalled" && age != 0 {
			t.Errorf("stalled flag of %v has evidence of %v, want the screening day", r[0], r[4])
		}
		score[r[0].(string)] += r[1].(float64) * min(r[2].(float64), cfg.Watchlist.StrengthCap) * math.Pow(0.5, age/float64(cfg.Watchlist.HalfLifeDays))
	}
	for _, r := range query(t, cfg, `SELECT matter_id, score FROM watchlist WHERE run_id = $1`, jul.RunID) {
		if want := math.Round(score[r[0].(string)]*100) / 100; math.Abs(r[1].(float64)-want) > 0.011 {
			t.Errorf("%v: score %v, want %.2f", r[0], r[1], want)
		}
	}
}

// A wave of three cases in 青山乡 merged with a baseline cluster that shares one of them and
// holds five more in 龙泉镇: the matter's reason leads with the wave (it weighs more), so its
// township, unit and title name the wave's place, not the larger cluster's; and its title and
// reasons say the matter reaches other townships and units, which (a new user's council export:
// a merged matter of 45 cases titled by the 15 of one office, the others unseen).
func TestMergedMatterIsPlacedByTheFlagItsReasonLeadsWith(t *testing.T) {
	ctx := context.Background()
	q := datatest.New(t)
	if err := ensureSchema(ctx, q); err != nil {
		t.Fatal(err)
	}
	wave := []string{"W1", "W2", "W3"}
	baseline := []string{"W1", "B1", "B2", "B3", "B4", "B5"}
	for _, id := range append(slices.Clone(wave), baseline[1:]...) {
		c := datatest.Case{ID: id, Received: "2025-03-01", Township: "青山乡", Unit: "青山乡人民政府", Target: "青山水库管理所",
			Content: "青山水库移民补助未发放"}
		if id[0] == 'B' {
			c.Township, c.Unit, c.Target, c.Content = "龙泉镇", "龙泉镇人民政府", "龙泉镇自来水厂", "龙泉镇供水水质差"
		}
		datatest.AddCases(t, q, c)
	}
	datatest.Exec(t, q, runFlagsSQL)
	flag := `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ($1, 'group', $2, 'yellow', 'M-wave', 'cluster', $3, []::VARCHAR[], DATE '2025-03-02', 3, '{}', $4, $5, $6, DATE '2025-03-01', true)`
	datatest.Exec(t, q, flag, "group-baseline", 2.0, baseline, "龙泉镇反映明显多于往常。", "More than usual.", "M-baseline")
	datatest.Exec(t, q, flag, "group-wave", 3.0, wave, "青山乡集中反映。", "A wave.", "M-wave")
	asOf := time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)
	if _, err := buildWatchlist(ctx, q, gistWatchlist(t), namerOf(nil), "zh", asOf); err != nil {
		t.Fatal(err)
	}
	var got [4]string
	var cases int
	err := q.QueryRowContext(ctx, `SELECT i.township, i.responsible_unit, i.reason_zh, n.title, len(i.case_ids)
FROM run_items i JOIN run_titles n USING (matter_id)`).Scan(&got[0], &got[1], &got[2], &got[3], &cases)
	if err != nil {
		t.Fatal(err)
	}
	want := [4]string{"青山乡", "青山乡人民政府",
		"青山乡集中反映。龙泉镇反映明显多于往常。（涉及2个乡镇街道：龙泉镇 5件、青山乡 3件）（涉及2个责任单位：龙泉镇人民政府 5件、青山乡人民政府 3件）",
		"青山乡等2个乡镇街道 · 征地拆迁 · 青山水库管理所等2个被反映单位：青山水库移民补助未发放"}
	if got != want || cases != 8 {
		t.Errorf("merged matter of %d cases (township, unit, reason, title) = %q, want 8 and %q", cases, got, want)
	}
}

// A cluster whose cases lie in several townships and with several responsible units: its
// columns name the most common, and its title and reasons say there are others, and which.
func TestClusterInSeveralTownshipsSaysSo(t *testing.T) {
	ctx := context.Background()
	q := datatest.New(t)
	if err := ensureSchema(ctx, q); err != nil {
		t.Fatal(err)
	}
	places := []struct{ id, township, unit string }{
		{"C1", "青山乡", "青山乡人民政府"}, {"C2", "青山乡", "青山乡人民政府"}, {"C3", "青山乡", "县水利局"},
		{"C4", "龙泉镇", "县水利局"}, {"C5", "石桥镇", "县水利局"}, {"C6", "洪山镇", "县水利局"},
	}
	var ids []string
	for _, p := range places {
		datatest.AddCases(t, q, datatest.Case{ID: p.id, Received: "2025-03-01", Township: p.township, Unit: p.unit,
			Target: "青山水库管理所", Content: "青山水库移民补助未发放"})
		ids = append(ids, p.id)
	}
	datatest.Exec(t, q, runFlagsSQL)
	datatest.Exec(t, q, `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ('group-copied-letters', 'group', 3, 'yellow', 'M', 'cluster', $1, []::VARCHAR[], DATE '2025-03-02', 1, '{}',
  '内容相同的来信。', 'Identical letters.', 'M', DATE '2025-03-01', true)`, ids)
	if _, err := buildWatchlist(ctx, q, gistWatchlist(t), namerOf(nil), "zh", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var got [5]string
	err := q.QueryRowContext(ctx, `SELECT i.township, i.responsible_unit, i.reason_zh, i.reason_en, n.title
FROM run_items i JOIN run_titles n USING (matter_id)`).Scan(&got[0], &got[1], &got[2], &got[3], &got[4])
	if err != nil {
		t.Fatal(err)
	}
	want := [5]string{"青山乡", "县水利局",
		"内容相同的来信。（涉及4个乡镇街道：青山乡 3件、龙泉镇 1件、石桥镇 1件等）（涉及2个责任单位：县水利局 4件、青山乡人民政府 2件）",
		"Identical letters. (in 4 townships: 青山乡 (3), 龙泉镇 (1), 石桥镇 (1) and others) (with 2 responsible units: 县水利局 (4), 青山乡人民政府 (2))",
		"青山乡等4个乡镇街道 · 征地拆迁 · 青山水库管理所：青山水库移民补助未发放"}
	for i, what := range []string{"township", "unit", "reason (zh)", "reason (en)", "title"} {
		if got[i] != want[i] {
			t.Errorf("%s %q, want %q", what, got[i], want[i])
		}
	}
}

// A cluster whose cases have flags of their own: up to two such cases are told in full; of
// more, how many cases each rule flagged (named as the run names it) with a few for example,
// then the case told first in full, rather than five cases' reasons one after another.
func TestClusterReasonCountsItsFlaggedCasesByRule(t *testing.T) {
	cfg := testConfig(t)
	rs, err := rules.Compile(cfg.Rules, cfg.Clocks)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		overdue, noProgress []string
		zh, en              string
	}{{
		overdue: []string{"C1", "C2", "C3", "C4"}, noProgress: []string{"C2", "C5"},
		zh: "集中反映。所涉信访件另有预警：当前环节超过法定期限 4件（如C1、C2、C3等）；90天以上无实质进展 2件（C2、C5）。" +
			"其中C1：已超期5天。",
		en: "A wave. Its cases flagged on their own: stage past its deadline, 4 (e.g. C1, C2, C3); no progress for 90 days, 2 (C2, C5). " +
			"Case C1: 5 days overdue.",
	}, {
		overdue: []string{"C1"}, noProgress: []string{"C2"},
		zh: "集中反映。其中C1：已超期5天。其中C2：已95天无进展。",
		en: "A wave. Case C1: 5 days overdue. Case C2: No progress in 95 days.",
	}} {
		ctx := context.Background()
		q := datatest.New(t)
		if err := ensureSchema(ctx, q); err != nil {
			t.Fatal(err)
		}
		ids := []string{"C1", "C2", "C3", "C4", "C5", "C6"}
		for _, id := range ids {
			datatest.AddCases(t, q, datatest.Case{ID: id, Received: "2025-03-01", Township: "青山乡", Content: "青山水库移民补助未发放"})
		}
		datatest.Exec(t, q, runFlagsSQL)
		flag := `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ($1, $2, $3, 'yellow', 'M', $4, $5, []::VARCHAR[], DATE '2025-03-02', 1, '{}', $6, $7, $8, DATE '2025-03-01', true)`
		datatest.Exec(t, q, flag, "group-wave", "group", 3.0, "cluster", ids, "集中反映。", "A wave.", "M")
		for _, id := range tc.overdue {
			datatest.Exec(t, q, flag, "stalled-overdue", "stalled", 2.0, "case", []string{id}, "已超期5天。", "5 days overdue.", "K-"+id)
		}
		for _, id := range tc.noProgress {
			datatest.Exec(t, q, flag, "stalled-no-progress", "stalled", 1.5, "case", []string{id}, "已95天无进展。", "No progress in 95 days.", "K-"+id)
		}
		if _, err := buildWatchlist(ctx, q, cfg.Watchlist, namerOf(rs), "zh", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		var zh, en string
		if err := q.QueryRowContext(ctx, `SELECT reason_zh, reason_en FROM run_items`).Scan(&zh, &en); err != nil {
			t.Fatal(err)
		}
		if zh != tc.zh || en != tc.en {
			t.Errorf("reasons\n%s\n%s\nwant\n%s\n%s", zh, en, tc.zh, tc.en)
		}
	}
}

// A cluster's title names the village most of its cases are in, and its gist is of a case
// there: not of the first case received, when that one is in another village.
func TestClusterTitleGistIsOfACaseInItsVillage(t *testing.T) {
	ctx := context.Background()
	q := datatest.New(t)
	if err := ensureSchema(ctx, q); err != nil {
		t.Fatal(err)
	}
	datatest.AddCases(t, q,
		datatest.Case{ID: "A1", Received: "2025-03-01", Township: "青山乡", Content: "郭集村路灯不亮"},
		datatest.Case{ID: "B1", Received: "2025-03-02", Township: "青山乡", Content: "三合村商铺违法加建"},
		datatest.Case{ID: "B2", Received: "2025-03-03", Township: "青山乡", Content: "三合村违建影响通行"})
	datatest.Exec(t, q, `UPDATE cases SET village = CASE WHEN case_id = 'A1' THEN '郭集村' ELSE '三合村' END`)
	datatest.Exec(t, q, runFlagsSQL)
	datatest.Exec(t, q, `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ('group-wave', 'group', 3, 'yellow', 'M', 'cluster', ['A1', 'B1', 'B2'], []::VARCHAR[], DATE '2025-03-03', 1, '{}',
  '集中反映。', 'A wave.', 'M', DATE '2025-03-03', true)`)
	if _, err := buildWatchlist(ctx, q, gistWatchlist(t), namerOf(nil), "zh", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var title string
	if err := q.QueryRowContext(ctx, `SELECT title FROM run_titles`).Scan(&title); err != nil {
		t.Fatal(err)
	}
	if want := "青山乡三合村 · 征地拆迁 · 县自然资源局：三合村商铺违法加建"; title != want {
		t.Errorf("title %q, want %q", title, want)
	}
}

// A matter whose data has no category nor target organisation has a bare title (a place only)
// without the gist, and buildWatchlist counts it (the run says so); with the gist, or with a
// category, it is not bare.
func TestBareTitlesAreCounted(t *testing.T) {
	for _, tc := range []struct {
		gist     bool
		category string
		bare     int64
	}{{false, "未分类", 1}, {true, "未分类", 0}, {false, "征地拆迁", 0}} {
		ctx := context.Background()
		q := datatest.New(t)
		if err := ensureSchema(ctx, q); err != nil {
			t.Fatal(err)
		}
		datatest.AddCases(t, q, datatest.Case{ID: "A1", Received: "2025-03-01", Township: "青山乡", Category: tc.category, Content: "三合村商铺违法加建"})
		datatest.Exec(t, q, `UPDATE cases SET target_org = NULL`)
		datatest.Exec(t, q, runFlagsSQL)
		datatest.Exec(t, q, `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ('stalled-overdue', 'stalled', 3, 'yellow', 'case:A1', 'case', ['A1'], []::VARCHAR[], DATE '2025-03-03', 1, '{}',
  '超期。', 'Overdue.', 'case:A1', DATE '2025-03-03', true)`)
		w := testConfig(t).Watchlist
		w.TitleGist = tc.gist
		bare, err := buildWatchlist(ctx, q, w, namerOf(nil), "zh", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if bare != tc.bare {
			t.Errorf("gist %v, category %s: %d bare titles, want %d", tc.gist, tc.category, bare, tc.bare)
		}
	}
}

// A cluster's gist is the content most of its cases have; when its contents are labels (a 311
// descriptor, a NYC council descriptor: its cases repeat them) and none holds more than half, it has none: not the label
// of the case received first (a new user's 9-case cluster was titled by the 1 case of its kind,
// where 5 had another).
func TestClusterOfLabelsTitledByTheLabelMostHave(t *testing.T) {
	for _, tc := range []struct {
		contents []string
		want     string
	}{
		{[]string{"Building Maintenance", "Seeking affordable housing", "Seeking affordable housing", "Rent Overcharges",
			"Seeking affordable housing", "Seeking affordable housing", "HOUSING TRANSFER", "Seeking affordable housing", "DOB Permits"},
			"青山乡 · 征地拆迁 · 县自然资源局：Seeking affordable housing"},
		{[]string{"NYCHA Misc", "Annual Inspection", "Annual Inspection", "NYCHA Misc", "Lease Issue", "Lease Issue", "Rent Increases", "Rent Increases"},
			"青山乡 · 征地拆迁 · 县自然资源局"},
		{[]string{"Rent Overcharges", "Seeking affordable housing", "Seeking affordable housing", "NYCHA Transfers", "NYCHA Appeals",
			"Seeking affordable housing", "NYCHA Building Maintenance", "NYCHA Building Maintenance", "NYCHA Transfers"},
			"青山乡 · 征地拆迁 · 县自然资源局"},
		// free text, two of whose letters are alike: the gist of the first case received
		{[]string{"青山水库移民补助未发放", "移民补助迟迟不到位", "移民补助迟迟不到位", "补助被挪用", "水库移民生活困难", "补助标准太低"},
			"青山乡 · 征地拆迁 · 县自然资源局：青山水库移民补助未发放"},
	} {
		ctx := context.Background()
		q := datatest.New(t)
		if err := ensureSchema(ctx, q); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i, content := range tc.contents {
			id := fmt.Sprintf("L%d", i)
			datatest.AddCases(t, q, datatest.Case{ID: id, Received: fmt.Sprintf("2025-03-%02d", 1+i), Township: "青山乡", Content: content})
			ids = append(ids, id)
		}
		datatest.Exec(t, q, runFlagsSQL)
		datatest.Exec(t, q, `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ('group-wave', 'group', 3, 'yellow', 'M', 'cluster', $1, []::VARCHAR[], DATE '2025-03-10', 1, '{}',
  '集中反映。', 'A wave.', 'M', DATE '2025-03-10', true)`, ids)
		if _, err := buildWatchlist(ctx, q, gistWatchlist(t), namerOf(nil), "zh", time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		var title string
		if err := q.QueryRowContext(ctx, `SELECT title FROM run_titles`).Scan(&title); err != nil {
			t.Fatal(err)
		}
		if title != tc.want {
			t.Errorf("title %q, want %q", title, tc.want)
		}
	}
}

// Two waves of one township, category and organisation weeks apart are two clusters alike but
// for when: each title says from when; a case of the same place keeps its title. Two cases of
// another place alike say when they were received, and two received the same day their case
// numbers (a new user's council backlog: 37 matters titled alike, day included).
func TestItemsTitledAlikeSayFromWhen(t *testing.T) {
	ctx := context.Background()
	q := datatest.New(t)
	if err := ensureSchema(ctx, q); err != nil {
		t.Fatal(err)
	}
	datatest.AddCases(t, q, datatest.Case{ID: "A1", Received: "2025-03-01", Township: "青山乡"}, datatest.Case{ID: "A2", Received: "2025-03-02", Township: "青山乡"},
		datatest.Case{ID: "B1", Received: "2025-04-01", Township: "青山乡"}, datatest.Case{ID: "B2", Received: "2025-04-02", Township: "青山乡"},
		datatest.Case{ID: "C1", Received: "2025-04-03", Township: "青山乡"},
		datatest.Case{ID: "D1", Received: "2024-11-05", Township: "红河镇"}, datatest.Case{ID: "D2", Received: "2025-01-07", Township: "红河镇"},
		datatest.Case{ID: "E1", Received: "2024-12-01", Township: "石桥镇"}, datatest.Case{ID: "E2", Received: "2024-12-01", Township: "石桥镇"})
	datatest.Exec(t, q, runFlagsSQL)
	for _, f := range []struct {
		rule, id, kind, day string
		cases               []string
	}{
		{"group-wave", "MA", "cluster", "2025-03-02", []string{"A1", "A2"}},
		{"group-wave", "MB", "cluster", "2025-04-02", []string{"B1", "B2"}},
		{"stalled-overdue", "MC", "case", "2025-04-03", []string{"C1"}},
		{"stalled-overdue", "MD1", "case", "2025-03-05", []string{"D1"}},
		{"stalled-overdue", "MD2", "case", "2025-03-07", []string{"D2"}},
		{"stalled-overdue", "ME1", "case", "2025-03-07", []string{"E1"}},
		{"stalled-overdue", "ME2", "case", "2025-03-07", []string{"E2"}},
	} {
		datatest.Exec(t, q, `INSERT INTO run_flags (rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts, reason_zh, reason_en, rule_matter_id, last_evidence, live)
VALUES ($1, 'group', 3, 'yellow', $2, $3, $4, []::VARCHAR[], CAST($5 AS DATE), 1, '{}', '集中反映。', 'A wave.', $2, CAST($5 AS DATE), true)`,
			f.rule, f.id, f.kind, f.cases, f.day)
	}
	if _, err := buildWatchlist(ctx, q, testConfig(t).Watchlist, namerOf(nil), "zh", time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	rows, err := q.QueryContext(ctx, `SELECT matter_id, title FROM run_titles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, title string
		rows.Scan(&id, &title)
		got[id] = title
	}
	base := "青山乡 · 征地拆迁 · 县自然资源局"
	other := "红河镇 · 征地拆迁 · 县自然资源局"
	want := map[string]string{"MA": base + "（2025年3月2日首次预警）", "MB": base + "（2025年4月2日首次预警）", "MC": base,
		"MD1": other + "（2024年11月5日收件）", "MD2": other + "（2025年1月7日收件）",
		"ME1": "石桥镇 · 征地拆迁 · 县自然资源局（2024年12月1日收件）（信访件编号 E1）", "ME2": "石桥镇 · 征地拆迁 · 县自然资源局（2024年12月1日收件）（信访件编号 E2）"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("titles %v, want %v", got, want)
	}
}

// gistWatchlist is the test config's watchlist settings with watchlist.title_gist on, for the
// tests of what a title's gist is.
func gistWatchlist(t *testing.T) configs.Watchlist {
	w := testConfig(t).Watchlist
	w.TitleGist = true
	return w
}

// TestTitlesWithoutGist: with watchlist.title_gist false, the default, no title holds anything
// of a case's text: place, category and organisation only (the sample's titles all have a gist
// otherwise); nor does the due-soon list of report.html, which then has no column for it.
func TestTitlesWithoutGist(t *testing.T) {
	if testConfig(t).Watchlist.TitleGist {
		t.Error("watchlist.title_gist is on by default")
	}
	titles := func(gist bool) ([]string, string) {
		cfg := testConfig(t)
		cfg.Input = sampleInput
		cfg.Watchlist.TitleGist = gist
		run(t, cfg)
		var out []string
		for _, r := range query(t, cfg, `SELECT title FROM watchlist ORDER BY rank`) {
			out = append(out, r[0].(string))
		}
		report, err := os.ReadFile(filepath.Join(cfg.Output, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		return out, string(report)
	}
	with, withReport := titles(true)
	without, withoutReport := titles(false)
	if len(with) == 0 || len(with) != len(without) {
		t.Fatalf("%d titles with a gist, %d without", len(with), len(without))
	}
	gists := 0
	for i := range with {
		if strings.Contains(with[i], "：") {
			gists++
		}
		head, _, _ := strings.Cut(with[i], "：") // the target, when the gist names it, comes back
		if strings.Contains(without[i], "：") || !strings.HasPrefix(without[i], head) {
			t.Errorf("without a gist %q, with %q", without[i], with[i])
		}
	}
	if gists == 0 {
		t.Error("no title of the sample has a gist: the test proves nothing")
	}
	// The due-soon list's column of gists (事由).
	column := "<th>" + i18n.T("zh", "due_soon.gist") + "</th>"
	if !strings.Contains(withReport, `id="due-soon"`) || !strings.Contains(withReport, column) || strings.Contains(withoutReport, column) {
		t.Errorf("the due-soon list's gists: with a gist %v, without %v; want only with", strings.Contains(withReport, column), strings.Contains(withoutReport, column))
	}
}

// TestTitlesAndReasonsReadInRanges: read a few items, flags or merged matters at a time, the
// sample's watchlist has the titles and reasons read at once gives it.
func TestTitlesAndReasonsReadInRanges(t *testing.T) {
	rows := `SELECT rank, matter_id, title, reason_zh, reason_en FROM watchlist ORDER BY rank`
	configure := func() configs.Config {
		cfg := testConfig(t)
		cfg.Input = sampleInput
		return cfg
	}
	whole := configure()
	run(t, whole)
	want := query(t, whole, rows)
	defer func(titles, reasons, merged int64) {
		titleRange, reasonRange, mergeRange = titles, reasons, merged
	}(titleRange, reasonRange, mergeRange)
	titleRange, reasonRange, mergeRange = 3, 3, 2
	ranged := configure()
	run(t, ranged)
	got := query(t, ranged, rows)
	if len(want) < 15 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read in ranges of 3: %d items, at once %d; first difference:\n%s", len(got), len(want), firstDifference(got, want))
	}
	merged := 0
	for _, r := range got {
		if r[2] == "" || r[3] == "" {
			t.Errorf("an item without title or reason: %v", r)
		}
		if strings.Contains(r[3].(string), "；") {
			merged++
		}
	}
	if merged < 3 {
		t.Errorf("%d items whose reason tells several flags, want a few ranges of them", merged)
	}
}
