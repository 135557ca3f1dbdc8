package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/web/review"
)

// route is one request of the app with what it needs beforehand and what it does when allowed.
type route struct {
	name   string
	method string
	path   func(a *app) string
	form   url.Values
	setup  func(a *app, name, role string) // runs before the request; may act as the user
	ok     int                             // status when allowed
	roles  []string                        // allowed roles
}

var (
	all      = []string{review.RoleAnalyst, review.RoleLeader, review.RoleOffice, review.RoleAdmin}
	deciders = []string{review.RoleLeader, review.RoleOffice, review.RoleAdmin}
	owners   = []string{review.RoleLeader, review.RoleAdmin} // the owner (a leader) or an admin
	offices  = []string{review.RoleOffice, review.RoleAdmin}
	leaders  = []string{review.RoleLeader}
	admins   = []string{review.RoleAdmin}
)

func first(a *app) string { return matterPath(a.matters[0]) }

// owned makes leader the owner of the first matter, with a plan when planned.
func owned(planned bool) func(a *app, _, _ string) {
	return func(a *app, _, _ string) {
		a.apply("leader", review.RoleLeader, a.matters[0], review.Change{Action: review.ActTake})
		if planned {
			a.apply("leader", review.RoleLeader, a.matters[0], review.Change{Action: review.ActPlan, Plan: "方案", Due: "2026-04-30"})
		}
	}
}

