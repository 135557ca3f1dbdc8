package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/web"
)

func TestNextRun(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		now, at, want string // now and want in UTC
	}{
		{"2026-03-01T10:00:00Z", "02:30", "2026-03-01T18:30:00Z"}, // 18:00 in Shanghai: later today
		{"2026-03-01T18:30:00Z", "02:30", "2026-03-02T18:30:00Z"}, // exactly then: tomorrow
		{"2026-03-01T17:00:00Z", "02:30", "2026-03-01T18:30:00Z"}, // 01:00 on 2 March in Shanghai
		{"2026-12-31T19:00:00Z", "02:30", "2027-01-01T18:30:00Z"}, // across the year
	} {
		now, _ := time.Parse(time.RFC3339, c.now)
		got, err := web.NextRun(now, c.at, sh)
		if err != nil || !got.Equal(mustTime(c.want)) {
			t.Errorf("NextRun(%s, %s) = %s, %v; want %s", c.now, c.at, got.UTC().Format(time.RFC3339), err, c.want)
		}
	}
	if _, err := web.NextRun(time.Now(), "2:3x", sh); err == nil {
		t.Error("a bad time of day was accepted")
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRunFromTheServerIsAudited(t *testing.T) {
	a := newApp(t)
	u := a.as("admin")
	resp, body := u.post("/run", url.Values{})
	if resp.StatusCode != 303 || a.runs != 1 {
		t.Fatalf("run: %d, %d runs\n%s", resp.StatusCode, a.runs, excerpt(body))
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'run' AND actor = 'admin' AND CAST(after_state AS VARCHAR) LIKE '%fake-run%'`); n != 1 {
		t.Errorf("%d run entries in the audit log", n)
	}
	_, page := u.get("/watchlist")
	if !strings.Contains(page, `id="run-now"`) {
		t.Error("the admin's pages lack the run button")
	}
	_, page = a.as("leader").get("/watchlist")
	if strings.Contains(page, `id="run-now"`) {
		t.Error("a leader's pages show the run button")
	}
}

func TestEnglishPages(t *testing.T) {
	a := newAppLang(t, "en")
	u := a.as("leader")
	_, page := u.get("/watchlist")
	for _, want := range []string{"Watchlist", "matters, page 1 of 1", "Filter", `lang="en"`} {
		if !strings.Contains(page, want) {
			t.Errorf("English watchlist lacks %q", want)
		}
	}
	_, page = u.get(matterPath(a.matters[0]))
	if !strings.Contains(page, "Evidence timeline") || !strings.Contains(page, "Take ownership") || strings.Contains(page, "证据时间线") {
		t.Error("English matter page is not in English")
	}
}
