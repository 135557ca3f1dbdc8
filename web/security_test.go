package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
)

func TestCSRFIsRejected(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	other := a.as("leader2")
	take := first(a) + "/take"
	before := a.reviewRows()
	for name, form := range map[string]url.Values{
		"no token":             {"version": {"0"}, "csrf": {""}},
		"wrong token":          {"version": {"0"}, "csrf": {strings.Repeat("0", 64)}},
		"another user's token": {"version": {"0"}, "csrf": {other.csrf}},
	} {
		resp, body := u.post(take, form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") && !strings.Contains(body, "防伪令牌") {
			t.Errorf("%s: %d\n%s", name, resp.StatusCode, body)
		}
	}
	// A valid token on a request from another site.
	req, _ := http.NewRequest("POST", a.srv.URL+take, strings.NewReader(url.Values{"version": {"0"}, "csrf": {u.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	resp, err := u.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", resp.StatusCode)
	}
	if a.reviewRows() != before {
		t.Errorf("forged forms changed the review tables: %s -> %s", before, a.reviewRows())
	}
	// A forged sign-in: no sign-in token.
	anon := a.anon()
	resp, _ = anon.postRaw("/login", url.Values{"user": {"leader"}, "password": {password}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without its token: %d", resp.StatusCode)
	}
	// The same form with the user's token goes through.
	if resp, body := u.post(take, url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("genuine form: %d\n%s", resp.StatusCode, body)
	}
}

func TestSignInIsThrottled(t *testing.T) {
	a := newApp(t)
	u := a.anon()
	for i := 0; i < 5; i++ {
		resp := u.signIn("leader", "wrong")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := u.signIn("leader", password)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt with the right password: %d, want 429", resp.StatusCode)
	}
	if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); s <= 0 || s > 15*60 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	// The throttle is by user and address together: failures cannot lock a user out for
	// everyone, nor lock out every user of an address (of a proxy).
	if resp := a.anon().signIn("leader2", password); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same address, other user: %d, want 303", resp.StatusCode)
	}
	// Delays grow: a minute after the fifth failure one more attempt; failing it, two minutes.
	a.clock.Add(time.Minute)
	if resp := u.signIn("leader", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a minute later: %d, want 401", resp.StatusCode)
	}
	a.clock.Add(time.Minute)
	if resp := u.signIn("leader", password); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a minute after the sixth failure: %d, want 429", resp.StatusCode)
	}
	a.clock.Add(time.Minute + time.Second)
	if resp := u.signIn("leader", password); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("two minutes after the sixth failure: %d, want 303", resp.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_in'`); n != 2 {
		t.Errorf("%d sign-ins in the audit log, want 2", n)
	}
	// Unknown users fail like wrong passwords.
	if resp := a.anon().signIn("nobody", password); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", resp.StatusCode)
	}
}