func routes() []route {
	return []route{
		{name: "watchlist", method: "GET", path: func(*app) string { return "/watchlist" }, ok: 200, roles: all},
		{name: "watchlist filtered", method: "GET", path: func(*app) string { return "/watchlist?tier=red&state=open&page=1" }, ok: 200, roles: all},
		{name: "watchlist by owner and reminder", method: "GET", path: func(*app) string { return "/watchlist?owner=leader&reminder=any&sort=due" }, ok: 200, roles: all},
		{name: "matter", method: "GET", path: first, ok: 200, roles: all},
		{name: "my matters", method: "GET", path: func(*app) string { return "/my" }, ok: 200, roles: all},
		{name: "audit", method: "GET", path: func(*app) string { return "/audit" }, ok: 200, roles: deciders},
		{name: "ledger", method: "GET", path: func(*app) string { return "/ledger?month=2026-03" }, ok: 200, roles: deciders},
		{name: "ledger workbook", method: "GET", path: func(*app) string { return "/ledger.xlsx" }, ok: 200, roles: deciders},
		{name: "bulletin", method: "GET", path: func(*app) string { return "/bulletin" }, ok: 200, roles: deciders},
		{name: "bulletin workbook", method: "GET", path: func(*app) string { return "/bulletin.xlsx?month=2025-06" }, ok: 200, roles: deciders},
		{name: "take", method: "POST", path: func(a *app) string { return first(a) + "/take" }, form: url.Values{"version": {"0"}}, ok: 303, roles: leaders},
		{name: "plan", method: "POST", path: func(a *app) string { return first(a) + "/plan" },
			form:  url.Values{"version": {"1"}, "plan": {"约谈信访人，协调补偿"}, "due": {"2026-04-30"}},
			setup: owned(false), ok: 303, roles: owners},
		{name: "progress", method: "POST", path: func(a *app) string { return first(a) + "/progress" },
			form:  url.Values{"version": {"1"}, "note": {"已走访"}},
			setup: owned(false), ok: 303, roles: owners},
		{name: "resolve", method: "POST", path: func(a *app) string { return first(a) + "/resolve" },
			form:  url.Values{"version": {"2"}, "note": {"已签协议"}},
			setup: owned(true), ok: 303, roles: owners},
		{name: "dismiss", method: "POST", path: func(a *app) string { return first(a) + "/dismiss" }, form: url.Values{"version": {"0"}, "reason": {"重复件"}}, ok: 303, roles: deciders},
		{name: "assign", method: "POST", path: func(a *app) string { return first(a) + "/assign" },
			form: url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2026-03-08"}}, ok: 303, roles: offices},
		{name: "reassign", method: "POST", path: func(a *app) string { return first(a) + "/reassign" },
			form: url.Values{"version": {"1"}, "owner": {"leader2"}, "reason": {"属地调整"}}, setup: owned(false), ok: 303, roles: offices},
		{name: "release", method: "POST", path: func(a *app) string { return first(a) + "/release" },
			form: url.Values{"version": {"1"}, "reason": {"交由责任单位办理"}}, setup: owned(false), ok: 303, roles: offices},
		{name: "supervise", method: "POST", path: func(a *app) string { return first(a) + "/supervise" },
			form: url.Values{"version": {"1"}, "note": {"请本周内约谈"}, "deadline": {"2026-03-10"}}, setup: owned(false), ok: 303, roles: offices},
		{name: "return visit", method: "POST", path: func(a *app) string { return first(a) + "/visit" },
			form: url.Values{"version": {"3"}, "satisfaction": {"mostly"}, "note": {"基本认可"}},
			setup: func(a *app, n, r string) {
				owned(true)(a, n, r)
				a.apply("leader", review.RoleLeader, a.matters[0], review.Change{Action: review.ActResolve, Note: "已答复"})
			}, ok: 303, roles: offices},
		{name: "undo dismissal", method: "POST", path: func(a *app) string { return first(a) + "/undo-dismissal" },
			form: url.Values{"version": {"1"}, "reason": {"误排除"}},
			setup: func(a *app, _, _ string) {
				a.apply("leader2", review.RoleLeader, a.matters[0], review.Change{Action: review.ActDismiss, Note: "重复件"})
			}, ok: 303, roles: deciders},
		{name: "run", method: "POST", path: func(*app) string { return "/run" }, ok: 303, roles: admins},
		{name: "logout", method: "POST", path: func(*app) string { return "/logout" }, ok: 303, roles: all},
	}
}

// TestEveryRouteChecksTheRole requests every route as every role: an allowed role gets the
// route's answer, a denied one 403 with nothing written, and no session a redirect to sign-in.
func TestEveryRouteChecksTheRole(t *testing.T) {
	a := newApp(t)
	names := map[string]string{review.RoleAnalyst: "analyst", review.RoleLeader: "leader", review.RoleOffice: "office", review.RoleAdmin: "admin"}
	for _, r := range routes() {
		for _, role := range all {
			allowed := contains(r.roles, role)
			t.Run(r.name+"/"+role, func(t *testing.T) {
				a.t = t
				a.reset()
				if r.setup != nil {
					r.setup(a, names[role], role)
				}
				u := a.as(names[role])
				before := a.reviewRows()
				var resp *http.Response
				var body string
				if r.method == "GET" {
					resp, body = u.get(r.path(a))
				} else {
					resp, body = u.post(r.path(a), clone(r.form))
				}
				switch {
				case allowed && resp.StatusCode != r.ok:
					t.Errorf("%s may %s: got %d, want %d\n%s", role, r.name, resp.StatusCode, r.ok, body)
				case allowed && r.ok == 303 && strings.HasPrefix(resp.Header.Get("Location"), "/login") && r.name != "logout":
					t.Errorf("%s may %s but was sent to sign in", role, r.name)
				case !allowed && resp.StatusCode != http.StatusForbidden:
					t.Errorf("%s may not %s: got %d, want 403", role, r.name, resp.StatusCode)
				case !allowed && a.reviewRows() != before:
					t.Errorf("a refused %s changed the review tables: %s -> %s", r.name, before, a.reviewRows())
				}
				if allowed && r.method == "POST" && r.name != "logout" && a.reviewRows() == before {
					t.Errorf("%s by %s wrote nothing to the review tables", r.name, role)
				}
			})
		}
		t.Run(r.name+"/signed-out", func(t *testing.T) {
			a.t = t
			u := a.anon()
			var resp *http.Response
			if r.method == "GET" {
				resp, _ = u.get(r.path(a))
			} else {
				resp, _ = u.postRaw(r.path(a), clone(r.form))
			}
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Errorf("signed out: %d %s, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

func TestPublicRoutes(t *testing.T) {
	a := newApp(t)
	u := a.anon()
	for path, want := range map[string]int{"/login": 200, "/static/app.css": 200, "/": 303, "/nowhere": 404} {
		if resp, _ := u.get(path); resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	// An unknown path gets the site's page in Chinese, not Go's plain "404 page not found".
	if resp, page := u.get("/matter/XF-1"); resp.StatusCode != 404 || !strings.Contains(page, "没有“/matter/XF-1”这个页面") {
		t.Errorf("GET /matter/XF-1: %d\n%s", resp.StatusCode, excerpt(page))
	}
	resp, _ := u.get("/login")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
