package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
)

func TestOwnershipFlowIsAudited(t *testing.T) {
	a := newApp(t)
	id := a.matters[0]
	u := a.as("leader")
	p := matterPath(id)
	for i, step := range []struct {
		action string
		form   url.Values
		flash  string
	}{
		{"take", url.Values{}, "已认领包案"},
		{"plan", url.Values{"plan": {"约谈信访人，协调补偿"}, "due": {"2026-04-30"}}, "方案已保存"},
		{"progress", url.Values{"note": {"三月走访两次"}}, "进展已记录"},
		{"resolve", url.Values{"note": {"已签和解协议"}}, "已标记化解"},
	} {
		step.form.Set("version", strconv.Itoa(i))
		resp, body := u.post(p+"/"+step.action, step.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.action, resp.StatusCode, excerpt(body))
		}
		_, page := u.get(resp.Header.Get("Location"))
		if !strings.Contains(page, step.flash) {
			t.Errorf("%s: the matter page does not confirm it (%q)", step.action, step.flash)
		}
	}
	_, page := u.get(p)
	for _, want := range []string{"已化解", "约谈信访人，协调补偿", "2026-04-30", "三月走访两次", "已签和解协议", "版本 4"} {
		if !strings.Contains(page, want) {
			t.Errorf("matter page lacks %q", want)
		}
	}
	rows, err := a.db.Query(`SELECT actor, role, action, CAST(before_state AS VARCHAR), CAST(after_state AS VARCHAR)
FROM audit_log WHERE matter_id = $1 ORDER BY seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var actions []string
	var last map[string]any
	for rows.Next() {
		var actor, role, action, before, after string
		if err := rows.Scan(&actor, &role, &action, &before, &after); err != nil {
			t.Fatal(err)
		}
		if actor != "leader" || role != "leader" {
			t.Errorf("audit actor %s/%s", actor, role)
		}
		var b, af map[string]any
		if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &af) != nil {
			t.Fatalf("audit before/after not JSON: %s / %s", before, after)
		}
		if af["version"].(float64) != b["version"].(float64)+1 {
			t.Errorf("%s: version %v -> %v", action, b["version"], af["version"])
		}
		actions = append(actions, action)
		last = af
	}
	if strings.Join(actions, ",") != "take_ownership,set_plan,record_progress,resolve" {
		t.Errorf("audit actions %v", actions)
	}
	if last["state"] != "resolved" || last["owner"] != "leader" || last["plan"] != "约谈信访人，协调补偿" || last["due"] != "2026-04-30" {
		t.Errorf("last after-state %v", last)
	}
	// The audit page lists the actions.
	_, audit := u.get("/audit")
	// Times in the configured zone: the clock says 09:00 UTC, 17:00 in Shanghai.
	for _, want := range []string{"认领包案", "制定方案", "记录进展", "标记化解", "登录", "2026-03-01 17:00:00"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

func TestDismissalGoesToTheDismissalsTable(t *testing.T) {
	a := newApp(t)
	id := a.matters[1]
	u := a.as("leader2")
	if resp, body := u.post(matterPath(id)+"/dismiss", url.Values{"version": {"0"}, "reason": {"重复件"}, "note": {"与另案重复登记"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: %d\n%s", resp.StatusCode, excerpt(body))
	}
	var runID, by, reason string
	var lifted any
	if err := a.db.QueryRow(`SELECT run_id, dismissed_by, reason, lifted_at FROM dismissals WHERE matter_id = $1`, id).Scan(&runID, &by, &reason, &lifted); err != nil {
		t.Fatal(err)
	}
	if runID != a.runID || by != "leader2" || reason != "重复件" || lifted != nil {
		t.Errorf("dismissal row: run %s by %s reason %s lifted %v", runID, by, reason, lifted)
	}
	_, page := u.get("/watchlist?state=dismissed")
	if !strings.Contains(page, id) || !strings.Contains(page, "共 1 项") {
		t.Errorf("the dismissed filter does not list the matter:\n%s", excerpt(page))
	}
	// A dismissed matter cannot be dismissed twice.
	if resp, _ := u.post(matterPath(id)+"/dismiss", url.Values{"version": {"1"}, "reason": {"再次"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second dismissal: %d", resp.StatusCode)
	}
	// The nightly run lifts the dismissal when the matter gets materially worse: it is open again.
	pipelinetest.Exec(t, a.db, `UPDATE dismissals SET lifted_at = now(), lifted_reason = 'worse'`)
	if _, page := u.get(matterPath(id)); !strings.Contains(page, `id="state">待认领`) || !strings.Contains(page, `id="take"`) {
		t.Errorf("after the run lifted the dismissal the matter is not open:\n%s", excerpt(page))
	}
	if _, page := u.get("/watchlist?state=dismissed"); !strings.Contains(page, "共 0 项") {
		t.Error("a lifted dismissal still counts as dismissed")
	}
	if resp, body := u.post(matterPath(id)+"/dismiss", url.Values{"version": {"1"}, "reason": {"重复件"}, "note": {"复核后仍属重复"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("dismissal after the lift: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if n := a.count(`SELECT count(*) FROM dismissals WHERE matter_id = $1 AND lifted_at IS NULL`, id); n != 1 {
		t.Errorf("%d dismissals in force, want 1", n)
	}
}

func TestWatchlistFilters(t *testing.T) {
	a := newApp(t)
	u := a.as("analyst")
	count := regexp.MustCompile(`共 (\d+) 项`)
	total := func(q string) int {
		resp, body := u.get("/watchlist?" + q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", q, resp.StatusCode)
		}
		m := count.FindStringSubmatch(body)
		n, _ := strconv.Atoi(m[1])
		if rows := strings.Count(body, `class="matter-link"`); rows != min(n, 50) {
			t.Errorf("%s: %d rows for %d matters", q, rows, n)
		}
		return n
	}
	if got := total(""); got != len(a.matters) {
		t.Errorf("unfiltered %d, run has %d", got, len(a.matters))
	}
	for q, stmt := range map[string]string{
		"tier=red":             `tier = 'red'`,
		"tier=yellow":          `tier = 'yellow'`,
		"rule=repeat-contacts": `list_contains(rules, 'repeat-contacts')`,
		"township=" + url.QueryEscape("城关镇"):  `township = '城关镇'`,
		"category=" + url.QueryEscape("征地拆迁"): `category = '征地拆迁'`,
	} {
		want := a.count(`SELECT count(*) FROM watchlist WHERE run_id = $1 AND `+stmt, a.runID)
		if got := total(q); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	a.take("leader", "leader", a.matters[0])
	if got := total("state=owned"); got != 1 {
		t.Errorf("state=owned: %d, want 1", got)
	}
	if got := total("state=open"); got != len(a.matters)-1 {
		t.Errorf("state=open: %d, want %d", got, len(a.matters)-1)
	}
}

func TestHostileTextIsRenderedSafely(t *testing.T) {
	a := newApp(t)
	h := strings.ReplaceAll(pipelinetest.Hostile, "'", "''")
	pipelinetest.Exec(t, a.db,
		`UPDATE cases SET content = '`+h+`', complainant_id = '`+h+`'`,
		`UPDATE contacts SET person_id = '`+h+`'`,
		`UPDATE watchlist_spans SET reason_zh = '`+h+`', township = '`+h+`', category = '`+h+`'`,
		`UPDATE flag_spans SET reason_zh = '`+h+`'`)
	id := a.matters[0]
	u := a.as("leader")
	u.post(matterPath(id)+"/take", url.Values{"version": {"0"}})
	if resp, body := u.post(matterPath(id)+"/plan", url.Values{"version": {"1"}, "plan": {pipelinetest.Hostile}, "due": {"2026-05-01"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("plan with hostile text: %d\n%s", resp.StatusCode, excerpt(body))
	}
	u.post(matterPath(id)+"/progress", url.Values{"version": {"2"}, "note": {pipelinetest.Hostile}})
	for _, path := range []string{"/watchlist", "/watchlist?township=" + url.QueryEscape(pipelinetest.Hostile), matterPath(id), "/audit"} {
		resp, body := u.get(path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
			continue
		}
		for _, bad := range []string{"<script>", "<img", "<style>@import", `onerror="alert`, "onmouseover='alert"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s renders hostile text raw: %q", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the hostile text escaped", path)
		}
	}
}

