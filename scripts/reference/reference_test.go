package reference_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/scripts/reference"
)

// TestSettingsMatchDefaultConfig: the script's parameters are those of configs/default.yaml
// (and, where it leaves a key to the rule's default, configs/reference.yaml's), so the
// reference screens with the same thresholds as earlywarn.
func TestSettingsMatchDefaultConfig(t *testing.T) {
	def, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := configs.Load(filepath.Join("..", "..", "configs", "reference.yaml"), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := reference.SettingValues()
	if err != nil {
		t.Fatal(err)
	}
	param := func(id, key string) any {
		for _, cfg := range []configs.Config{def, ref} {
			for _, r := range cfg.Rules {
				if v, ok := r.Params[key]; ok && r.ID == id {
					return v
				}
			}
		}
		t.Fatalf("no rule %s with param %s", id, key)
		return nil
	}
	want := map[string]any{
		"accept_days": def.Clocks.AcceptDays, "handle_days": def.Clocks.HandleDays,
		"extension_days": def.Clocks.ExtensionDays, "review_days": def.Clocks.ReviewDays,
		"rereview_days":         def.Clocks.RereviewDays,
		"repeat_window_days":    param("repeat-contacts", "window_days"),
		"repeat_min_contacts":   param("repeat-contacts", "min_contacts"),
		"repeat_lookback_days":  param("repeat-contacts", "lookback_days"),
		"head_min_people":       param("group-head-count", "min_people"),
		"head_lookback_days":    param("group-head-count", "lookback_days"),
		"wave_window_days":      param("group-wave", "window_days"),
		"wave_min_complainants": param("group-wave", "min_complainants"),
		"wave_baseline_days":    param("group-wave", "baseline_days"),
		"wave_guard_days":       param("group-wave", "guard_days"),
		"wave_alpha":            param("group-wave", "alpha"),
		"wave_min_mean":         param("group-wave", "min_mean"),
		"wave_lookback_days":    param("group-wave", "lookback_days"),
		"overdue_min_days":      param("stalled-overdue", "min_days_overdue"),
		"no_progress_min_days":  param("stalled-no-progress", "min_days"),
		"strength_cap":          def.Watchlist.StrengthCap,
		"tier_red":              def.Watchlist.Tiers.Red,
		"tier_orange":           def.Watchlist.Tiers.Orange,
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("the script sets no %s", k)
			continue
		}
		gf, err1 := strconv.ParseFloat(g, 64)
		wf, err2 := strconv.ParseFloat(fmt.Sprint(w), 64)
		if err1 != nil || err2 != nil || gf != wf {
			t.Errorf("%s = %s in the script, %v in the config", k, g, w)
		}
	}
	// The weights, and the minimum tier the script gives the group rules.
	weights := map[string]string{"repeat-contacts": "repeat_weight", "group-head-count": "head_weight",
		"group-wave": "wave_weight", "stalled-overdue": "overdue_weight", "stalled-no-progress": "no_progress_weight"}
	for _, id := range reference.CoreRules {
		i := slices.IndexFunc(def.Rules, func(r configs.RuleSpec) bool { return r.ID == id })
		if i < 0 {
			t.Fatalf("configs/default.yaml has no rule %s", id)
		}
		r := def.Rules[i]
		if g, _ := strconv.ParseFloat(got[weights[id]], 64); g != r.Weight {
			t.Errorf("%s: weight %s in the script, %v in the config", id, got[weights[id]], r.Weight)
		}
		orange := strings.HasPrefix(id, "group-")
		if (r.MinTier == "orange") != orange {
			t.Errorf("%s: min_tier %q in the config; the script ranks the group rules orange at least, no other", id, r.MinTier)
		}
	}
}

