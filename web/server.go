// Package web is `earlywarn serve`: the leaders' review app. Users from the config sign in;
// they browse the latest watchlist with filters, open a matter with its evidence timeline, and
// act on it (take ownership, set a plan and due date, record progress, resolve, dismiss). Every
// action goes to the append-only audit log; dismissals go to the dismissals table the nightly
// run reads. Pages are rendered on the server with html/template; the only asset, a style
// sheet, is embedded. Every word on the pages, in errors and in the server's log comes from
// the message catalogue (internal/i18n, web.yaml), in the configured language.
package web

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"

	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/web/review"
)

// Limits on what a request may carry.
const (
	maxFormBytes = 64 << 10
	maxPlan      = 2000 // runes
	maxNote      = 2000
	maxReason    = 1000
	maxFilter    = 200
	maxMatterID  = 200
	perPage      = 50
)

const sessionCookie, loginCookie = "ew_session", "ew_login"

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options configure a Server.
type Options struct {
	Lang  string
	Serve configs.Serve
	// Run runs the nightly screening on the server's database and returns the run id; nil
	// when the server cannot run it (the run button is then hidden and POST /run is 404).
	Run      func(ctx context.Context) (string, error)
	Now      func() time.Time // clock, for tests; time.Now when nil
	Log      *log.Logger      // errors; nil for none
	Location *time.Location   // time zone pages show times in (the config's timezone); UTC when nil
}

// Server is the review app on one database.
type Server struct {
	store    *review.Store
	lang     string
	users    map[string]configs.User
	sessions *sessions
	limiter  *limiter
	secure   bool
	run      func(ctx context.Context) (string, error)
	running  sync.Mutex
	now      func() time.Time
	log      *log.Logger
	pages    map[string]*template.Template
	dummy    []byte // a bcrypt hash compared against for unknown users, so they take as long

	optionsMu  sync.Mutex
	optionsRun string
	options    review.Options
}

// New returns a server on db; it creates the review tables if needed.
func New(ctx context.Context, db *sql.DB, o Options) (*Server, error) {
	if err := errors.Join(o.Serve.Validate()...); err != nil {
		return nil, err
	}
	store, err := review.NewStore(ctx, db)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store: store, lang: review.Lang(o.Lang), users: map[string]configs.User{},
		limiter: &limiter{failures: map[string][]time.Time{}}, secure: o.Serve.SecureCookies,
		run: o.Run, now: o.Now, log: o.Log,
	}
	if s.now == nil {
		s.now = time.Now
	}
	store.Now, store.Lang = s.now, s.lang
	if s.log == nil {
		s.log = log.New(discard{}, "", 0)
	}
	minutes := o.Serve.SessionMinutes
	if minutes == 0 {
		minutes = configs.DefaultSessionMinutes
	}
	s.sessions = &sessions{byID: map[string]*session{}, ttl: time.Duration(minutes) * time.Minute}
	for _, u := range o.Serve.Users {
		s.users[u.Name] = u
	}
	s.dummy, _ = bcrypt.GenerateFromPassword([]byte(newToken()), bcrypt.MinCost)
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	if s.pages, err = parsePages(s.lang, loc); err != nil {
		return nil, err
	}
	return s, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// t formats the message key of the catalogue in the server's language.
func (s *Server) t(key string, args ...any) string { return i18n.T(s.lang, key, args...) }

// localize renders err in the server's language.
func (s *Server) localize(err error) string { return i18n.Localize(s.lang, err) }

