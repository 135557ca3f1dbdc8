package pipeline

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/db"
)

// hotIssueRule is signal hot_issue at its defaults.
var hotIssueRule = configs.RuleSpec{ID: "group-hot-issue", Kind: "group_signal", Weight: 3, MinTier: "orange",
	Params: map[string]any{"signal": "hot_issue"}}

// boardTruth is a generated board's ground truth: each planted hot issue's messages, and the
// messages of its frequent writers.
type boardTruth struct {
	hot      map[string]map[string]bool // id → message ids
	place    map[string]string
	frequent map[string]bool
}

// screenBoard generates a message board (seed, messages, days from 2025-01-01) and runs the
// hot_issue rule alone on it, loaded through the board's profile.
func screenBoard(t *testing.T, seed uint64, messages, days int) (configs.Config, *Plan, string) {
	t.Helper()
	ctx := context.Background()
	in := filepath.Join(t.TempDir(), "board")
	start, _ := time.Parse(time.DateOnly, "2025-01-01")
	gs, err := synth.Generate(ctx, synth.Config{Seed: seed, Cases: messages, Start: start, Days: days, Format: synth.FormatBoard}, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Input = in
	cfg.Profile = "../configs/profiles/cn-message-board-csv.yaml"
	cfg.Rules = []configs.RuleSpec{hotIssueRule}
	plan, err := Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, plan, Options{AsOf: gs.AsOf, Today: gs.AsOf}); err != nil {
		t.Fatal(err)
	}
	return cfg, plan, in
}

func readBoardTruth(t *testing.T, path string) boardTruth {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	bt := boardTruth{hot: map[string]map[string]bool{}, place: map[string]string{}, frequent: map[string]bool{}}
	for _, r := range rows[1:] { // kind,id,place,topic,message_ids,users,from,to
		ids := strings.Split(r[4], "|")
		switch r[0] {
		case "hot_issue":
			bt.hot[r[1]], bt.place[r[1]] = map[string]bool{}, r[2]
			for _, id := range ids {
				bt.hot[r[1]][id] = true
			}
		case "frequent_writer":
			for _, id := range ids {
				bt.frequent[id] = true
			}
		}
	}
	return bt
}

// TestHotIssueBoard screens a generated message board (places and topics only in the text)
// with the hot_issue rule alone and scores its matters against the planted hot issues: a matter
// is a planted issue's when at least half of its messages are that issue's; an issue is found
// when its matters hold at least half of its messages.
func TestHotIssueBoard(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and screens a 20,000-message board")
	}
	ctx := context.Background()
	cfg, _, in := screenBoard(t, 11, 20000, 365)
	d, err := OpenDB(ctx, cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	type flag struct {
		contacts       []string
		reason         string
		messages, kept int
	}
	flags, err := db.Collect(ctx, d, "SELECT array_to_string(contact_ids, '|'), reason_zh FROM flags WHERE rule_id = 'group-hot-issue'", nil,
		func(rows *sql.Rows) (flag, error) {
			var f flag
			var ids string
			err := rows.Scan(&ids, &f.reason)
			f.contacts = strings.Split(ids, "|")
			return f, err
		})
	if err != nil {
		t.Fatal(err)
	}
	truth := readBoardTruth(t, filepath.Join(in, "ground_truth.csv"))
	found := map[string][]int{} // issue → its matters
	unplanted, writers := 0, 0
	for i, f := range flags {
		best, most, fw := "", 0, 0
		for id, ms := range truth.hot {
			n := 0
			for _, c := range f.contacts {
				if ms[c] {
					n++
				}
			}
			if n > most || n == most && id < best {
				best, most = id, n
			}
		}
		for _, c := range f.contacts {
			if truth.frequent[c] {
				fw++
			}
		}
		if 2*fw >= len(f.contacts) {
			writers++
			t.Errorf("a frequent writer's matter: %s", f.reason)
		}
		if 2*most >= len(f.contacts) {
			found[best] = append(found[best], i)
			// Merged with another planted issue: messages of a second issue in the matter.
			for id, ms := range truth.hot {
				for _, c := range f.contacts {
					if id != best && ms[c] {
						t.Errorf("matter of %s (%s) holds messages of %s (%s): %s", best, truth.place[best], id, truth.place[id], f.reason)
						break
					}
				}
			}
			continue
		}
		unplanted++
		t.Logf("unplanted: %s", f.reason)
	}
	recalled := 0
	for id, ms := range truth.hot {
		n := 0
		for _, i := range found[id] {
			for _, c := range flags[i].contacts {
				if ms[c] {
					n++
				}
			}
		}
		switch {
		case 2*n < len(ms):
			t.Logf("missed: %s %s (%d messages, %d in its matters)", id, truth.place[id], len(ms), n)
		case len(found[id]) > 1:
			// Split: each part of the issue is a matter. Known cause: a place written under two
			// names the extraction cannot tell are one (望昌学院, 望昌职业技术学院) without a gazetteer.
			t.Logf("split: %s %s into %d matters", id, truth.place[id], len(found[id]))
			recalled++
		default:
			recalled++
		}
	}
	recall := float64(recalled) / float64(len(truth.hot))
	perK := float64(unplanted) * 1000 / 20000
	split := 0
	for _, ms := range found {
		if len(ms) > 1 {
			split++
		}
	}
	t.Logf("planted %d, matters %d, recall %.2f, unplanted %d (%.2f per 1,000 messages), split %d, frequent writers' matters %d",
		len(truth.hot), len(flags), recall, unplanted, perK, split, writers)
	if recall < 0.9 {
		t.Errorf("recall %.2f, want at least 0.9", recall)
	}
	if perK > 1 {
		t.Errorf("%.2f unplanted matters per 1,000 messages, want at most 1", perK)
	}
	if split > 1 {
		t.Errorf("%d planted issues split into several matters, want at most 1", split)
	}
}
