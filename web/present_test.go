package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The list and the matter page show a matter by its title, the id small beside it.
func TestMattersShowTheirTitles(t *testing.T) {
	a := newApp(t)
	u := a.as("analyst")
	var id, name string
	if err := a.db.QueryRow(`SELECT matter_id, title FROM watchlist WHERE run_id = $1 AND rank = 1`, a.runID).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	if name == "" {
		t.Fatal("the run stored no title")
	}
	_, list := u.get("/watchlist")
	link := `<a href="` + matterPath(id) + `" class="matter-link">` + html.EscapeString(name) + `</a><br><span class="muted matter-id">` + id
	if !strings.Contains(list, link) {
		t.Errorf("list lacks %q", link)
	}
	_, page := u.get(matterPath(id))
	head := `<h1 id="matter-title">` + html.EscapeString(name) + ` <small class="matter-id">` + id + `</small></h1>`
	if !strings.Contains(page, head) || !strings.Contains(page, "<title>"+html.EscapeString(name)+" · ") {
		t.Errorf("matter page lacks the heading %q", head)
	}
	// A run stored without titles (an earlier version's): the app composes one. On the list from
	// the township and category; on the matter page from its first case as well.
	if _, err := a.db.Exec(`UPDATE watchlist_spans SET title = NULL`); err != nil {
		t.Fatal(err)
	}
	var town, cat string
	if err := a.db.QueryRow(`SELECT township, category FROM watchlist WHERE run_id = $1 AND rank = 1`, a.runID).Scan(&town, &cat); err != nil {
		t.Fatal(err)
	}
	_, list = u.get("/watchlist")
	if want := `class="matter-link">` + town + ` · ` + cat + `</a>`; !strings.Contains(list, want) {
		t.Errorf("list of an untitled run lacks %q", want)
	}
	_, page = u.get(matterPath(id))
	if want := `<h1 id="matter-title">` + html.EscapeString(name) + ` `; !strings.Contains(page, want) {
		t.Errorf("matter page of an untitled run lacks the title the pipeline gives: %q", want)
	}
}

// The list opens on the matters still to handle; a resolved matter moves to 已办结 and a
// dismissed one to 已排除, each tab with its count.
func TestListTabs(t *testing.T) {
	a := newApp(t)
	n := len(a.matters)
	resolved, dismissed := a.matters[0], a.matters[1]
	u := a.as("leader")
	p := matterPath(resolved)
	for i, step := range []struct {
		action string
		form   url.Values
	}{
		{"take", url.Values{}},
		{"plan", url.Values{"plan": {"约谈"}, "due": {"2026-04-30"}}},
		{"resolve", url.Values{"note": {"已化解"}}},
	} {
		step.form.Set("version", strconv.Itoa(i))
		if resp, body := u.post(p+"/"+step.action, step.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.action, resp.StatusCode, excerpt(body))
		}
	}
	if resp, body := u.post(matterPath(dismissed)+"/dismiss", url.Values{"version": {"0"}, "reason": {"重复件"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: %d\n%s", resp.StatusCode, excerpt(body))
	}
	tab := regexp.MustCompile(`id="tab-(\w+)" class="tab( active)?">[^<]*<span class="n">(\d+)</span>`)
	check := func(path, active string, open, res, dis int, in, out []string) {
		t.Helper()
		resp, body := u.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		got := map[string]string{}
		for _, m := range tab.FindAllStringSubmatch(body, -1) {
			got[m[1]] = m[3]
			if m[2] != "" && m[1] != active {
				t.Errorf("%s: tab %s is the active one, want %s", path, m[1], active)
			}
		}
		want := map[string]string{"open": strconv.Itoa(open), "resolved": strconv.Itoa(res), "dismissed": strconv.Itoa(dis)}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: tab %s counts %q, want %s", path, k, got[k], v)
			}
		}
		for _, id := range in {
			if !strings.Contains(body, matterPath(id)+`"`) {
				t.Errorf("%s lacks %s", path, id)
			}
		}
		for _, id := range out {
			if strings.Contains(body, `href="`+matterPath(id)+`"`) {
				t.Errorf("%s lists %s", path, id)
			}
		}
	}
	check("/watchlist", "open", n-2, 1, 1, a.matters[2:], []string{resolved, dismissed})
	check("/watchlist?tab=resolved", "resolved", n-2, 1, 1, []string{resolved}, []string{dismissed, a.matters[2]})
	check("/watchlist?tab=dismissed", "dismissed", n-2, 1, 1, []string{dismissed}, []string{resolved})
	// A review state selects its tab.
	check("/watchlist?state=resolved", "resolved", n-2, 1, 1, []string{resolved}, []string{dismissed})
	// The open tab's state filter offers only its states.
	_, body := u.get("/watchlist")
	if strings.Contains(body, `<option value="resolved"`) || !strings.Contains(body, `<option value="owned"`) {
		t.Error("the open tab's state filter offers states of other tabs")
	}
	// A tab's link keeps the list's other filters, the owner among them (its count was made with them).
	if _, body := u.get("/watchlist?owner=leader&tier=red"); !strings.Contains(body, `href="/watchlist?owner=leader&amp;tab=resolved&amp;tier=red"`) {
		t.Error("the resolved tab's link drops the list's owner or tier filter")
	}
	if resp, _ := u.get("/watchlist?tab=everything"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown tab: %d, want 400", resp.StatusCode)
	}
}

