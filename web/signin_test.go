package web_test

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/web"
)

// signInToken opens the sign-in page as u and returns its form token.
func (u *user) signInToken() string {
	u.a.t.Helper()
	_, body := u.get("/login")
	m := loginField.FindStringSubmatch(body)
	if m == nil {
		u.a.t.Fatal("no sign-in token in the sign-in page")
	}
	return m[1]
}

// signInFrom posts the sign-in form as u with an X-Forwarded-For header (none when empty).
func (u *user) signInFrom(name, pw, forwardedFor string) int {
	u.a.t.Helper()
	form := url.Values{"login_token": {u.signInToken()}, "user": {name}, "password": {pw}}
	req, _ := http.NewRequest("POST", u.a.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := u.c.Do(req)
	if err != nil {
		u.a.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSignInThrottleHoldsUnderParallelAttempts: 40 wrong passwords in 20 parallel streams get
// no more 401s (password comparisons) than the throttle allows.
func TestSignInThrottleHoldsUnderParallelAttempts(t *testing.T) {
	a := newApp(t)
	const streams, each = 20, 2
	type attempt struct {
		c    *http.Client
		form url.Values
	}
	var attempts [streams][each]attempt
	for i := range attempts {
		for j := range attempts[i] {
			u := a.anon()
			attempts[i][j] = attempt{u.c, url.Values{"login_token": {u.signInToken()}, "user": {"leader"}, "password": {"wrong"}}}
		}
	}
	var mu sync.Mutex
	statuses := map[int]int{}
	var errs []error
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, at := range attempts[i] {
				resp, err := at.c.PostForm(a.srv.URL+"/login", at.form)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					resp.Body.Close()
					statuses[resp.StatusCode]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != streams*each-5 {
		t.Errorf("statuses %v, want 5 × 401 and %d × 429", statuses, streams*each-5)
	}
	if resp := a.anon().signIn("leader", password); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password after them: %d, want 429", resp.StatusCode)
	}
}

// TestUnknownUserTakesAsLongAsAWrongPassword: a wrong password of a known user and any password
// of an unknown one are both compared with bcrypt at the users' cost (not the minimum).
func TestUnknownUserTakesAsLongAsAWrongPassword(t *testing.T) {
	const cost = bcrypt.MinCost + 2
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		t.Fatal(err)
	}
	a := newAppWith(t, "", func(o *web.Options) {
		for i := range o.Serve.Users {
			o.Serve.Users[i].PasswordHash = string(h)
		}
	})
	var mu sync.Mutex
	var costs []int
	web.WatchCompare(a.server, func(hash []byte) {
		c, err := bcrypt.Cost(hash)
		if err != nil {
			c = -1
		}
		mu.Lock()
		costs = append(costs, c)
		mu.Unlock()
	})
	if resp := a.anon().signIn("leader", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if resp := a.anon().signIn("nobody", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown user: %d", resp.StatusCode)
	}
	if len(costs) != 2 || costs[0] != cost || costs[1] != cost {
		t.Errorf("bcrypt costs compared (wrong password, unknown user): %v, want [%d %d]", costs, cost, cost)
	}
}

// TestForwardedForOnlyFromTrustedProxies: behind a listed proxy, each client (by
// X-Forwarded-For) is throttled on its own; without one, the header is ignored and cannot be
// used to dodge the throttle.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	behind := newAppWith(t, "", func(o *web.Options) { o.Serve.TrustedProxies = []string{"127.0.0.0/8", "::1"} })
	u := behind.anon()
	for i := 0; i < 5; i++ {
		if st := u.signInFrom("leader", "wrong", "203.0.113.5"); st != http.StatusUnauthorized {
			t.Fatalf("behind a proxy, wrong password %d: %d", i+1, st)
		}
	}
	if st := u.signInFrom("leader", password, "203.0.113.5"); st != http.StatusTooManyRequests {
		t.Errorf("behind a proxy, the same client again: %d, want 429", st)
	}
	if st := behind.anon().signInFrom("leader", password, "203.0.113.6"); st != http.StatusSeeOther {
		t.Errorf("behind a proxy, another client: %d, want 303", st)
	}
	// The client cannot choose its address by writing its own header: the proxy appends.
	if st := behind.anon().signInFrom("leader", password, "198.51.100.1, 203.0.113.5"); st != http.StatusTooManyRequests {
		t.Errorf("behind a proxy, a forged first hop: %d, want 429", st)
	}

	direct := newApp(t)
	v := direct.anon()
	for i := 0; i < 5; i++ {
		if st := v.signInFrom("leader", "wrong", "203.0.113."+string(rune('1'+i))); st != http.StatusUnauthorized {
			t.Fatalf("no proxy, wrong password %d: %d", i+1, st)
		}
	}
	if st := direct.anon().signInFrom("leader", password, "203.0.113.99"); st != http.StatusTooManyRequests {
		t.Errorf("no trusted proxy, a new X-Forwarded-For: %d, want 429", st)
	}
}

// TestServerErrorPageShowsOnlyAReference: a 500 page shows a reference and none of the error's
// text; the server log has the text under that reference.
func TestServerErrorPageShowsOnlyAReference(t *testing.T) {
	const secret = "/srv/earlywarn/secret/input.csv"
	var logs bytes.Buffer
	var logMu sync.Mutex
	a := newAppWith(t, "en", func(o *web.Options) {
		o.Log = log.New(writerFunc(func(p []byte) (int, error) { logMu.Lock(); defer logMu.Unlock(); return logs.Write(p) }), "", 0)
		o.Run = func(context.Context) (string, error) { return "", errors.New("open " + secret + ": permission denied") }
	})
	ref := regexp.MustCompile(`reference ([0-9a-f]{12})`)
	check := func(what string, resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("%s: %d, want 500", what, resp.StatusCode)
		}
		m := ref.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no reference on the page:\n%s", what, body)
		}
		for _, leak := range []string{secret, "permission denied", "database is closed"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: the page shows %q", what, leak)
			}
		}
		logMu.Lock()
		defer logMu.Unlock()
		found := false
		for _, line := range strings.Split(logs.String(), "\n") {
			found = found || strings.Contains(line, "["+m[1]+"]")
		}
		if !found {
			t.Errorf("%s: reference %s is not in the server log:\n%s", what, m[1], logs.String())
		}
	}
	admin := a.as("admin")
	resp, body := admin.post("/run", nil)
	check("failed run", resp, body)
	if !strings.Contains(logs.String(), secret) {
		t.Errorf("the server log lacks the run's error:\n%s", logs.String())
	}
	a.db.Close() // every query now fails inside the server
	resp, body = admin.get("/watchlist")
	check("failed query", resp, body)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
