package publish_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/pipeline/publish"
)

// Markup that makes a browser fetch from outside the file or run code. Escaped text has no '<',
// so every tag found is real markup.
var (
	tag       = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	badTag    = regexp.MustCompile(`(?i)^<(script|link|iframe|object|embed|img|image|use|base|meta\s+http-equiv)\b`)
	badAttr   = regexp.MustCompile(`(?i)\s(on[a-z]+\s*=|(src|href|xlink:href|action|poster|data|srcset)\s*=\s*["']?\s*(https?:|//|file:|ftp:|javascript:))`)
	styleText = regexp.MustCompile(`(?is)<style\b[^>]*>(.*?)</style>|\bstyle\s*=\s*"([^"]*)"`)
	cssFetch  = regexp.MustCompile(`(?i)@import|url\s*\(`)
)

// outsideRef returns the first markup that refers to something outside the page or runs code,
// or "".
func outsideRef(html string) string {
	for _, t := range tag.FindAllString(html, -1) {
		if badTag.MatchString(t) || badAttr.MatchString(t) {
			return t
		}
	}
	for _, m := range styleText.FindAllStringSubmatch(html, -1) {
		if f := cssFetch.FindString(m[1] + m[2]); f != "" {
			return f
		}
	}
	return ""
}

func render(t *testing.T, db *sql.DB, runID, lang string) string {
	t.Helper()
	d, err := publish.LoadReport(context.Background(), db, runID, publish.Settings{Lang: lang}, time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := publish.RenderReport(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRunWritesASelfContainedReport(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	b, err := os.ReadFile(filepath.Join(cfg.Output, publish.ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if m := outsideRef(html); m != "" {
		t.Errorf("report.html references something outside itself: %q", m)
	}
	for _, want := range []string{"信访事项预警报告", "按预警等级", "按命中规则", "按乡镇街道", "按问题类别", "近30次运行趋势", "重点事项", s.RunID, "<svg"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Each tier card shows the run's count.
	for tier, label := range map[string]string{"red": "红", "orange": "橙", "yellow": "黄"} {
		want := `<div class="card ` + tier + `">` + label + `<b>` + strconv.FormatInt(s.Tiers[tier], 10) + `</b>`
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks the %s card %q", tier, want)
		}
	}
}

func TestReportCountsTrendAndEnglish(t *testing.T) {
	cfg := pipelinetest.Config(t)
	pipelinetest.Run(t, cfg)
	s2 := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	d, err := publish.LoadReport(context.Background(), db, s2.RunID, publish.Settings{Lang: "en"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Trend) != 2 || d.Trend[1].RunID != s2.RunID {
		t.Fatalf("trend should hold both runs, the reported one last: %+v", d.Trend)
	}
	last := d.Trend[1]
	if last.Red != s2.Tiers["red"] || last.Orange != s2.Tiers["orange"] || last.Yellow != s2.Tiers["yellow"] {
		t.Errorf("trend of the last run %+v, run tiers %v", last, s2.Tiers)
	}
	var byRule, byTown, byCat int64
	for _, c := range d.ByRule {
		byRule += c.N
	}
	for _, c := range d.Leader.ByTownship {
		byTown += c.Total
	}
	for _, c := range d.Leader.ByCategory {
		byCat += c.Total
	}
	if d.Total != s2.WatchlistItems || byTown != d.Total || byCat != d.Total || byRule < d.Total {
		t.Errorf("total %d (run %d), townships %d, categories %d, rule hits %d", d.Total, s2.WatchlistItems, byTown, byCat, byRule)
	}
	html := render(t, db, s2.RunID, "en")
	for _, want := range []string{"Petition early-warning report", "By tier", "Top matters", `lang="en"`} {
		if !strings.Contains(html, want) {
			t.Errorf("English report lacks %q", want)
		}
	}
	if strings.Contains(html, "重点事项") {
		t.Error("English report carries Chinese headings")
	}
	if _, err := publish.LoadReport(context.Background(), db, "no-such-run", publish.Settings{Lang: "zh"}, time.Now()); err == nil || !strings.Contains(err.Error(), "no-such-run") {
		t.Errorf("unknown run: %v", err)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	h := strings.ReplaceAll(pipelinetest.Hostile, "'", "''")
	pipelinetest.Exec(t, db, `UPDATE watchlist SET reason_zh = '`+h+`', township = '`+h+`', category = '`+h+`', rules = ['`+h+`']`)
	html := render(t, db, s.RunID, "zh")
	if m := outsideRef(html); m != "" {
		t.Errorf("hostile text made an outside reference: %q", m)
	}
	for _, bad := range []string{"<script>alert", "<img", `onerror="alert`, "<style>@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("hostile text rendered raw: %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("hostile reason not shown escaped in the top matters")
	}
}
