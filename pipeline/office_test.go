package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/groundtruth"
)

// TestOfficeExportGivesTheCanonicalWatchlist generates one county in both formats of
// `earlywarn gen` and screens each: the canonical files directly, the office export (three
// GB18030 files, names, id numbers and phones, contacts without case id, dirty rows) through
// configs/profiles/xinfang-office-export.yaml. The watchlists and flags are the same (matters,
// rules, tiers, scores, reasons and evidence), so is detection per family against the ground
// truth; the office run quarantines exactly the planted dirty rows, accounts for every row of
// every file, and links every contact without case id.
func TestOfficeExportGivesTheCanonicalWatchlist(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and screens a 20,000-case county twice")
	}
	dir := t.TempDir()
	start, _ := time.Parse(time.DateOnly, "2025-01-01")
	gen := func(format string) (string, synth.Summary) {
		in := filepath.Join(dir, format)
		s, err := synth.Generate(context.Background(), synth.Config{Seed: 4242, Cases: 20000, Start: start, Days: 365, Format: format}, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		return in, s
	}
	canonIn, gs := gen(synth.FormatCanonical)
	officeIn, _ := gen(synth.FormatOffice)

	run := func(in, profile string) (configs.Config, *Summary) {
		cfg := testConfig(t)
		cfg.Input = in
		cfg.Quarantine.MaxRejectRate = configs.DefaultMaxRejectRate
		if profile != "" {
			t.Setenv("EW_TEST_OFFICE_KEY", "office-export-test-key-0123456789")
			cfg.Profile, cfg.Pseudonymisation.KeyEnv = profile, "EW_TEST_OFFICE_KEY"
		}
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: gs.AsOf, Version: "test"})
		if err != nil {
			t.Fatalf("run on %s: %v", in, err)
		}
		return cfg, s
	}
	canonCfg, cs := run(canonIn, "")
	officeCfg, ofs := run(officeIn, "../configs/profiles/xinfang-office-export.yaml")

	same := func(what, stmt string) {
		a := query(t, canonCfg, stmt, cs.RunID)
		b := query(t, officeCfg, stmt, ofs.RunID)
		if len(a) == 0 {
			t.Errorf("%s: the canonical run has none", what)
		}
		if len(a) != len(b) {
			t.Errorf("%s: %d rows canonical, %d office", what, len(a), len(b))
		}
		for i := range min(len(a), len(b)) {
			if x, y := fmt.Sprint(a[i]), fmt.Sprint(b[i]); x != y {
				t.Errorf("%s, row %d:\ncanonical %s\noffice    %s", what, i+1, x, y)
				return
			}
		}
	}
	same("watchlist", `SELECT rank, matter_id, matter_kind, tier, score, rules, families, reason_zh, reason_en,
  responsible_unit, township, category, case_ids, contact_ids, event_ids, first_flagged, as_of, complainants,
  top_level, days_overdue, state, state_note_zh, state_note_en
FROM watchlist WHERE run_id = $1 ORDER BY rank`)
	same("flags", `SELECT rule_id, family, weight, min_tier, matter_id, matter_kind, case_ids, contact_ids,
  first_flagged, strength, facts::VARCHAR, reason_zh, reason_en
FROM flags WHERE run_id = $1 ORDER BY rule_id, matter_id`)

	// Detection per family against the ground truth is the same.
	truth, err := groundtruth.Read(filepath.Join(canonIn, "ground_truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	score := func(cfg configs.Config, runID string) map[string]string {
		rows := query(t, cfg, `SELECT family, matter_id, array_to_string(list_distinct(flatten(list(case_ids))), ';')
FROM flags WHERE run_id = $1 GROUP BY family, matter_id ORDER BY family, matter_id`, runID)
		flags := make([]groundtruth.Flag, len(rows))
		for i, r := range rows {
			flags[i] = groundtruth.Flag{Family: r[0].(string), Matter: r[1].(string), CaseIDs: strings.Split(r[2].(string), ";")}
		}
		out := map[string]string{}
		for family, sc := range groundtruth.Evaluate(truth, flags) {
			out[family] = fmt.Sprintf("recall %d/%d, precision %d/%d", sc.Detected, sc.Events, sc.Correct, sc.Flags)
		}
		return out
	}
	if a, b := score(canonCfg, cs.RunID), score(officeCfg, ofs.RunID); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("detection per family: canonical %v, office %v", a, b)
	} else {
		t.Logf("detection per family, both formats: %v", a)
	}

	// The office run quarantines the dirty rows and nothing else; every row is accounted for.
	var gj struct {
		Office struct {
			UnlinkedContacts int              `json:"unlinked_contacts"`
			DirtyRows        []synth.DirtyRow `json:"dirty_rows"`
		} `json:"office"`
	}
	b, err := os.ReadFile(filepath.Join(officeIn, "generator.json"))
	if err == nil {
		err = json.Unmarshal(b, &gj)
	}
	if err != nil || len(gj.Office.DirtyRows) == 0 {
		t.Fatalf("generator.json: %v, %+v", err, gj.Office)
	}
	var want, got, wantKept []string
	for _, d := range gj.Office.DirtyRows {
		switch {
		case d.Kept:
			wantKept = append(wantKept, fmt.Sprintf("%s:%d", d.File, d.Line))
		case d.Problem != "blank line":
			want = append(want, fmt.Sprintf("%s:%d", d.File, d.Line))
		}
	}
	dups := map[string]string{} // the original's line → the duplicate's: a loader may keep either
	for _, d := range gj.Office.DirtyRows {
		if d.DuplicateOf > 0 {
			dups[fmt.Sprintf("%s:%d", d.File, d.DuplicateOf)] = fmt.Sprintf("%s:%d", d.File, d.Line)
		}
	}
	for _, r := range query(t, officeCfg, `SELECT file, line, reason FROM quarantine WHERE run_id = $1 ORDER BY file, line`, ofs.RunID) {
		k := fmt.Sprintf("%s:%d", filepath.Base(r[0].(string)), r[1])
		if d, ok := dups[k]; ok {
			k = d
		}
		got = append(got, k)
		t.Logf("quarantined %s: %v", k, r[2])
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("quarantined %v, want the dirty rows %v", got, want)
	}
	// The rows with a number set aside load, each listed once with its reasons.
	var kept []string
	for _, r := range query(t, officeCfg, `SELECT file, line, reason FROM set_aside WHERE run_id = $1 ORDER BY file, line`, ofs.RunID) {
		kept = append(kept, fmt.Sprintf("%s:%d", filepath.Base(r[0].(string)), r[1]))
		if !strings.HasSuffix(r[2].(string), `["row_kept",""]]`) {
			t.Errorf("set aside %v: reason %v", kept[len(kept)-1], r[2])
		}
	}
	slices.Sort(wantKept)
	slices.Sort(kept)
	if !slices.Equal(kept, wantKept) || len(kept) == 0 {
		t.Errorf("set aside %v, want the rows planted so %v", kept, wantKept)
	}
	var setAside int64
	for _, in := range ofs.Inputs {
		setAside += in.SetAside
	}
	if setAside != int64(len(wantKept)) {
		t.Errorf("summary: %d rows with a number set aside, want %d", setAside, len(wantKept))
	}
	// quarantine.csv lists them too, saying that they loaded.
	qcsv := readFile(t, filepath.Join(officeCfg.Output, "quarantine.csv"))
	if n := strings.Count(qcsv, "该行照常载入，此号码不用于识别信访人"); n != len(wantKept) {
		t.Errorf("quarantine.csv says %d rows loaded with a number set aside, want %d:\n%s", n, len(wantKept), qcsv)
	}
	if n := query(t, canonCfg, `SELECT count(*) FROM quarantine WHERE run_id = $1`, cs.RunID); n[0][0] != int64(0) {
		t.Errorf("the canonical run quarantined %v rows", n[0][0])
	}
	loaded := map[string]int64{}
	for _, in := range ofs.Inputs {
		if in.Read != in.Loaded+in.Quarantined || in.Skipped {
			t.Errorf("%s: read %d, loaded %d, quarantined %d, skipped %v", in.Path, in.Read, in.Loaded, in.Quarantined, in.Skipped)
		}
		loaded[in.TableName] += in.Loaded
	}
	for _, in := range cs.Inputs {
		if loaded[in.TableName] != in.Loaded {
			t.Errorf("%s: office loaded %d rows, canonical %d", in.TableName, loaded[in.TableName], in.Loaded)
		}
	}
	if ofs.Links.Unlinked != int64(gj.Office.UnlinkedContacts) || ofs.Links.Linked != ofs.Links.Unlinked || ofs.Links.Ambiguous != 0 ||
		gj.Office.UnlinkedContacts == 0 || cs.Links.Unlinked != 0 {
		t.Errorf("links: office %+v (%d contacts without case id written), canonical %+v", ofs.Links, gj.Office.UnlinkedContacts, cs.Links)
	}
}