// TestAgreesWithEarlywarn runs earlywarn (the default config) and the script on one generated
// county as of its last day, and compares, rule by rule, the cases each flags. They agree on
// every case, except where the script's header says it differs: the wave rule tests each day's
// window against its own baseline, earlywarn a run of equal days against its first day's, so a
// wave cluster may differ by a case or two at its edges; none may be missed or invented whole.
func TestAgreesWithEarlywarn(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and screens a county")
	}
	ctx := context.Background()
	dir := t.TempDir()
	county := filepath.Join(dir, "county")
	asOf := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	if _, err := synth.Generate(ctx, synth.Config{Seed: 7, Cases: 6000}, county, nil); err != nil {
		t.Fatal(err)
	}

	cfg, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Input, cfg.Database, cfg.Output, cfg.Threads = county, filepath.Join(dir, "ew.duckdb"), filepath.Join(dir, "out"), 2
	plan, err := pipeline.Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(ctx, plan, pipeline.Options{AsOf: asOf, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	ew := flaggedCases(t, cfg, cfg.Database, "SELECT rule_id, case_ids FROM flags")
	ewWaves := firstFlagged(t, cfg, cfg.Database, "SELECT first_flagged FROM flags WHERE rule_id = 'group-wave'")

	refDB := filepath.Join(dir, "ref.duckdb")
	csvOut := filepath.Join(dir, "ref_watchlist.csv")
	func() {
		d, err := pipeline.OpenDB(ctx, refDB, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		q, err := d.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		if err := reference.Run(ctx, q, reference.Vars{InputDir: county, AsOf: asOf, WatchlistCSV: csvOut}, reference.Full...); err != nil {
			t.Fatal(err)
		}
		// ref_flags is temporary: keep it for the comparison below.
		if _, err := q.ExecContext(ctx, "CREATE TABLE kept_flags AS SELECT rule_id, case_ids, first_flagged FROM ref_flags"); err != nil {
			t.Fatal(err)
		}
	}()
	ref := flaggedCases(t, cfg, refDB, "SELECT rule_id, case_ids FROM kept_flags")
	// Each wave cluster begins on the same day (the first unusual window) in both.
	if refWaves := firstFlagged(t, cfg, refDB, "SELECT first_flagged FROM kept_flags WHERE rule_id = 'group-wave'"); !slices.Equal(ewWaves, refWaves) {
		t.Errorf("group-wave clusters begin on\n%v in earlywarn,\n%v in the reference", ewWaves, refWaves)
	}
	if b, err := os.ReadFile(csvOut); err != nil || !strings.HasPrefix(string(b), "rank,matter_id,tier,score,rules,case_ids,first_flagged\n") {
		t.Errorf("watchlist CSV: %v, %.80q", err, b)
	}

	for _, id := range reference.CoreRules {
		e, r := ew[id], ref[id]
		if len(e) == 0 {
			t.Errorf("%s: earlywarn flags nothing on the county; the comparison means nothing", id)
			continue
		}
		missing, extra := diff(e, r), diff(r, e)
		t.Logf("%s: earlywarn %d cases, reference %d; only earlywarn %d, only reference %d", id, len(e), len(r), len(missing), len(extra))
		allowed := 0
		if id == "group-wave" {
			allowed = len(e) / 20 // a case or two at a cluster's edges
		}
		if len(missing)+len(extra) > allowed {
			t.Errorf("%s: only earlywarn %v, only reference %v", id, head(missing), head(extra))
		}
	}
}

// flaggedCases reads rule_id and case_ids rows of a database: the set of cases each rule flags.
func flaggedCases(t *testing.T, cfg configs.Config, path, query string) map[string]map[string]bool {
	t.Helper()
	d, err := pipeline.OpenDB(context.Background(), path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query("SELECT rule_id, unnest(case_ids) FROM (" + query + ")")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var rule string
		var c sql.NullString
		if err := rows.Scan(&rule, &c); err != nil {
			t.Fatal(err)
		}
		if out[rule] == nil {
			out[rule] = map[string]bool{}
		}
		out[rule][c.String] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// firstFlagged reads a query's dates (first_flagged), sorted.
func firstFlagged(t *testing.T, cfg configs.Config, path, query string) []string {
	t.Helper()
	d, err := pipeline.OpenDB(context.Background(), path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out string
	if err := d.QueryRow("SELECT coalesce(string_agg(first_flagged::VARCHAR, ' ' ORDER BY first_flagged), '') FROM (" + query + ")").Scan(&out); err != nil {
		t.Fatal(err)
	}
	return strings.Fields(out)
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func head(xs []string) []string {
	if len(xs) > 10 {
		return xs[:10]
	}
	return xs
}