// parsePages parses the pages with their functions bound to lang and loc:
//
//	{{t key args…}}        the catalogue's message key (web.…) with args
//	{{label code}}         a code's display name (tier, kind, state, channel, role, …)
//	{{actionLabel action}} an audit log action's display name
//	{{auditState json}}    an audit log before or after state, one labelled field a line
//	{{when time}}          a time in loc
func parsePages(lang string, loc *time.Location) (map[string]*template.Template, error) {
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") }
	funcs := template.FuncMap{
		"t":           func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"label":       func(code string) string { return review.Label(lang, code) },
		"actionLabel": func(action string) string { return review.ActionLabel(lang, action) },
		"auditState":  func(js string) string { return auditState(lang, when, js) },
		"when":        when,
		"matterURL":   func(id string) string { return "/matters/" + url.PathEscape(id) },
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"login", "error", "watchlist", "matter", "audit"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.tmpl", "templates/audit_table.tmpl", "templates/"+name+".tmpl")
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// auditFields are the fields of an audit log state (review.State, or a detail) in the order
// shown, with their labels.
var auditFields = []struct{ name, key string }{
	{"state", "web.state"}, {"owner", "web.owner"}, {"plan", "web.plan"}, {"due", "web.due"},
	{"taken_at", "web.audit.taken_at"}, {"resolved_at", "web.audit.resolved_at"},
	{"version", "web.audit.version"}, {"note", "web.note"}, {"detail", "web.audit.detail"},
}

// auditState renders an audit log state, stored as JSON, one field a line in lang: the label,
// then the value (a state by its label, a time in the page's zone). Fields it does not know
// are shown by name; text that is not a JSON object is shown as it is.
func auditState(lang string, when func(time.Time) string, js string) string {
	if js == "" {
		return ""
	}
	d := json.NewDecoder(strings.NewReader(js))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return js
	}
	var b strings.Builder
	line := func(label string, v any) {
		b.WriteString(i18n.T(lang, "web.field", label, fmt.Sprint(v)) + "\n")
	}
	for _, f := range auditFields {
		v, ok := m[f.name]
		if !ok {
			continue
		}
		delete(m, f.name)
		switch s, _ := v.(string); {
		case f.name == "state":
			v = review.Label(lang, s)
		case strings.HasSuffix(f.name, "_at"):
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				v = when(t)
			}
		}
		line(i18n.T(lang, f.key), v)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		line(k, m[k])
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// page is what every template gets.
type page struct {
	Title            string
	User, Role, CSRF string
	CanAudit, CanRun bool
	Flash, Error     string
	Data             any
}

// Who may do what. Every route names its roles; a route without roles is public.
var (
	anyRole   = []string{review.RoleAnalyst, review.RoleLeader, review.RoleAdmin}
	deciders  = []string{review.RoleLeader, review.RoleAdmin}
	adminOnly = []string{review.RoleAdmin}
)

// Handler returns the app's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/watchlist", http.StatusSeeOther) })
	mux.Handle("POST /logout", s.auth(anyRole, s.logout))
	mux.Handle("GET /watchlist", s.auth(anyRole, s.watchlist))
	mux.Handle("GET /matters/{id}", s.auth(anyRole, s.matter))
	mux.Handle("POST /matters/{id}/take", s.auth(deciders, s.act(review.ActTake)))
	mux.Handle("POST /matters/{id}/plan", s.auth(deciders, s.act(review.ActPlan)))
	mux.Handle("POST /matters/{id}/progress", s.auth(anyRole, s.act(review.ActProgress)))
	mux.Handle("POST /matters/{id}/resolve", s.auth(deciders, s.act(review.ActResolve)))
	mux.Handle("POST /matters/{id}/dismiss", s.auth(deciders, s.act(review.ActDismiss)))
	mux.Handle("GET /audit", s.auth(deciders, s.audit))
	mux.Handle("POST /run", s.auth(adminOnly, s.runNow))
	return securityHeaders(mux)
}

// securityHeaders forbids everything the pages do not use: outside resources, scripts, framing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

type handler func(w http.ResponseWriter, r *http.Request, ss *session)

// auth lets a request through when it carries a live session whose role is in roles, and, for
// a POST, a form within the size limit from this site with the session's CSRF token.
func (s *Server) auth(roles []string, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ss *session
		expired := false
		if c, err := r.Cookie(sessionCookie); err == nil {
			ss, expired = s.sessions.get(c.Value, s.now())
		}
		if ss == nil {
			q := url.Values{}
			if r.Method == http.MethodGet {
				q.Set("next", r.URL.RequestURI())
			}
			if expired {
				q.Set("expired", "1")
			}
			http.Redirect(w, r, "/login?"+q.Encode(), http.StatusSeeOther)
			return
		}
		if !slices.Contains(roles, ss.role) {
			s.fail(w, r, ss, http.StatusForbidden, s.t("web.error.forbidden_role", review.Label(s.lang, ss.role)))
			return
		}
		if r.Method == http.MethodPost {
			if !sameOrigin(r) {
				s.fail(w, r, ss, http.StatusForbidden, s.t("web.error.cross_site"))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.form_unreadable", maxFormBytes>>10))
				return
			}
			if !equalTokens(r.PostForm.Get("csrf"), ss.csrf) {
				s.fail(w, r, ss, http.StatusForbidden, s.t("web.error.csrf"))
				return
			}
		}
		h(w, r, ss)
	})
}