func TestExpiredSessionGoesToSignIn(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	a.clock.Add(29 * time.Minute)
	if resp, _ := u.get("/watchlist"); resp.StatusCode != http.StatusOK {
		t.Fatalf("within the idle limit: %d", resp.StatusCode)
	}
	a.clock.Add(31 * time.Minute)
	before := a.reviewRows()
	resp, _ := u.post(first(a)+"/take", url.Values{"version": {"0"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") || !strings.Contains(loc, "expired=1") {
		t.Errorf("POST on an expired session: %d %q", resp.StatusCode, loc)
	}
	if a.reviewRows() != before {
		t.Error("an expired session changed the review tables")
	}
	resp, body := u.get("/login?expired=1")
	if resp.StatusCode != 200 || !strings.Contains(body, "会话已过期") {
		t.Errorf("sign-in page after expiry: %d", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	a := newApp(t)
	u := a.anon()
	_, body := u.get("/login")
	m := loginField.FindStringSubmatch(body)
	resp, _ := u.postRaw("/login", url.Values{"login_token": {m[1]}, "user": {"leader"}, "password": {password}})
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "ew_session" {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || len(c.Value) < 32 {
				t.Errorf("session cookie %+v", c)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestBadInputGetsAClearAnswer(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	id := a.matters[0]
	a.take("leader", "leader", id)
	plan := matterPath(id) + "/plan"
	before := a.reviewRows()
	for _, c := range []struct {
		name, method, path string
		form               url.Values
		status             int
		says               string
	}{
		{"unknown matter page", "GET", "/matters/no-such-matter", nil, 404, "no-such-matter"},
		{"unknown matter action", "POST", "/matters/no-such-matter/take", url.Values{"version": {"0"}}, 404, "no-such-matter"},
		{"oversized form", "POST", plan, url.Values{"version": {"1"}, "plan": {strings.Repeat("x", 70<<10)}, "due": {"2026-05-01"}}, 400, "KB"},
		{"plan too long", "POST", plan, url.Values{"version": {"1"}, "plan": {strings.Repeat("案", 2001)}, "due": {"2026-05-01"}}, 400, "2000"},
		{"empty plan", "POST", plan, url.Values{"version": {"1"}, "plan": {"  "}, "due": {"2026-05-01"}}, 400, "不能为空"},
		{"control characters", "POST", plan, url.Values{"version": {"1"}, "plan": {"方案\x00\x1b[31m"}, "due": {"2026-05-01"}}, 400, "控制字符"},
		{"invalid UTF-8", "POST", plan, url.Values{"version": {"1"}, "plan": {"\xff\xfe方案"}, "due": {"2026-05-01"}}, 400, "UTF-8"},
		{"bad due date", "POST", plan, url.Values{"version": {"1"}, "plan": {"方案"}, "due": {"next week"}}, 400, "如 2027-01-15"},
		{"due date far off", "POST", plan, url.Values{"version": {"1"}, "plan": {"方案"}, "due": {"9999-01-01"}}, 400, "超过两年：请填写 2028-03-01 或之前的日期"},
		{"due date gone by", "POST", plan, url.Values{"version": {"1"}, "plan": {"方案"}, "due": {"2020-01-01"}}, 400, "早于今天（2026-03-01）：请填写今天或以后的日期"},
		{"no version", "POST", plan, url.Values{"plan": {"方案"}, "due": {"2026-05-01"}}, 400, "版本"},
		{"bad version", "POST", plan, url.Values{"version": {"-1"}, "plan": {"方案"}, "due": {"2026-05-01"}}, 400, "版本"},
		{"long dismissal reason", "POST", matterPath(id) + "/dismiss", url.Values{"version": {"1"}, "reason": {strings.Repeat("因", 1001)}}, 400, "1000"},
		{"bad tier filter", "GET", "/watchlist?tier=purple", nil, 400, "tier"},
		{"bad state filter", "GET", "/watchlist?state=%3Cscript%3E", nil, 400, "state"},
		{"bad page", "GET", "/watchlist?page=0", nil, 400, "page"},
		{"page not a number", "GET", "/watchlist?page=abc", nil, 400, "page"},
		{"long filter", "GET", "/watchlist?township=" + strings.Repeat("镇", 201), nil, 400, "township"},
		{"hostile matter id", "GET", "/matters/" + url.PathEscape(pipelinetest.Hostile), nil, 404, "&lt;script&gt;"},
	} {
		var resp *http.Response
		var body string
		if c.method == "GET" {
			resp, body = u.get(c.path)
		} else {
			resp, body = u.post(c.path, c.form)
		}
		if resp.StatusCode != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s: %d (want %d), body says %q?\n%s", c.name, resp.StatusCode, c.status, c.says, excerpt(body))
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s: raw script in the answer", c.name)
		}
	}
	if a.reviewRows() != before {
		t.Errorf("bad input changed the review tables: %s -> %s", before, a.reviewRows())
	}
}

func TestConcurrentEditsConflict(t *testing.T) {
	a := newApp(t)
	id := a.matters[1]
	one, two := a.as("leader"), a.as("leader2")
	// Both saw version 0; the first action wins, the second gets 409 and changes nothing.
	if resp, body := one.post(matterPath(id)+"/take", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first take: %d\n%s", resp.StatusCode, body)
	}
	before := a.reviewRows()
	resp, body := two.post(matterPath(id)+"/dismiss", url.Values{"version": {"0"}, "reason": {"重复"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "第 0 版") || !strings.Contains(body, "第 1 版") || !strings.Contains(body, "现由 leader 包案") {
		t.Errorf("stale dismiss: %d\n%s", resp.StatusCode, excerpt(body))
	}
	// Taking a matter someone owns is refused too, with the owner named.
	resp, body = two.post(matterPath(id)+"/take", url.Values{"version": {"1"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "leader 已认领此事项") {
		t.Errorf("take an owned matter: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if a.reviewRows() != before {
		t.Errorf("refused edits changed the review tables: %s -> %s", before, a.reviewRows())
	}

	// Many leaders at once on a fresh matter: exactly one wins.
	id = a.matters[2]
	users := []*user{a.as("leader"), a.as("leader2"), a.as("leader3"), a.as("leader"), a.as("leader2"), a.as("leader3")}
	codes := make([]int, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", a.srv.URL+matterPath(id)+"/take", strings.NewReader(url.Values{"version": {"0"}, "csrf": {u.csrf}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := u.c.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != len(users)-1 {
		t.Errorf("concurrent takes: %v, want one 303 and the rest 409", codes)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE matter_id = $1 AND action = 'take_ownership'`, id); n != 1 {
		t.Errorf("%d takes in the audit log, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM matter_review WHERE matter_id = $1`, id); n != 1 {
		t.Errorf("%d review rows for the matter, want 1", n)
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main>"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 600 {
		s = s[:600]
	}
	return s
}
