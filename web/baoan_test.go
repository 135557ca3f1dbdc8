package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestBaoanMonth walks a month of 包案 through the web forms: the office assigns two matters to
// two leaders; both write a plan; one reports progress and the other does not and shows the
// reminder; the office supervises the late one; one is resolved, visited as 不满意 and back
// with its owner. The list filters by owner and reminder, /my shows each leader's matters and
// the office's summary, and the audit log has every step.
func TestBaoanMonth(t *testing.T) {
	a := newApp(t)
	m1, m2 := a.matters[0], a.matters[1]
	var office, l1, l2 *user
	// later moves the clock on by days; the users sign in again (their sessions have expired).
	later := func(days int) {
		a.clock.Add(time.Duration(days) * 24 * time.Hour)
		office, l1, l2 = a.as("office"), a.as("leader"), a.as("leader2")
	}
	later(0)
	step := func(u *user, id, action string, form url.Values, flash string) {
		t.Helper()
		resp, body := u.post(matterPath(id)+"/"+action, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %s: %d\n%s", action, id, resp.StatusCode, excerpt(body))
		}
		if _, page := u.get(resp.Header.Get("Location")); !strings.Contains(page, flash) {
			t.Errorf("%s: the page does not say %q", action, flash)
		}
	}
	// The office's page offers assignment with a select of the leaders.
	_, page := office.get(matterPath(m1))
	for _, want := range []string{`id="form-assign"`, `<option>leader</option>`, `<option>leader2</option>`, `name="plan_deadline"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the office's matter page lacks %s", want)
		}
	}
	if strings.Contains(page, `id="take"`) {
		t.Error("the office is offered to take the matter")
	}
	step(office, m1, "assign", url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2026-03-08"}}, "已交办")
	step(office, m2, "assign", url.Values{"version": {"0"}, "owner": {"leader2"}, "plan_deadline": {"2026-03-08"}}, "已交办")
	step(l1, m1, "plan", url.Values{"version": {"1"}, "plan": {"约谈信访人"}, "due": {"2026-04-30"}}, "方案已保存")
	step(l2, m2, "plan", url.Values{"version": {"1"}, "plan": {"协调补偿"}, "due": {"2026-03-25"}}, "方案已保存")
	later(20)
	step(l1, m1, "progress", url.Values{"version": {"2"}, "note": {"三月走访两次"}}, "进展已记录")
	later(15) // 2026-04-05: m2 past its due date, and a month without progress

	_, page = l2.get(matterPath(m2))
	for _, want := range []string{"已逾期", "本月未报进展", `id="plan-deadline">2026-03-08`} {
		if !strings.Contains(page, want) {
			t.Errorf("the late matter's page lacks %s", want)
		}
	}
	_, page = l1.get(matterPath(m1))
	if strings.Contains(page, `id="reminders"`) {
		t.Error("the matter with progress shows reminders")
	}
	// The list filters by owner and by reminder, and shows the reminders in its rows.
	_, page = office.get("/watchlist?owner=leader2&reminder=no_progress")
	if !strings.Contains(page, "共 1 项") || !strings.Contains(page, m2) || !strings.Contains(page, "reminder-overdue") {
		t.Errorf("the list by owner and reminder:\n%s", excerpt(page))
	}
	if _, page = office.get("/watchlist?owner=leader&reminder=overdue"); !strings.Contains(page, "共 0 项") {
		t.Errorf("a reminder no matter of the owner has lists something:\n%s", excerpt(page))
	}
	if resp, _ := office.get("/watchlist?reminder=late"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown reminder: %d", resp.StatusCode)
	}
	if _, page = office.get("/watchlist?sort=due&state=owned"); strings.Index(page, m2) > strings.Index(page, m1) {
		t.Error("sorted by due date, the matter due first is not first")
	}

	// The office supervises the late one, with a deadline; a date gone by is refused.
	if resp, body := office.post(matterPath(m2)+"/supervise", url.Values{"version": {"2"}, "note": {"请三日内约谈"}, "deadline": {"2026-01-01"}}); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "早于今天（2026-04-05）") {
		t.Errorf("a supervision deadline gone by: %d\n%s", resp.StatusCode, excerpt(body))
	}
	step(office, m2, "supervise", url.Values{"version": {"2"}, "note": {"请三日内约谈"}, "deadline": {"2026-04-08"}}, "督办已记录")
	later(4) // 04-09: the supervision deadline passed with no note
	if _, page = l2.get(matterPath(m2)); !strings.Contains(page, "督办逾期") || !strings.Contains(page, "请三日内约谈") {
		t.Errorf("the supervised matter's page:\n%s", excerpt(page))
	}

	// /my: each leader's own; the office's summary per leader.
	_, page = l2.get("/my")
	if !strings.Contains(page, m2) || strings.Contains(page, m1) || !strings.Contains(page, "督办逾期") {
		t.Errorf("leader2's matters:\n%s", excerpt(page))
	}
	// Matters by their titles, as on the list.
	var title2 string
	if err := a.db.QueryRow(`SELECT title FROM watchlist WHERE matter_id = $1 LIMIT 1`, m2).Scan(&title2); err != nil || title2 == "" || !strings.Contains(page, html.EscapeString(title2)) {
		t.Errorf("leader2's matters lack the title %q (%v):\n%s", title2, err, excerpt(page))
	}
	_, page = office.get("/my")
	if !strings.Contains(page, `id="leaders"`) || !strings.Contains(page, "leader2") {
		t.Errorf("the office's summary:\n%s", excerpt(page))
	}
	if _, page = office.get("/my?owner=leader"); !strings.Contains(page, m1) || strings.Contains(page, m2) {
		t.Errorf("leader's matters seen by the office:\n%s", excerpt(page))
	}
	if resp, _ := office.get("/my?owner=nobody"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/my of no leader: %d", resp.StatusCode)
	}

	// Resolve, return visit 不满意: back with its owner.
	step(l1, m1, "resolve", url.Values{"version": {"3"}, "note": {"已签和解协议"}}, "已标记化解")
	step(office, m1, "visit", url.Values{"version": {"4"}, "satisfaction": {"unsatisfied"}, "note": {"补偿未到位"}}, "回访不满意")
	_, page = l1.get(matterPath(m1))
	for _, want := range []string{`id="state">包案办理中 · leader`, "回访不满意，已于", "不满意", "补偿未到位"} {
		if !strings.Contains(page, want) {
			t.Errorf("the reopened matter's page lacks %s", want)
		}
	}
	_, page = office.get("/audit")
	for _, want := range []string{"交办", "督办", "回访", "满意度：不满意"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('assign', 'set_plan', 'record_progress', 'supervise', 'resolve', 'return_visit')`); n != 8 {
		t.Errorf("%d steps in the audit log, want 8", n)
	}
}

