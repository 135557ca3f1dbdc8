package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
)

// A matter's page lists the nights it changed (new, worse, a tier up, off the list) with what
// changed, newest first, and leaves out the nights it stayed as it was.
func TestMatterPageShowsItsHistory(t *testing.T) {
	a := newApp(t)
	for _, days := range []int{1, 30, 200} { // the fixture's night is 2025-06-30
		plan, err := pipeline.Prepare(context.Background(), a.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pipeline.Run(context.Background(), plan, pipeline.Options{AsOf: pipelinetest.AsOf.AddDate(0, 0, days), Version: "test", DB: a.db, Full: true}); err != nil {
			t.Fatal(err)
		}
	}
	leader := a.as("leader")
	tagRE := regexp.MustCompile(`<[^>]+>`)
	rowRE := regexp.MustCompile(`(?s)<tr><td class="nw">(\d{4}-\d\d-\d\d)</td>(.*?)</tr>`)
	history := func(id string) []string {
		_, body := leader.get(matterPath(id))
		i := strings.Index(body, `<table id="history">`)
		if i < 0 {
			t.Fatalf("%s: no history:\n%s", id, excerpt(body))
		}
		table := body[i : i+strings.Index(body[i:], "</table>")]
		var out []string
		for _, m := range rowRE.FindAllStringSubmatch(table, -1) {
			cells := []string{m[1]}
			for _, c := range strings.Split(m[2], "</td>") {
				if c = tagRE.ReplaceAllString(c, ""); c != "" {
					cells = append(cells, c)
				}
			}
			out = append(out, strings.Join(cells, " | "))
		}
		return out
	}
	for id, want := range map[string][]string{
		// A stalled case overdue longer each night; its tier rose on 07-30; 07-01 changed nothing.
		"case:XF-002": {"2026-01-16 | 加重 | 红 | 超期196天（此前26天）", "2025-07-30 | 加重 | 橙 → 红 | 超期26天（此前0天）；等级升为红", "2025-06-30 | 新增 | 橙"},
		// Gone quiet: off the list on the last night.
		"case:XF-001": {"2026-01-16 | 消除 | 橙 → 移出清单 | 已平息：最近证据2025-05-25，超过活跃期且所涉信访件均不在办理中"},
	} {
		got := history(id)
		if id == "case:XF-001" && len(got) > 0 {
			got = got[:1]
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s's history:\n%s\nwant:\n%s", id, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