// sameOrigin rejects a request whose Origin (or, without one, Referer) names another host.
func sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" || src == "null" {
		return src == ""
	}
	u, err := url.Parse(src)
	return err == nil && u.Host == r.Host
}

func (s *Server) page(ss *session, title string, data any) page {
	p := page{Title: title, Data: data}
	if ss != nil {
		p.User, p.Role, p.CSRF = ss.user, ss.role, ss.csrf
		p.CanAudit = slices.Contains(deciders, ss.role)
		p.CanRun = s.run != nil && ss.role == review.RoleAdmin
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "base", p); err != nil {
		s.log.Print(s.t("web.log.render", name, s.localize(err)))
		http.Error(w, s.t("web.error.render"), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

type errorData struct {
	Status         int
	Message        string
	Back, BackText string
}

// fail answers with status and a message saying what went wrong and what to do.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, ss *session, status int, message string) {
	d := errorData{Status: status, Message: message, Back: "/watchlist", BackText: s.t("web.watchlist")}
	if id := r.PathValue("id"); id != "" && status != http.StatusNotFound {
		d.Back, d.BackText = "/matters/"+url.PathEscape(id), s.t("web.matter")+" "+id
	}
	if status == http.StatusTooManyRequests || ss == nil {
		d.Back, d.BackText = "/login", s.t("web.sign_in")
	}
	s.render(w, status, "error", s.page(ss, strconv.Itoa(status), d))
}

// internal answers an error the user cannot act on: the details, often the database's own
// words, go to the server's log, the page says where they are.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	if errors.Is(err, review.ErrNoRun) {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_run"))
		return
	}
	s.log.Print(s.t("web.log.request", r.Method, r.URL.Path, s.localize(err)))
	s.fail(w, r, ss, http.StatusInternalServerError, s.t("web.error.internal"))
}

// --- sign-in ---

type loginData struct{ Token, Next string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if ss, _ := s.sessions.get(c.Value, s.now()); ss != nil {
			http.Redirect(w, r, "/watchlist", http.StatusSeeOther)
			return
		}
	}
	p := s.loginForm(w, r.URL.Query().Get("next"))
	switch {
	case r.URL.Query().Get("expired") != "":
		p.Error = s.t("web.login.expired")
	case r.URL.Query().Get("out") != "":
		p.Flash = s.t("web.login.signed_out")
	}
	s.render(w, http.StatusOK, "login", p)
}

// loginForm sets a fresh sign-in token cookie (a double-submit CSRF token: a forged sign-in
// from another site cannot read it) and returns the form's page.
func (s *Server) loginForm(w http.ResponseWriter, next string) page {
	token := newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	return s.page(nil, s.t("web.sign_in"), loginData{Token: token, Next: localPath(next)})
}

