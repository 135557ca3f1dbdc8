package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser finds a Chromium to drive, or skips the test saying how to get one.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no headless browser: install Debian's chromium (apt-get install -y chromium) to run the browser tests; .ci/run installs it")
	return ""
}

// screenshots is where the browser tests save their screenshots: $EARLYWARN_E2E_SCREENSHOTS
// when set, else the test's temporary folder.
func screenshots(t *testing.T) string {
	dir := os.Getenv("EARLYWARN_E2E_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserReview signs in with headless Chromium, filters the watchlist, opens a matter,
// takes ownership and finds the action in the audit log, saving a screenshot of each step.
func TestBrowserReview(t *testing.T) {
	exe := browser(t)
	a := newApp(t)
	shots := screenshots(t)
	b := openBrowser(t, exe, 1280, 1000, 3*time.Minute)
	ctx := b.ctx

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg) // quality 100: PNG
			if err != nil {
				return err
			}
			path := filepath.Join(shots, name+".png")
			t.Logf("screenshot %s", path)
			return os.WriteFile(path, png, 0o644)
		})
	}
	do := b.do
	click := b.click
	text := b.text
	red := a.count(`SELECT count(*) FROM watchlist WHERE run_id = $1 AND tier = 'red'`, a.runID)

	do("sign in", chromedp.Navigate(a.srv.URL+"/watchlist"), // signed out: sent to sign in
		chromedp.WaitVisible(`#login`),
		chromedp.SendKeys(`#user`, "leader"),
		chromedp.SendKeys(`#password`, password),
		shot("1-sign-in"))
	click("sign in", `#sign-in`)
	do("watchlist", chromedp.WaitVisible(`#items`), shot("2-watchlist"))
	do("filter", chromedp.SetValue(`#f-tier`, "red"))
	click("filter", `#apply-filter`)
	do("filtered", chromedp.WaitVisible(`#count`), shot("3-filtered"))
	count := text(`#count`)
	click("open a matter", `#items a.matter-link`)
	do("matter", chromedp.WaitVisible(`#timeline`), shot("4-matter"))
	matterURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	click("take ownership", `#take`)
	do("owned", chromedp.WaitVisible(`#flash`), shot("5-owned"))
	flash, state := text(`#flash`), text(`#state`)
	click("audit log", `#nav-audit`)
	do("audit", chromedp.WaitVisible(`#audit`), shot("6-audit"))
	audit := text(`#audit`)
	if !strings.HasPrefix(count, "共 "+strconv.Itoa(red)+" 项") {
		t.Errorf("filtered to red: %q, the run has %d red matters", count, red)
	}
	i := strings.Index(matterURL, "/matters/")
	if i < 0 {
		t.Fatalf("the matter link went to %s", matterURL)
	}
	id := a.matters[0] // the first red matter is the first of the watchlist
	if !strings.Contains(flash, "已认领包案") || !strings.Contains(state, "包案办理中") || !strings.Contains(state, "leader") {
		t.Errorf("after taking ownership: flash %q, state %q", flash, state)
	}
	if !strings.Contains(audit, "认领包案") || !strings.Contains(audit, id) || !strings.Contains(audit, "leader") {
		t.Errorf("audit log page lacks the take of %s:\n%s", id, audit)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'take_ownership' AND actor = 'leader' AND matter_id = $1`, id); n != 1 {
		t.Errorf("%d take_ownership rows for %s in the audit log, want 1", n, id)
	}
}

// browserTab is a headless chromium page for a browser test, closed when the test ends.
type browserTab struct {
	t   *testing.T
	ctx context.Context
}

// openBrowser starts chromium (exe, from browser) with a window of width × height pixels; the
// tab's context ends after timeout.
func openBrowser(t *testing.T, exe string, width, height int, timeout time.Duration) *browserTab {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	return &browserTab{t: t, ctx: ctx}
}

// do runs actions, failing the test at step on an error.
func (b *browserTab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser, %s: %v", step, err)
	}
}

// click follows a link or submits a form, then waits for the new page to load: the element the
// next step waits for may be on the old page too.
func (b *browserTab) click(step, sel string) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(sel)); err != nil {
		b.t.Fatalf("browser, %s: %v", step, err)
	}
}

// text is the text of the element sel.
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("browser, text of %s: %v", sel, err)
	}
	return s
}
