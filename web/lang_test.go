package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestChinesePagesReadChinese checks that with lang zh nothing on the pages is English but ids:
// the pages, errors and audit log of a whole ownership flow hold no English word other than
// matter, rule and run ids, user names and the query parameters an error names.
func TestChinesePagesReadChinese(t *testing.T) {
	a := newApp(t)
	u, admin := a.as("leader"), a.as("admin")
	id, other := a.matters[0], a.matters[1]
	p := matterPath(id)
	var pages []string
	get := func(u *user, path string) {
		_, body := u.get(path)
		pages = append(pages, path+"\n"+body)
	}
	post := func(path string, form url.Values) {
		resp, body := u.post(path, form)
		if loc := resp.Header.Get("Location"); loc != "" {
			get(u, loc)
		} else {
			pages = append(pages, path+"\n"+body)
		}
	}
	get(a.anon(), "/login")
	get(a.anon(), "/login?expired=1")
	get(u, "/watchlist")
	get(u, "/watchlist?tier="+url.QueryEscape("紫"))
	get(u, "/watchlist?page=x")
	get(u, matterPath("无此事项"))
	post(p+"/plan", url.Values{"version": {"0"}, "plan": {"方案"}, "due": {"2026-05-01"}})
	post(p+"/take", url.Values{"version": {"0"}})
	post(p+"/take", url.Values{"version": {"0"}})
	post(p+"/take", url.Values{"version": {"1"}})
	post(p+"/plan", url.Values{"version": {"1"}, "plan": {" "}, "due": {"2026-05-01"}})
	post(p+"/plan", url.Values{"version": {"1"}, "plan": {"方案"}, "due": {"2026-05-01"}})
	post(p+"/progress", url.Values{"version": {"2"}, "note": {"走访"}})
	post(p+"/resolve", url.Values{"version": {"3"}, "note": {"办结"}})
	post(p+"/dismiss", url.Values{"version": {"4"}, "reason": {"重复"}})
	post(matterPath(other)+"/dismiss", url.Values{"version": {"0"}, "reason": {"重复"}})
	post(p+"/take", url.Values{"version": {"4"}, "csrf": {"forged"}})
	post("/run", nil)
	get(u, "/audit")
	resp, _ := admin.post("/run", nil)
	get(admin, resp.Header.Get("Location"))
	get(admin, "/audit")

	tags := regexp.MustCompile(`(?s)<[^>]*>`)
	word := regexp.MustCompile(`[A-Za-z][A-Za-z0-9_:.\-]*`)
	allowed := map[string]bool{"leader": true, "leader2": true, "leader3": true, "office": true, "admin": true, "analyst": true, "tier": true, "page": true,
		"fake-run": true, "YYYY-MM-DD": true, "KB": true, "UTF-8": true}
	for _, page := range pages {
		path, body, _ := strings.Cut(page, "\n")
		text := html.UnescapeString(tags.ReplaceAllString(body, " "))
		for _, w := range word.FindAllString(text, -1) {
			id := strings.ContainsAny(w, ":-") || regexp.MustCompile(`^\d{8}T\d{6}Z`).MatchString(w)
			if !allowed[w] && !id && len(w) > 2 {
				t.Errorf("%s: English on a zh page: %q", path, w)
			}
		}
	}
	if len(pages) < 20 {
		t.Errorf("checked only %d pages", len(pages))
	}
}