// localPath returns p when it is a path on this site, else "".
func localPath(p string) string {
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") && len(p) < 1000 {
		return p
	}
	return ""
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, nil, http.StatusBadRequest, s.t("web.error.login_unreadable"))
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !equalTokens(r.PostForm.Get("login_token"), c.Value) || !sameOrigin(r) {
		s.fail(w, r, nil, http.StatusForbidden, s.t("web.error.login_stale"))
		return
	}
	name, password := r.PostForm.Get("user"), r.PostForm.Get("password")
	now := s.now()
	userKey, addrKey := "user:"+name, "addr:"+clientAddr(r)
	if wait := max(s.limiter.retryAfter(userKey, now), s.limiter.retryAfter(addrKey, now)); wait > 0 {
		minutes := int((wait + time.Minute - 1) / time.Minute)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.fail(w, r, nil, http.StatusTooManyRequests, s.t("web.error.too_many_sign_ins", minutes))
		return
	}
	u, known := s.users[name]
	hash := s.dummy
	if known {
		hash = []byte(u.PasswordHash)
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && known && len(password) <= 256
	if !ok {
		s.limiter.fail(userKey, now)
		s.limiter.fail(addrKey, now)
		p := s.loginForm(w, r.PostForm.Get("next"))
		p.Error = s.t("web.login.bad")
		s.render(w, http.StatusUnauthorized, "login", p)
		return
	}
	s.limiter.reset(userKey)
	id, _ := s.sessions.create(u.Name, u.Role, now)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	if err := s.store.Audit(r.Context(), review.Actor{Name: u.Name, Role: u.Role}, review.ActSignIn, ""); err != nil {
		s.log.Print(s.t("web.log.audit", review.ActionLabel(s.lang, review.ActSignIn), s.localize(err)))
	}
	next := localPath(r.PostForm.Get("next"))
	if next == "" {
		next = "/watchlist"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, ss *session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.delete(c.Value)
	}
	if err := s.store.Audit(r.Context(), review.Actor{Name: ss.user, Role: ss.role}, review.ActSignOut, ""); err != nil {
		s.log.Print(s.t("web.log.audit", review.ActionLabel(s.lang, review.ActSignOut), s.localize(err)))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login?out=1", http.StatusSeeOther)
}

// --- pages ---

type watchlistData struct {
	Page       review.Page
	Options    review.Options
	Filter     review.Filter
	Tiers      []string
	States     []string
	Prev, Next string
}

func (s *Server) watchlist(w http.ResponseWriter, r *http.Request, ss *session) {
	q := r.URL.Query()
	f := review.Filter{Tier: q.Get("tier"), Township: q.Get("township"), Category: q.Get("category"),
		Rule: q.Get("rule"), State: q.Get("state"), Page: 1, PerPage: perPage}
	// bad answers that the query parameter field has an invalid value.
	bad := func(field, value string) {
		label := s.t("web." + field)
		if field == "page" {
			label = s.t("web.page_number")
		}
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_filter", label, field, clip(value, 60)))
	}
	if f.Tier != "" && !slices.Contains(review.Tiers, f.Tier) {
		bad("tier", f.Tier)
		return
	}
	if f.State != "" && !slices.Contains(review.States, f.State) {
		bad("state", f.State)
		return
	}
	for _, kv := range [][2]string{{"township", f.Township}, {"category", f.Category}, {"rule", f.Rule}} {
		if checkText(kv[1], maxFilter, false) != nil {
			bad(kv[0], kv[1])
			return
		}
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			bad("page", p)
			return
		}
		f.Page = n
	}
	runID, asOf, err := review.LatestRun(r.Context(), s.store.DB())
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	pg, err := review.Watchlist(r.Context(), s.store.DB(), runID, asOf, s.lang, f)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	opts, err := s.filterOptions(r.Context(), runID)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	d := watchlistData{Page: pg, Options: opts, Filter: f, Tiers: review.Tiers, States: review.States}
	link := func(page int) string {
		v := url.Values{}
		for k, val := range map[string]string{"tier": f.Tier, "township": f.Township, "category": f.Category, "rule": f.Rule, "state": f.State} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("page", strconv.Itoa(page))
		return "/watchlist?" + v.Encode()
	}
	if pg.Page > 1 {
		d.Prev = link(min(pg.Page-1, pg.Pages))
	}
	if pg.Page < pg.Pages {
		d.Next = link(pg.Page + 1)
	}
	p := s.page(ss, s.t("web.watchlist"), d)
	if done := q.Get("done"); done == review.ActRun {
		p.Flash = s.t("web.done.run")
	}
	s.render(w, http.StatusOK, "watchlist", p)
}

