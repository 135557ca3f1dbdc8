package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// TestSupervisionCountsACaseUnderItsOwnUnit: a cluster of copied letters, two to 县交通运输局 and one
// to 县水利局 never accepted (past its deadline), is one matter named after 县交通运输局. Supervision
// (督办) counts the overdue case under 县水利局, whose case it is, with its days past the
// deadline, and not under 县交通运输局, which has nothing overdue.
func TestSupervisionCountsACaseUnderItsOwnUnit(t *testing.T) {
	cfg := pipelinetest.Config(t)
	dir := t.TempDir()
	const text = "我们是河口村村民，村里的排水渠堵塞多年，每逢下雨农田被淹，请求尽快疏通排水渠。"
	extra := map[string]string{
		"cases.csv": "XF-101,2025-06-01,letter,county,Q-1,1,城乡建设,河口镇,河口村,县交通运输局,县交通运输局,办理中," + text + "\n" +
			"XF-102,2025-06-02,letter,county,Q-2,1,城乡建设,河口镇,河口村,县交通运输局,县交通运输局,办理中," + text + "\n" +
			"XF-103,2025-06-03,letter,county,Q-3,1,城乡建设,河口镇,河口村,县交通运输局,县水利局,办理中," + text + "\n",
		"events.csv": "E-101,XF-101,accepted,2025-06-05\nE-102,XF-102,accepted,2025-06-05\n",
	}
	for _, f := range []string{"cases.csv", "contacts.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join(cfg.Input, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), append(b, extra[f]...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	var unit string
	if err := db.QueryRow(`SELECT responsible_unit FROM watchlist WHERE run_id = $1 AND list_contains(case_ids, 'XF-103')`, s.RunID).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if unit != "县交通运输局" {
		t.Fatalf("the cluster names %s, want 县交通运输局 (most of its cases): the test needs a cluster named after another unit", unit)
	}
	d, err := publish.LoadReport(context.Background(), db, s.RunID, publish.Settings{Lang: "zh"}, time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range d.Leader.Supervise {
		if u.Unit == "县水利局" && (u.Matters != 1 || u.Overdue != 1 || u.Stalled != 1 || u.MaxDaysOverdue != 12) {
			t.Errorf("县水利局: %+v, want its one matter, 12 days past the deadline of 2025-06-18", u)
		}
		got = append(got, u.Unit)
	}
	if j := strings.Join(got, " "); !strings.Contains(j, "县水利局") || strings.Contains(j, "县交通运输局") {
		t.Errorf("supervision by %q, want 县水利局 and not 县交通运输局", got)
	}
}
