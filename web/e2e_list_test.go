package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web/review"
)

// wrapCheck is JavaScript that finds, in the list #items, the cells of the short columns whose
// text takes more than one line, and tells whether the page is wider than the window.
const wrapCheck = `(() => {
  const short = ['c-rank', 'c-tier', 'c-score', 'c-town', 'c-cat', 'c-state', 'c-owner', 'c-due'];
  const bad = [];
  for (const td of document.querySelectorAll('#items td')) {
    if (!short.some(c => td.classList.contains(c)) || td.textContent.trim() === '') continue;
    const r = document.createRange();
    r.selectNodeContents(td);
    const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
    if (lines.size > 1) bad.push(td.className + ': ' + td.textContent.trim());
  }
  for (const th of document.querySelectorAll('#items th')) {
    const r = document.createRange();
    r.selectNodeContents(th);
    if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) bad.push('header: ' + th.textContent.trim());
  }
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  return bad.slice(0, 10).join('\n') + (wide ? '\nwider than the window: ' + document.documentElement.scrollWidth : '');
})()`

// TestBrowserListFitsChineseText opens the list at 1280 px on the fixture and on a run of
// 10,000 matters, with matters owned and resolved, and checks that no cell of a short column
// (tier, township, category, state, owner, due date …) and no header wraps, and that the page
// is no wider than the window; it saves screenshots of the list, a matter, the audit log and
// the list as printed (print stylesheet).
func TestBrowserListFitsChineseText(t *testing.T) {
	exe := browser(t)
	a := newApp(t)
	shots := screenshots(t)
	a.take("leader2", review.RoleLeader, a.matters[1])
	b := openBrowser(t, exe, 1280, 900, 3*time.Minute)
	ctx := b.ctx

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			t.Logf("screenshot %s", filepath.Join(shots, name+".png"))
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	do := b.do
	check := func(where string) {
		t.Helper()
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[string](wrapCheck))
		if err != nil {
			t.Fatalf("browser, %s: %v", where, err)
		}
		if bad = strings.TrimSpace(bad); bad != "" {
			t.Errorf("%s at 1280 px:\n%s", where, bad)
		}
	}
	do("sign in", chromedp.Navigate(a.srv.URL+"/login"), chromedp.WaitVisible(`#login`),
		chromedp.SendKeys(`#user`, "leader"), chromedp.SendKeys(`#password`, password))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(`#sign-in`)); err != nil {
		t.Fatal(err)
	}
	do("list", chromedp.Navigate(a.srv.URL+"/watchlist"), chromedp.WaitVisible(`#items`), shot("list-1280"))
	check("the list")
	do("matter", chromedp.Navigate(a.srv.URL+matterPath(a.matters[1])), chromedp.WaitVisible(`#matter-title`), shot("matter-1280"))
	do("audit", chromedp.Navigate(a.srv.URL+"/audit"), chromedp.WaitVisible(`#audit`), shot("audit-1280"))
	do("print", chromedp.Navigate(a.srv.URL+"/watchlist"), chromedp.WaitVisible(`#items`),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}), shot("list-print"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
			return err
		}))
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape()))
	if err != nil || len(pdf) < 1000 {
		t.Errorf("printing the list: %d bytes, %v", len(pdf), err)
	} else if err := os.WriteFile(filepath.Join(shots, "list-print.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	// A run of 10,000 matters, its latest: long lists of rules, 40 townships, owners.
	pipelinetest.AddBigRun(t, a.db, 10_000)
	do("big list", chromedp.Navigate(a.srv.URL+"/watchlist?page=3"), chromedp.WaitVisible(`#items`), shot("list-big-1280"))
	check("the list of 10,000 matters")
}