type matterData struct {
	M                                                               *review.Matter
	CanTake, CanPlan, CanProgress, CanResolve, CanDismiss, CanAudit bool
}

func (s *Server) matterID(w http.ResponseWriter, r *http.Request, ss *session) (string, bool) {
	id := r.PathValue("id")
	if checkText(id, maxMatterID, true) != nil || strings.ContainsAny(id, "\n\r\t") {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_matter_id"))
		return "", false
	}
	return id, true
}

func (s *Server) matter(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := s.matterID(w, r, ss)
	if !ok {
		return
	}
	m, err := review.LoadMatter(r.Context(), s.store.DB(), id, s.lang)
	if errors.Is(err, review.ErrNotFound) {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_matter", clip(id, 80)))
		return
	}
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	decider := slices.Contains(deciders, ss.role)
	mine := m.Review.Owner == ss.user || ss.role == review.RoleAdmin
	st := m.Review.State
	d := matterData{M: m,
		CanTake:     decider && st != review.StateOwned,
		CanPlan:     decider && st == review.StateOwned && mine,
		CanProgress: st == review.StateOwned,
		CanResolve:  decider && st == review.StateOwned && mine,
		CanDismiss:  decider && (st == review.StateOpen || (st == review.StateOwned && mine)),
		CanAudit:    decider,
	}
	p := s.page(ss, s.t("web.matter")+" "+id, d)
	if done := r.URL.Query().Get("done"); done != "" && i18n.Has("web.done."+done) {
		p.Flash = s.t("web.done." + done)
	}
	s.render(w, http.StatusOK, "matter", p)
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, ss *session) {
	entries, err := review.AuditLog(r.Context(), s.store.DB(), "", 500)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	s.render(w, http.StatusOK, "audit", s.page(ss, s.t("web.audit"), entries))
}

// filterOptions returns the filter values of a run; a run's watchlist never changes, so they
// are computed once per run.
func (s *Server) filterOptions(ctx context.Context, runID string) (review.Options, error) {
	s.optionsMu.Lock()
	defer s.optionsMu.Unlock()
	if s.optionsRun == runID {
		return s.options, nil
	}
	o, err := review.FilterOptions(ctx, s.store.DB(), runID)
	if err != nil {
		return o, err
	}
	s.options, s.optionsRun = o, runID
	return o, nil
}

// --- actions ---

// act handles one action on a matter: it checks the form, applies the change with the version
// the user saw, and redirects back to the matter (POST-redirect-GET).
func (s *Server) act(action string) handler {
	return func(w http.ResponseWriter, r *http.Request, ss *session) {
		id, ok := s.matterID(w, r, ss)
		if !ok {
			return
		}
		form := r.PostForm
		version, err := strconv.ParseInt(form.Get("version"), 10, 64)
		if err != nil || version < 0 {
			s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.no_version"))
			return
		}
		c := review.Change{Action: action, Version: version}
		// field returns form field name, checked; label is the message key of its label.
		field := func(name, label string, max int) (string, bool) {
			v := strings.TrimSpace(form.Get(name))
			if err := checkText(v, max, true); err != nil {
				s.fail(w, r, ss, http.StatusBadRequest, s.t("web.field", s.t(label), s.localize(err)))
				return "", false
			}
			return v, true
		}
		switch action {
		case review.ActPlan:
			if c.Plan, ok = field("plan", "web.plan", maxPlan); !ok {
				return
			}
			due, err := time.Parse(time.DateOnly, form.Get("due"))
			if err != nil || due.Year() < 2000 || due.Year() > 2100 {
				s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.due_date", clip(form.Get("due"), 40)))
				return
			}
			c.Due = due.Format(time.DateOnly)
		case review.ActProgress:
			if c.Note, ok = field("note", "web.progress", maxNote); !ok {
				return
			}
		case review.ActResolve:
			if c.Note, ok = field("note", "web.note", maxNote); !ok {
				return
			}
		case review.ActDismiss:
			if c.Note, ok = field("reason", "web.dismiss_reason", maxReason); !ok {
				return
			}
		}
		_, err = s.store.Apply(r.Context(), review.Actor{Name: ss.user, Role: ss.role}, id, c)
		switch {
		case err == nil:
			http.Redirect(w, r, "/matters/"+url.PathEscape(id)+"?done="+action, http.StatusSeeOther)
		case errors.Is(err, review.ErrNotFound):
			s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_matter_act", clip(id, 80)))
		case errors.Is(err, review.ErrConflict):
			s.fail(w, r, ss, http.StatusConflict, s.localize(err))
		case errors.Is(err, review.ErrForbidden):
			s.fail(w, r, ss, http.StatusForbidden, s.localize(err))
		case errors.Is(err, review.ErrState):
			s.fail(w, r, ss, http.StatusConflict, s.localize(err))
		default:
			s.internal(w, r, ss, err)
		}
	}
}