func TestBaoanFormsRefuseClearly(t *testing.T) {
	a := newApp(t)
	id := a.matters[0]
	office := a.as("office")
	before := a.reviewRows()
	for _, c := range []struct {
		name   string
		u      *user
		action string
		form   url.Values
		status int
		want   string
	}{
		{"assign to a non-leader", office, "assign", url.Values{"version": {"0"}, "owner": {"analyst"}, "plan_deadline": {"2026-03-08"}}, 400, "不是领导用户"},
		{"assign with no deadline", office, "assign", url.Values{"version": {"0"}, "owner": {"leader"}}, 400, "请填写方案期限"},
		{"assign on a day the calendar lacks", office, "assign", url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2026-02-30"}}, 400, "2026-02-30 不是日历上的日期"},
		{"assign far ahead", office, "assign", url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2030-01-01"}}, 400, "超过两年"},
		{"assign on a stale version", office, "assign", url.Values{"version": {"3"}, "owner": {"leader"}, "plan_deadline": {"2026-03-08"}}, 409, "第 3 版"},
		{"assign without the CSRF token", office, "assign", url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2026-03-08"}, "csrf": {"forged"}}, 403, "防伪令牌"},
		{"assign by a leader", a.as("leader"), "assign", url.Values{"version": {"0"}, "owner": {"leader"}, "plan_deadline": {"2026-03-08"}}, 403, "不能进行此操作"},
		{"visit an open matter", office, "visit", url.Values{"version": {"0"}, "satisfaction": {"satisfied"}, "note": {"好"}}, 409, "只有已化解的事项可以回访"},
		{"visit with no satisfaction", office, "visit", url.Values{"version": {"0"}, "note": {"好"}}, 400, "满意度"},
		{"release an open matter", office, "release", url.Values{"version": {"0"}, "reason": {"无"}}, 409, "只有包案办理中的事项可以撤回"},
		{"undo a dismissal not made", office, "undo-dismissal", url.Values{"version": {"0"}, "reason": {"误"}}, 409, "未被排除"},
		{"dismiss for a reason not configured", office, "dismiss", url.Values{"version": {"0"}, "reason": {"看着不像"}}, 400, "不在配置的原因中"},
		{"take as the office", office, "take", url.Values{"version": {"0"}}, 403, "请用“交办”"},
	} {
		resp, body := c.u.post(matterPath(id)+"/"+c.action, c.form)
		if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d (want %d), says %q?\n%s", c.name, resp.StatusCode, c.status, c.want, excerpt(body))
		}
	}
	if a.reviewRows() != before {
		t.Errorf("refused steps changed the review tables: %s -> %s", before, a.reviewRows())
	}
	// Undoing a dismissal through the form: open again.
	leader := a.as("leader")
	if resp, _ := leader.post(matterPath(id)+"/dismiss", url.Values{"version": {"0"}, "reason": {"重复件"}, "note": {"同 XF-001"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: %d", resp.StatusCode)
	}
	_, page := office.get(matterPath(id))
	if !strings.Contains(page, `id="form-undo-dismissal"`) {
		t.Error("no form to undo the dismissal")
	}
	if resp, _ := office.post(matterPath(id)+"/undo-dismissal", url.Values{"version": {"1"}, "reason": {"误排除"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	if _, page = office.get(matterPath(id)); !strings.Contains(page, `id="state">待认领`) || !strings.Contains(page, `id="form-assign"`) {
		t.Errorf("after undoing the matter is not open:\n%s", excerpt(page))
	}
}

// Taking a matter says what comes next: a plan within the configured days, then monthly progress.
func TestTakingOwnershipSaysWhatComesNext(t *testing.T) {
	a := newApp(t)
	leader := a.as("leader")
	resp, _ := leader.post(matterPath(a.matters[0])+"/take", url.Values{"version": {"0"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d", resp.StatusCode)
	}
	_, page := leader.get(resp.Header.Get("Location"))
	if !strings.Contains(page, "已认领包案。请在 7 天内在本页制定化解方案") {
		t.Errorf("the page after taking the matter does not say what comes next:\n%s", excerpt(page))
	}
}

// A refused form shows the matter again with the reason above it and what was typed still in the
// form: a plan on a day the calendar lacks, a plan on a version someone else changed, a
// supervision note refused for its date.
func TestARefusedFormKeepsWhatWasTyped(t *testing.T) {
	a := newApp(t)
	id := a.matters[0]
	leader := a.as("leader")
	if resp, _ := leader.post(matterPath(id)+"/take", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("take: %d", resp.StatusCode)
	}
	plan := "约谈施工方，两周内复工；每周到现场查看一次"
	for _, c := range []struct {
		name   string
		u      *user
		action string
		form   url.Values
		status int
		want   []string
	}{
		{"plan due on a day the calendar lacks", leader, "plan", url.Values{"version": {"1"}, "plan": {plan}, "due": {"2026-02-30"}}, 400,
			[]string{`id="error"`, "2026-02-30 不是日历上的日期", `id="matter-title"`, ">" + plan + "</textarea>"}},
		{"plan on a version changed since", leader, "plan", url.Values{"version": {"0"}, "plan": {plan}, "due": {"2026-03-20"}}, 409,
			[]string{"第 0 版", "现由 leader 包案", ">" + plan + "</textarea>", `name="due" value="2026-03-20"`, `name="version" value="1"`}},
		{"supervision without a deadline", a.as("office"), "supervise", url.Values{"version": {"1"}, "note": {"本周内报进展"}}, 400,
			[]string{"请填写督办期限", ">本周内报进展</textarea>"}},
	} {
		resp, body := c.u.post(matterPath(id)+"/"+c.action, c.form)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q:\n%s", c.name, w, excerpt(body))
			}
		}
	}
	// What was typed is shown only in the form refused, not in the others.
	if _, body := leader.get(matterPath(id)); strings.Contains(body, plan) {
		t.Errorf("the matter page shows a refused plan after the refusal:\n%s", excerpt(body))
	}
}
