package web_test

import (
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
)

// TestPagesShowRuleNamesAndChanges checks that the watchlist and a matter show rules by their
// names (from the run's record), never their ids; that each matter's change since the previous
// run shows with its note and can be filtered on; and that an escalation rule's flag is shown
// as escalation, not under the repeat family its flags count towards.
func TestPagesShowRuleNamesAndChanges(t *testing.T) {
	a := newApp(t)
	u := a.as("leader")
	id := a.matters[0]
	pipelinetest.Exec(t, a.db,
		`UPDATE watchlist_ranks SET state = 'worse', state_note_zh = '超期30天以上' WHERE matter_id = '`+id+`'`,
		// The first matter's first flag comes from an escalation rule.
		`UPDATE flag_spans SET rule_id = 'escalation-continued', family = 'repeat' WHERE matter_id = '`+id+`' AND rule_id = (SELECT min(rule_id) FROM flag_spans WHERE matter_id = '`+id+`')`)
	_, page := u.get("/watchlist")
	for _, want := range []string{`id="f-change"`, "加重", "超期30天以上", `<option value="repeat-contacts"`, "同一事项90天内反复来信来访</option>"} {
		if !strings.Contains(page, want) {
			t.Errorf("watchlist lacks %q", want)
		}
	}
	// Ids appear only as the filter's option values, never as text.
	text := strings.NewReplacer(`value="repeat-contacts"`, "", `value="group-head-count"`, "", `value="stalled-overdue"`, "",
		`value="group-wave"`, "", `value="stalled-no-progress"`, "", `value="group-copied-letters"`, "", `value="escalation-continued"`, "",
		`value="escalation-higher-level"`, "", `value="group-baseline"`, "", `value="stalled-extensions"`, "").Replace(page)
	for _, rule := range []string{"repeat-contacts", "group-head-count", "stalled-overdue", "group-wave"} {
		if strings.Contains(text, rule) {
			t.Errorf("watchlist shows rule id %s as text", rule)
		}
	}
	_, page = u.get("/watchlist?change=worse")
	if !strings.Contains(page, "共 1 项") || !strings.Contains(page, id) {
		t.Errorf("the change filter does not find the one worse matter:\n%s", excerpt(page))
	}
	if resp, _ := u.get("/watchlist?change=cleared"); resp.StatusCode != 400 {
		t.Errorf("a change no listed matter has: %d, want 400", resp.StatusCode)
	}
	_, page = u.get(matterPath(id))
	for _, want := range []string{`id="change"`, "加重", "超期30天以上", "答复或终结后仍反复来信来访", "信访升级"} {
		if !strings.Contains(page, want) {
			t.Errorf("matter page lacks %q:\n%s", want, excerpt(page))
		}
	}
	if strings.Contains(page, ">escalation-continued<") {
		t.Error("matter page shows the rule's id as its name")
	}
}