// The audit log reads as what each action changed, in the server's zone, and filters by user,
// action, matter and dates, a page at a time.
func TestAuditLogReadsAndFilters(t *testing.T) {
	a := newApp(t)
	id, other := a.matters[0], a.matters[1]
	u := a.as("leader")
	for i, step := range []struct {
		action string
		form   url.Values
	}{
		{"take", url.Values{}},
		{"plan", url.Values{"plan": {"约谈信访人，协调补偿"}, "due": {"2026-04-30"}}},
	} {
		step.form.Set("version", strconv.Itoa(i))
		if resp, body := u.post(matterPath(id)+"/"+step.action, step.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.action, resp.StatusCode, excerpt(body))
		}
	}
	a.clock.Add(48 * time.Hour) // 2026-03-03 in Shanghai
	u2 := a.as("leader2")
	if resp, body := u2.post(matterPath(other)+"/take", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d\n%s", resp.StatusCode, excerpt(body))
	}

	u = a.as("admin") // reads from here on; leader's session has expired
	_, page := u.get("/audit")
	page = html.UnescapeString(page)
	for _, want := range []string{
		"办理状态：待认领 → 包案办理中", "包案领导：leader", "化解方案：约谈信访人，协调补偿", "完成时限：2026-04-30",
		"认领时间：2026-03-01 17:00:00", // 09:00 UTC on the clock, in Shanghai
		"2026-03-03 17:00:00", "时间均按服务器所设时区（+08:00）显示",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	for _, bad := range []string{`{"state"`, "version", "T09:00:00", "Z<", "+00:00", "UTC"} {
		if strings.Contains(page, bad) {
			t.Errorf("audit page shows raw %q", bad)
		}
	}
	rows := func(path string) (int, string) {
		t.Helper()
		resp, body := u.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, resp.StatusCode, excerpt(body))
		}
		return strings.Count(body, `<td class="c-when">`), body
	}
	// Every row so far: leader signs in, takes and plans on 1 March; leader2 signs in and takes,
	// and admin signs in, on 3 March.
	for path, want := range map[string]int{
		"/audit?user=leader2":                  2,
		"/audit?action=take_ownership":         2,
		"/audit?matter=" + url.QueryEscape(id): 2,
		"/audit?action=set_plan&user=leader":   1,
		"/audit?from=2026-03-03":               3,
		"/audit?to=2026-03-02":                 3,
		"/audit?from=2026-03-02&to=2026-03-02": 0,
		"/audit?user=nobody":                   0,
	} {
		if n, body := rows(path); n != want {
			t.Errorf("%s: %d rows, want %d\n%s", path, n, want, excerpt(body))
		}
	}
	for _, path := range []string{"/audit?action=drop_table", "/audit?from=2026-13-01", "/audit?to=yesterday", "/audit?page=0"} {
		if resp, _ := u.get(path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, resp.StatusCode)
		}
	}
	// Paging: 50 a page, newest first.
	for i := range 60 {
		if resp, body := u.post(matterPath(id)+"/progress", url.Values{"version": {strconv.Itoa(2 + i)}, "note": {"进展" + strconv.Itoa(i)}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("progress %d: %d\n%s", i, resp.StatusCode, excerpt(body))
		}
	}
	n, body := rows("/audit?action=record_progress")
	if n != 50 || !strings.Contains(body, "共 60 条，第 1/2 页") || !strings.Contains(body, "说明：进展59") || strings.Contains(body, "说明：进展9<") {
		t.Errorf("first page of 60: %d rows\n%s", n, excerpt(body))
	}
	if !strings.Contains(body, `href="/audit?action=record_progress&amp;page=2"`) {
		t.Error("first page lacks the link to the second")
	}
	n, body = rows("/audit?action=record_progress&page=2")
	if n != 10 || !strings.Contains(body, "说明：进展0<") {
		t.Errorf("second page: %d rows\n%s", n, excerpt(body))
	}
}