// checkText returns why v is not acceptable form text, or nil: invalid UTF-8, control
// characters other than line breaks and tabs, more than max characters, or empty when required.
func checkText(v string, max int, required bool) *i18n.Error {
	switch {
	case !utf8.ValidString(v):
		return i18n.Errorf("web.text.not_utf8")
	case required && strings.TrimSpace(v) == "":
		return i18n.Errorf("web.text.empty")
	case utf8.RuneCountInString(v) > max:
		return i18n.Errorf("web.text.too_long", max)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return i18n.Errorf("web.text.control")
		}
	}
	return nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// --- running the screening ---

func (s *Server) runNow(w http.ResponseWriter, r *http.Request, ss *session) {
	if s.run == nil {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.cannot_run"))
		return
	}
	_, err := s.RunScreening(r.Context(), review.Actor{Name: ss.user, Role: ss.role})
	if errors.Is(err, errRunning) {
		s.fail(w, r, ss, http.StatusConflict, s.localize(err))
		return
	}
	if err != nil {
		// The admin who ran it needs to know why it failed (a config or input problem, said
		// in the catalogue's words).
		s.log.Print(s.t("web.log.request", r.Method, r.URL.Path, s.localize(err)))
		s.fail(w, r, ss, http.StatusInternalServerError, s.t("web.error.run_failed", s.localize(err)))
		return
	}
	http.Redirect(w, r, "/watchlist?done="+review.ActRun, http.StatusSeeOther)
}

var errRunning = i18n.Errorf("web.error.running")

// RunScreening runs the nightly screening now, with review actions held back until it ends, and
// records it in the audit log on behalf of a.
func (s *Server) RunScreening(ctx context.Context, a review.Actor) (string, error) {
	if s.run == nil {
		return "", i18n.Errorf("web.error.cannot_run")
	}
	if !s.running.TryLock() {
		return "", errRunning
	}
	defer s.running.Unlock()
	var runID string
	err := s.store.Exclusive(func() error {
		var err error
		runID, err = s.run(ctx)
		return err
	})
	if err != nil {
		return "", err
	}
	return runID, s.store.Audit(ctx, a, review.ActRun, runID)
}

// Schedule runs the screening every day at hh:mm in loc until ctx ends; failures are logged.
func (s *Server) Schedule(ctx context.Context, hhmm string, loc *time.Location) {
	for {
		now := s.now()
		next, err := NextRun(now, hhmm, loc)
		if err != nil {
			s.log.Print(s.t("web.log.schedule", s.localize(err)))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		if runID, err := s.RunScreening(ctx, review.Actor{Name: "schedule", Role: review.RoleAdmin}); err != nil {
			s.log.Print(s.t("web.log.scheduled_failed", s.localize(err)))
		} else {
			s.log.Print(s.t("web.log.scheduled_done", runID))
		}
	}
}

// NextRun is the first time after now that the clock in loc shows hhmm.
func NextRun(now time.Time, hhmm string, loc *time.Location) (time.Time, error) {
	at, err := time.Parse("15:04", hhmm)
	if err != nil {
		return time.Time{}, i18n.Errorf("web.error.run_at", hhmm)
	}
	local := now.In(loc)
	next := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, loc)
	if !next.After(local) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, at.Hour(), at.Minute(), 0, 0, loc)
	}
	return next, nil
}