func TestOnlyTheOwnerOrAnAdminChangesAnOwnedMatter(t *testing.T) {
	a := newApp(t)
	id := a.matters[0]
	a.take("leader", "leader", id)
	other := a.as("leader2")
	before := a.reviewRows()
	for action, form := range map[string]url.Values{
		"plan":    {"version": {"1"}, "plan": {"别人的方案"}, "due": {"2026-05-01"}},
		"resolve": {"version": {"1"}, "note": {"越权办结"}},
		"dismiss": {"version": {"1"}, "reason": {"越权排除"}},
	} {
		resp, body := other.post(matterPath(id)+"/"+action, form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "leader") {
			t.Errorf("%s by another leader: %d\n%s", action, resp.StatusCode, excerpt(body))
		}
	}
	if a.reviewRows() != before {
		t.Errorf("refused changes wrote: %s -> %s", before, a.reviewRows())
	}
	// Only the owner or an admin records progress: a note by anyone else would count as the
	// owner's month. An admin may set the plan.
	for _, who := range []string{"analyst", "office"} {
		if resp, body := a.as(who).post(matterPath(id)+"/progress", url.Values{"version": {"1"}, "note": {"代为补充材料"}}); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "记录进展") {
			t.Errorf("%s progress: %d\n%s", who, resp.StatusCode, excerpt(body))
		}
	}
	if resp, _ := a.as("admin").post(matterPath(id)+"/plan", url.Values{"version": {"1"}, "plan": {"管理员调整"}, "due": {"2026-05-01"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("admin plan: %d", resp.StatusCode)
	}
	// Progress on a matter nobody owns is refused.
	if resp, _ := other.post(matterPath(a.matters[1])+"/progress", url.Values{"version": {"0"}, "note": {"无主"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("progress on an unowned matter: %d", resp.StatusCode)
	}
}
