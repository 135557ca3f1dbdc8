package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web"
	"github.com/earlywarn/earlywarn/web/review"
)

// restartable is a review server on a database file that a test can stop and start again.
type restartable struct {
	t     *testing.T
	cfg   configs.Config
	clock *clock
	app   *app
}

func newRestartable(t *testing.T) *restartable {
	t.Helper()
	cfg := pipelinetest.Config(t)
	pipelinetest.Run(t, cfg)
	return &restartable{t: t, cfg: cfg, clock: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
}

// start opens the database file and starts a server on it with us as serve.users.
func (r *restartable) start(us []configs.User) *app {
	r.t.Helper()
	db, err := pipeline.OpenDB(context.Background(), r.cfg.Database, r.cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	srv, err := web.New(context.Background(), db, web.Options{Serve: configs.Serve{Users: us}, Location: shanghai(r.t), Now: r.clock.Now})
	if err != nil {
		db.Close()
		r.t.Fatal(err)
	}
	a := &app{t: r.t, db: db, srv: httptest.NewServer(srv.Handler()), clock: r.clock, server: srv}
	rows, err := db.Query(`SELECT matter_id FROM watchlist ORDER BY run_id DESC, rank`)
	if err != nil {
		r.t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		a.matters = append(a.matters, id)
	}
	rows.Close()
	r.app = a
	r.t.Cleanup(r.stop)
	return a
}

// stop stops the server and closes the database file, as when the process ends.
func (r *restartable) stop() {
	if r.app == nil {
		return
	}
	r.app.srv.Close()
	if err := r.app.db.Close(); err != nil {
		r.t.Error(err)
	}
	r.app = nil
}

// on is u's browser, with its cookies, pointed at another server: cookies do not depend on the
// port.
func (u *user) on(a *app) *user { return &user{a: a, c: u.c, csrf: u.csrf} }

func sessionCookieOf(t *testing.T, u *user) string {
	t.Helper()
	base, _ := url.Parse(u.a.srv.URL)
	for _, c := range u.c.Jar.Cookies(base) {
		if c.Name == "ew_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// TestSessionSurvivesARestart: a user signed in on one server is still signed in on the next
// server on the same database file, with the same CSRF token; signing out there ends it.
func TestSessionSurvivesARestart(t *testing.T) {
	r := newRestartable(t)
	first := r.start(users())
	u := first.as("leader")
	token := sessionCookieOf(t, u)
	r.stop()

	second := r.start(users())
	u = u.on(second)
	r.clock.Add(10 * time.Minute)
	if resp, body := u.get("/watchlist"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "leader") {
		t.Fatalf("after a restart: %d", resp.StatusCode)
	}
	// The CSRF token the first server gave still passes on the second.
	if resp, body := u.post(matterPath(second.matters[0])+"/take", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a form of the first server on the second: %d\n%s", resp.StatusCode, body)
	}
	if n := second.count(`SELECT count(*) FROM sessions WHERE token_hash = $1`, review.SessionKey(token)); n != 1 {
		t.Fatalf("%d rows for the session", n)
	}
	if resp, _ := u.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}
	if n := second.count(`SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("signing out left %d session rows", n)
	}
	// The old cookie no longer signs anyone in, on this server or the next.
	r.stop()
	third := r.start(users())
	req, _ := http.NewRequest("GET", third.srv.URL+"/watchlist", nil)
	req.AddCookie(&http.Cookie{Name: "ew_session", Value: token})
	resp, err := third.anon().c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("a signed-out cookie: %d %q", resp.StatusCode, loc)
	}
}

// TestSessionTableHoldsNoToken: the table keeps a hash of the token; nothing in it is the token.
func TestSessionTableHoldsNoToken(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	token := sessionCookieOf(t, u)
	if n := a.count(`SELECT count(*) FROM sessions WHERE user_name = 'leader' AND role = 'leader' AND token_hash = $1 AND csrf = $2`,
		review.SessionKey(token), u.csrf); n != 1 {
		t.Fatalf("%d rows for the session", n)
	}
	if n := a.count(`SELECT count(*) FROM sessions s WHERE strpos(CAST(s AS VARCHAR), $1) > 0`, token); n != 0 {
		t.Errorf("the session token is in the sessions table")
	}
	if review.SessionKey(token) == token || len(review.SessionKey(token)) != 64 {
		t.Errorf("SessionKey(%q) = %q", token, review.SessionKey(token))
	}
}

// TestSessionIsTouchedOnceAMinute: a request writes the session's last request only when the
// last one written is a minute old or more, and each write moves the expiry on.
func TestSessionIsTouchedOnceAMinute(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	seen := func() (time.Time, time.Time) {
		var last, exp time.Time
		if err := a.db.QueryRow(`SELECT last_seen, expires_at FROM sessions`).Scan(&last, &exp); err != nil {
			t.Fatal(err)
		}
		return last.UTC(), exp.UTC()
	}
	signedIn := a.clock.Now()
	a.clock.Add(59 * time.Second)
	u.get("/watchlist")
	if last, exp := seen(); !last.Equal(signedIn) || !exp.Equal(signedIn.Add(30*time.Minute)) {
		t.Errorf("59 s after signing in: last seen %v, expires %v", last, exp)
	}
	a.clock.Add(time.Second)
	u.get("/watchlist")
	now := a.clock.Now()
	if last, exp := seen(); !last.Equal(now) || !exp.Equal(now.Add(30*time.Minute)) {
		t.Errorf("a minute after signing in: last seen %v, expires %v (now %v)", last, exp, now)
	}
	// Idle expiry still counts from the last request written.
	a.clock.Add(30*time.Minute + time.Second)
	if resp, _ := u.get("/watchlist"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "expired=1") {
		t.Errorf("idle past the limit: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("an expired session left %d rows", n)
	}
}

// TestExpiredSessionsArePurged: signing in, and starting a server, removes the sessions that
// are over; live ones stay.
func TestExpiredSessionsArePurged(t *testing.T) {
	r := newRestartable(t)
	a := r.start(users())
	a.as("leader")
	r.clock.Add(20 * time.Minute)
	a.as("analyst")
	r.clock.Add(15 * time.Minute) // leader idle 35 minutes, analyst 15
	a.as("admin")
	if got := a.count(`SELECT count(*) FROM sessions WHERE user_name = 'leader'`); got != 0 {
		t.Errorf("the leader's expired session was not purged on a sign-in")
	}
	if got := a.count(`SELECT count(*) FROM sessions`); got != 2 {
		t.Errorf("%d sessions, want the analyst's and the admin's", got)
	}
	r.stop()
	r.clock.Add(20 * time.Minute) // analyst idle 35 minutes, admin 20
	a = r.start(users())
	if got := a.count(`SELECT count(*) FROM sessions WHERE user_name = 'admin'`); got != 1 || a.count(`SELECT count(*) FROM sessions`) != 1 {
		t.Errorf("after a start: admin %d, all %d; want only the admin's", got, a.count(`SELECT count(*) FROM sessions`))
	}
}

// TestSessionEndsWhenTheConfigDropsTheUser: a user removed from serve.users, or whose role
// changed there, is signed out on the next request; the others stay signed in.
func TestSessionEndsWhenTheConfigDropsTheUser(t *testing.T) {
	r := newRestartable(t)
	a := r.start(users())
	leader, leader2, analyst := a.as("leader"), a.as("leader2"), a.as("analyst")
	r.stop()

	var changed []configs.User
	for _, u := range users() {
		switch u.Name {
		case "leader": // removed
			continue
		case "leader2":
			u.Role = review.RoleAnalyst
		}
		changed = append(changed, u)
	}
	a = r.start(changed)
	for name, u := range map[string]*user{"removed": leader, "role changed": leader2} {
		resp, _ := u.on(a).get("/watchlist")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") || strings.Contains(loc, "expired") {
			t.Errorf("%s: %d %q", name, resp.StatusCode, loc)
		}
	}
	if resp, _ := analyst.on(a).get("/watchlist"); resp.StatusCode != http.StatusOK {
		t.Errorf("unchanged user: %d", resp.StatusCode)
	}
	var names string
	if err := a.db.QueryRow(`SELECT string_agg(user_name, ',') FROM sessions`).Scan(&names); err != nil {
		t.Fatal(err)
	}
	if names != "analyst" {
		t.Errorf("sessions left: %q, want only the analyst's", names)
	}
	// The user with the new role signs in again with it.
	u := a.as("leader2")
	if resp, _ := u.post(matterPath(a.matters[0])+"/take", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("leader2, now an analyst, took a matter: %d", resp.StatusCode)
	}
}
