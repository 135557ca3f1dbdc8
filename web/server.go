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
	"errors"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"

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
	dummy    []byte                            // a bcrypt hash of the users' cost compared against for unknown users, so they take as long
	compare  func(hash, password []byte) error // bcrypt.CompareHashAndPassword; tests watch it
	proxies  []netip.Prefix                    // serve.trusted_proxies

	// 包案: the leaders a matter may be assigned to (by name), the dismissal reasons, the
	// clock of the reminders.
	leaders  []string
	reasons  []string
	planDays int
	loc      *time.Location // the zone pages show times in and read dates in (Options.Location)
	office   string         // serve.office, printed at the head of the ledger and the bulletin

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
		limiter: &limiter{byKey: map[string]*attempts{}}, secure: o.Serve.SecureCookies,
		run: o.Run, now: o.Now, log: o.Log, compare: bcrypt.CompareHashAndPassword,
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
	s.sessions = &sessions{
		db: db, ttl: time.Duration(minutes) * time.Minute, valid: s.signedInAs,
		warn: func(err error) { s.log.Print(s.t("web.log.session", s.localize(err))) },
	}
	cost := bcrypt.MinCost
	for _, u := range o.Serve.Users {
		s.users[u.Name] = u
		if c, err := bcrypt.Cost([]byte(u.PasswordHash)); err == nil {
			cost = max(cost, c)
		}
	}
	// GenerateFromPassword fails only on a cost out of range, which Validate has ruled out.
	if s.dummy, err = bcrypt.GenerateFromPassword([]byte(newToken()), cost); err != nil {
		return nil, err
	}
	if err := s.sessions.purge(ctx, s.now()); err != nil {
		return nil, err
	}
	for _, p := range o.Serve.TrustedProxies {
		pr, _ := configs.ParseProxy(p) // Validate has checked them
		s.proxies = append(s.proxies, pr)
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	s.configureBaoan(o.Serve, loc)
	if s.pages, err = parsePages(s.lang, loc); err != nil {
		return nil, err
	}
	return s, nil
}

// signedInAs is whether the config has user, with role: a session signed in otherwise ends.
func (s *Server) signedInAs(user, role string) bool {
	u, ok := s.users[user]
	return ok && u.Role == role
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// t formats the message key of the catalogue in the server's language.
func (s *Server) t(key string, args ...any) string { return i18n.T(s.lang, key, args...) }

// localize renders err in the server's language.
func (s *Server) localize(err error) string { return i18n.Localize(s.lang, err) }

// Who may do what. Every route names its roles; a route without roles is public.
var (
	anyRole   = []string{review.RoleAnalyst, review.RoleLeader, review.RoleOffice, review.RoleAdmin}
	deciders  = []string{review.RoleLeader, review.RoleOffice, review.RoleAdmin}
	office    = []string{review.RoleOffice, review.RoleAdmin}
	adminOnly = []string{review.RoleAdmin}
)

// Handler returns the app's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(assets)))
	// Any other path: the site's own 404 page in the user's language, not Go's plain text.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, nil, http.StatusNotFound, s.t("web.error.no_page", clip(r.URL.Path, 80)))
	})
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/watchlist", http.StatusSeeOther) })
	mux.Handle("POST /logout", s.auth(anyRole, s.logout))
	mux.Handle("GET /watchlist", s.auth(anyRole, s.watchlist))
	mux.Handle("GET /due-soon", s.auth(anyRole, s.dueSoon))
	mux.Handle("GET /matters/{id}", s.auth(anyRole, s.matter))
	mux.Handle("POST /matters/{id}/take", s.auth(deciders, s.act(review.ActTake)))
	mux.Handle("POST /matters/{id}/plan", s.auth(deciders, s.act(review.ActPlan)))
	mux.Handle("POST /matters/{id}/progress", s.auth(anyRole, s.act(review.ActProgress)))
	mux.Handle("POST /matters/{id}/resolve", s.auth(deciders, s.act(review.ActResolve)))
	mux.Handle("POST /matters/{id}/dismiss", s.auth(deciders, s.act(review.ActDismiss)))
	mux.Handle("POST /matters/{id}/assign", s.auth(office, s.act(review.ActAssign)))
	mux.Handle("POST /matters/{id}/reassign", s.auth(office, s.act(review.ActReassign)))
	mux.Handle("POST /matters/{id}/release", s.auth(office, s.act(review.ActRelease)))
	mux.Handle("POST /matters/{id}/supervise", s.auth(office, s.act(review.ActSupervise)))
	mux.Handle("POST /matters/{id}/visit", s.auth(office, s.act(review.ActVisit)))
	mux.Handle("POST /matters/{id}/undo-dismissal", s.auth(deciders, s.act(review.ActUndismiss)))
	mux.Handle("GET /my", s.auth(anyRole, s.my))
	mux.Handle("GET /audit", s.auth(deciders, s.audit))
	mux.Handle("GET /ledger", s.auth(ledgerRoles, s.ledger))
	mux.Handle("GET /ledger.xlsx", s.auth(ledgerRoles, s.ledgerXLSX))
	mux.Handle("GET /bulletin", s.auth(ledgerRoles, s.bulletin))
	mux.Handle("GET /bulletin.xlsx", s.auth(ledgerRoles, s.bulletinXLSX))
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
			if ss, expired, err = s.sessions.get(r.Context(), c.Value, s.now()); err != nil {
				s.internal(w, r, nil, err)
				return
			}
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
