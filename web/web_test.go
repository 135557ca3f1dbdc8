package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web"
	"github.com/earlywarn/earlywarn/web/review"
)

const password = "correct horse battery"

// clock is a settable time for sessions and throttling.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// app is a review server on a database made by a real run on the tiny fixture.
type app struct {
	t       *testing.T
	db      *sql.DB
	srv     *httptest.Server
	clock   *clock
	runID   string
	matters []string // matter ids of the run, in rank order
	runs    int      // calls of the server's screening
	server  *web.Server
	cfg     configs.Config // the config the fixture run used
}

var hashOnce = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

func users() []configs.User {
	h := hashOnce()
	return []configs.User{
		{Name: "analyst", Role: review.RoleAnalyst, PasswordHash: h},
		{Name: "leader", Role: review.RoleLeader, PasswordHash: h},
		{Name: "leader2", Role: review.RoleLeader, PasswordHash: h},
		{Name: "leader3", Role: review.RoleLeader, PasswordHash: h},
		{Name: "office", Role: review.RoleOffice, PasswordHash: h},
		{Name: "admin", Role: review.RoleAdmin, PasswordHash: h},
	}
}

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppLang(t, "")
}

func newAppLang(t *testing.T, lang string) *app {
	t.Helper()
	return newAppWith(t, lang, nil)
}

// newAppWith is newAppLang with the server's options changed by change (when not nil).
func newAppWith(t *testing.T, lang string, change func(*web.Options)) *app {
	t.Helper()
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	a := &app{t: t, db: pipelinetest.Open(t, cfg), clock: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}, runID: s.RunID, cfg: cfg}
	o := web.Options{
		Lang:     lang,
		Serve:    configs.Serve{Users: users()},
		Location: shanghai(t),
		Now:      a.clock.Now,
		Run: func(context.Context) (string, error) {
			a.runs++
			return "fake-run", nil
		},
	}
	if change != nil {
		change(&o)
	}
	srv, err := web.New(context.Background(), a.db, o)
	if err != nil {
		t.Fatal(err)
	}
	a.server = srv
	a.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(a.srv.Close)
	rows, err := a.db.Query(`SELECT matter_id FROM watchlist WHERE run_id = $1 ORDER BY rank`, s.RunID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		rows.Scan(&id)
		a.matters = append(a.matters, id)
	}
	if len(a.matters) < 3 {
		t.Fatalf("fixture has %d matters, tests need 3", len(a.matters))
	}
	return a
}

// user is a browser: a cookie jar that does not follow redirects.
type user struct {
	a    *app
	c    *http.Client
	csrf string
}

func (a *app) anon() *user {
	jar, _ := cookiejar.New(nil)
	return &user{a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	loginField = regexp.MustCompile(`name="login_token" value="([^"]+)"`)
)

// signIn signs name in through the sign-in form and returns the response status.
func (u *user) signIn(name, pw string) *http.Response {
	u.a.t.Helper()
	_, body := u.get("/login")
	m := loginField.FindStringSubmatch(body)
	if m == nil {
		u.a.t.Fatalf("no sign-in token in the sign-in page")
	}
	resp, _ := u.postRaw("/login", url.Values{"login_token": {m[1]}, "user": {name}, "password": {pw}})
	if resp.StatusCode == http.StatusSeeOther {
		_, body := u.get("/watchlist")
		if m := csrfField.FindStringSubmatch(body); m != nil {
			u.csrf = m[1]
		}
	}
	return resp
}

func (a *app) as(name string) *user {
	a.t.Helper()
	u := a.anon()
	if resp := u.signIn(name, password); resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: %d", name, resp.StatusCode)
	}
	return u
}

func (u *user) get(path string) (*http.Response, string) {
	u.a.t.Helper()
	resp, err := u.c.Get(u.a.srv.URL + path)
	if err != nil {
		u.a.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// post posts form with the user's CSRF token.
func (u *user) post(path string, form url.Values) (*http.Response, string) {
	u.a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", u.csrf)
	}
	return u.postRaw(path, form)
}

func (u *user) postRaw(path string, form url.Values) (*http.Response, string) {
	u.a.t.Helper()
	resp, err := u.c.PostForm(u.a.srv.URL+path, form)
	if err != nil {
		u.a.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (a *app) count(stmt string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.QueryRow(stmt, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// reviewRows counts the rows actions write; a refused request leaves them as they were.
func (a *app) reviewRows() string {
	return fmt.Sprint(a.count(`SELECT count(*) FROM audit_log WHERE action NOT IN ('sign_in', 'sign_out')`),
		a.count(`SELECT count(*) FROM matter_review`), a.count(`SELECT count(*) FROM progress_notes`),
		a.count(`SELECT count(*) FROM dismissals`))
}

func (a *app) reset() {
	a.t.Helper()
	for _, s := range []string{"DELETE FROM matter_review", "DELETE FROM progress_notes", "DELETE FROM dismissals", "DELETE FROM audit_log"} {
		if _, err := a.db.Exec(s); err != nil {
			a.t.Fatal(err)
		}
	}
}

// take makes name the owner of matter through the store's rules (version 0 to 1).
func (a *app) take(name, role, matter string) {
	a.t.Helper()
	st, err := review.NewStore(context.Background(), a.db)
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := st.Apply(context.Background(), review.Actor{Name: name, Role: role}, matter, review.Change{Action: review.ActTake, Version: 0}); err != nil {
		a.t.Fatal(err)
	}
}

// apply applies change c to matter as name through the store's rules, at the matter's current
// version.
func (a *app) apply(name, role, matter string, c review.Change) review.State {
	a.t.Helper()
	st, err := review.NewStore(context.Background(), a.db)
	if err != nil {
		a.t.Fatal(err)
	}
	st.Now = a.clock.Now
	cur, err := review.Load(context.Background(), a.db, matter)
	if err != nil {
		a.t.Fatal(err)
	}
	c.Version = cur.Version
	after, err := st.Apply(context.Background(), review.Actor{Name: name, Role: role}, matter, c)
	if err != nil {
		a.t.Fatalf("%s by %s: %v", c.Action, name, err)
	}
	return after
}

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func matterPath(id string) string { return "/matters/" + url.PathEscape(id) }
