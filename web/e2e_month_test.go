package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web"
	"github.com/earlywarn/earlywarn/web/review"
)

// nextRunAsOf is the as-of date of the screening the admin starts in TestBrowserWalksTheMonth.
var nextRunAsOf = time.Date(2025, 7, 5, 0, 0, 0, 0, time.UTC)

// TestBrowserWalksTheMonth is issue 15's month of 包案 in headless Chromium: the office assigns
// two matters to two leaders; each writes a plan; one reports progress, the other does not and
// shows 本月未报进展 on /my and the list a month on; the office supervises the late one; the
// other is resolved, return-visited as 不满意 and reopened by the next run (the pipeline's, from
// the admin's 运行筛查); the ledger and the bulletin print as A4 landscape PDFs; the audit log
// shows every step with local times. Screenshots and PDFs go to $EARLYWARN_E2E_SCREENSHOTS.
func TestBrowserWalksTheMonth(t *testing.T) {
	exe := browser(t)
	var a *app
	a = newAppWith(t, "", func(o *web.Options) {
		o.Run = func(ctx context.Context) (string, error) {
			plan, err := pipeline.Prepare(ctx, a.cfg)
			if err != nil {
				return "", err
			}
			s, err := pipeline.Run(ctx, plan, pipeline.Options{AsOf: nextRunAsOf, Version: "test", DB: a.db})
			if err != nil {
				return "", err
			}
			return s.RunID, nil
		}
	})
	m1, m2 := a.matters[0], a.matters[1]
	// The fixture's data ends in June 2025: the month walked is June to July 2025, 09:00 in
	// Shanghai on its first day.
	a.clock.Add(time.Date(2025, 6, 2, 1, 0, 0, 0, time.UTC).Sub(a.clock.Now()))
	// The fixture's run is the night of 06-30 (the run after compares the review's steps with
	// when it finished).
	pipelinetest.Exec(t, a.db, `UPDATE runs SET started_at = TIMESTAMPTZ '2025-06-30 18:00:00+08', finished_at = TIMESTAMPTZ '2025-06-30 18:05:00+08'`)
	shots := screenshots(t)

	b := openBrowser(t, exe, 1280, 1000, 4*time.Minute)
	ctx := b.ctx

	n := 0
	save := func(name string, b []byte) {
		t.Helper()
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("saved %s", path)
	}
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			n++
			save("month-"+strconv.Itoa(n)+"-"+name+".png", png)
			return nil
		})
	}
	do := b.do
	click := b.click
	text := b.text
	expect := func(where, sel string, wants ...string) {
		t.Helper()
		got := text(sel)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %s lacks %q:\n%s", where, sel, w, got)
			}
		}
	}
	// as signs name in afresh: the clock moves by weeks, so sessions have expired.
	as := func(name string) {
		t.Helper()
		do("sign in "+name, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
			return err
		}), chromedp.Navigate(a.srv.URL+"/login"), chromedp.WaitVisible(`#login`),
			chromedp.SendKeys(`#user`, name), chromedp.SendKeys(`#password`, password))
		click("sign in "+name, `#sign-in`)
		do("signed in "+name, chromedp.WaitVisible(`#sign-out`))
	}
	open := func(id string) {
		t.Helper()
		do("open "+id, chromedp.Navigate(a.srv.URL+matterPath(id)), chromedp.WaitVisible(`#state`))
	}
	// submit fills the form's fields (selector → value) and submits it, waiting for the flash.
	submit := func(step, form string, fields [][2]string) {
		t.Helper()
		var acts []chromedp.Action[chromedp.Void]
		for _, f := range fields {
			acts = append(acts, chromedp.SetValue(form+" "+f[0], f[1]))
		}
		do(step, acts...)
		click(step, form+" button")
		do(step, chromedp.WaitVisible(`#flash`))
	}
	later := func(days int) { a.clock.Add(time.Duration(days) * 24 * time.Hour) }

	// 06-02: the office assigns the two matters.
	as("office")
	open(m1)
	submit("assign m1", "#form-assign", [][2]string{{"select[name=owner]", "leader"}, {"input[name=plan_deadline]", "2025-06-09"}})
	do("assigned", shot("assigned"))
	open(m2)
	submit("assign m2", "#form-assign", [][2]string{{"select[name=owner]", "leader2"}, {"input[name=plan_deadline]", "2025-06-09"}})
	// Each leader writes a plan.
	as("leader")
	open(m1)
	submit("plan m1", "#form-plan", [][2]string{{"textarea[name=plan]", "约谈信访人，协调补偿"}, {"input[name=due]", "2025-08-31"}})
	as("leader2")
	open(m2)
	submit("plan m2", "#form-plan", [][2]string{{"textarea[name=plan]", "协调补偿款发放"}, {"input[name=due]", "2025-06-25"}})
	do("planned", shot("plan"))
	// 06-20: one reports progress; the other does not.
	later(18)
	as("leader")
	open(m1)
	submit("progress m1", "#form-progress", [][2]string{{"textarea[name=note]", "六月走访两次，信访人同意调解"}})
	// 07-05: the late one shows the reminder on /my and on the list.
	later(15)
	as("leader2")
	do("my", chromedp.Navigate(a.srv.URL+"/my"), chromedp.WaitVisible(`#my-matters`), shot("my-reminder"))
	expect("leader2's /my", `#my-matters`, m2, "本月未报进展", "已逾期")
	do("list", chromedp.Navigate(a.srv.URL+"/watchlist?owner=leader2"), chromedp.WaitVisible(`#items`), shot("list-reminder"))
	expect("the list of leader2's matters", `#items`, m2, "本月未报进展")
	// The office supervises the late one.
	as("office")
	open(m2)
	submit("supervise m2", "#form-supervise", [][2]string{{"textarea[name=note]", "请三日内约谈信访人并报进展"}, {"input[name=deadline]", "2025-07-08"}})
	do("supervised", shot("supervised"))
	// The other is resolved and return-visited as 不满意.
	as("leader")
	open(m1)
	submit("resolve m1", "#form-resolve", [][2]string{{"textarea[name=note]", "已签和解协议"}})
	as("office")
	open(m1)
	submit("visit m1", "#form-visit", [][2]string{{"select[name=satisfaction]", "unsatisfied"}, {"textarea[name=note]", "信访人称补偿未到位"}})
	do("visited", shot("unsatisfied"))
	expect("the matter visited as 不满意", `#state`, "包案办理中", "leader")
	// The next run (the admin's 运行筛查) lists it as reopened, and says why.
	as("admin")
	click("run", `#run-now`)
	do("run", chromedp.WaitVisible(`#flash`))
	open(m1)
	do("reopened", shot("reopened"))
	expect("the matter after the run", `#change`, "再现")
	expect("the matter after the run", `#change-note`, "回访不满意，已于2025-07-05重新办理")

	// The ledger and the bulletin, on screen and printed.
	as("office")
	printed := func(name, path, table string) (pages int, png []byte) {
		t.Helper()
		do(name, chromedp.Navigate(a.srv.URL+path), chromedp.WaitVisible(table), shot(name))
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(), chromedp.PDFPrintBackground(),
			func(p *page.PrintToPDFParams) { p.PreferCSSPageSize = ptr(true) }))
		if err != nil {
			t.Fatalf("print %s: %v", name, err)
		}
		save(name+".pdf", pdf)
		pages, w, h := pdfPages(pdf)
		if len(pdf) < 1000 || pages == 0 || w < 835 || w > 848 || h < 589 || h > 601 {
			t.Errorf("%s.pdf: %d bytes, %d pages of %.0f × %.0f pt, want A4 landscape (842 × 595)", name, len(pdf), pages, w, h)
		}
		// The print view as a picture: nav and forms hidden, the header line on top.
		do(name+" print view", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}), shot(name+"-print"), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}))
		return pages, pdf
	}
	if pages, _ := printed("ledger", "/ledger", "#ledger"); pages != 1 {
		t.Errorf("the ledger of two matters prints on %d pages, want 1", pages)
	}
	expect("the ledger", `#print-head`, "信访局 · 月度包案台账 · 2025年07月 · 打印日期 2025-07-05")
	expect("the ledger", `#ledger`, m1, m2, "leader", "leader2", "office 于 2025-06-02 交办", "约谈信访人，协调补偿", "2025-08-31",
		"已签和解协议", "请三日内约谈信访人并报进展", "期限 2025-07-08", "不满意", "信访人称补偿未到位", "回访不满意，重新办理", "本月未报进展", "已逾期")
	if pages, _ := printed("bulletin", "/bulletin", "#bulletin-leaders"); pages < 1 || pages > 2 {
		t.Errorf("the bulletin prints on %d pages, want one or two", pages)
	}
	expect("the bulletin", `#bulletin-summary`, "截至 2025-07-05", "再现 1 项")
	expect("the bulletin", `#bulletin-leaders`, "leader", "leader2")

	// The audit log: every step, at local times.
	do("audit", chromedp.Navigate(a.srv.URL+"/audit"), chromedp.WaitVisible(`#audit`), shot("audit"))
	audit := text(`#audit`)
	for _, want := range []string{"交办", "制定方案", "记录进展", "督办", "标记化解", "回访", review.ActionLabel("zh", review.ActRun),
		"2025-06-02 09:00", "2025-06-20 09:00", "2025-07-05 09:00"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('assign', 'set_plan', 'record_progress', 'supervise', 'resolve', 'return_visit')`); n != 8 {
		t.Errorf("%d 包案 steps in the audit log, want 8", n)
	}
}

var (
	pdfPage     = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pdfMediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)
)

// pdfPages counts the pages of a PDF and returns the size of its first in points.
func pdfPages(pdf []byte) (pages int, w, h float64) {
	pages = len(pdfPage.FindAll(pdf, -1))
	if m := pdfMediaBox.FindSubmatch(pdf); m != nil {
		w, _ = strconv.ParseFloat(string(m[1]), 64)
		h, _ = strconv.ParseFloat(string(m[2]), 64)
	}
	return pages, w, h
}

func ptr[T any](v T) *T { return &v }
