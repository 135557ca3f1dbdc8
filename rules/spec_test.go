package rules

import (
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

func TestCompileRejectsBadRules(t *testing.T) {
	ok := Spec{ID: "ok", Kind: KindRepeat, Weight: 1, Name: configs.RuleName{EN: "taken"}}
	for _, tt := range []struct {
		name    string
		spec    Spec
		wantKey string
		wantMsg string
	}{
		{"unknown kind", Spec{ID: "a", Kind: "gossip", Weight: 1}, "rules[1].kind", "not a rule kind"},
		{"bad id", Spec{ID: "Bad Id", Kind: KindRepeat, Weight: 1}, "rules[1].id", "not a valid id"},
		{"duplicate id", Spec{ID: "ok", Kind: KindRepeat, Weight: 1}, "rules[1].id", "already used"},
		{"zero weight", Spec{ID: "a", Kind: KindRepeat}, "rules[1].weight", "greater than 0"},
		{"bad tier", Spec{ID: "a", Kind: KindRepeat, Weight: 1, MinTier: "purple"}, "rules[1].min_tier", "not a tier"},
		{"unknown param", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Params: map[string]any{"window": 3}}, "rules[1].params.window", "unknown key"},
		{"wrong type", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Params: map[string]any{"window_days": "ninety"}}, "rules[1].params", "window_days"},
		{"negative window", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Params: map[string]any{"window_days": -5}}, "rules[1].params.window_days", "from 1 to"},
		{"threshold of one", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Params: map[string]any{"min_contacts": 1}}, "rules[1].params.min_contacts", "at least 2"},
		{"unknown signal", Spec{ID: "a", Kind: KindGroup, Weight: 1, Params: map[string]any{"signal": "crowd"}}, "rules[1].params.signal", "not a group signal"},
		{"group by a field that does not exist", Spec{ID: "a", Kind: KindGroup, Weight: 1, Params: map[string]any{"signal": "wave", "group_by": []any{"township", "person_id"}}}, "rules[1].params.group_by[1]", "not a case field"},
		{"param of another signal", Spec{ID: "a", Kind: KindGroup, Weight: 1, Params: map[string]any{"signal": "wave", "min_people": 5}}, "rules[1].params.min_people", "unknown key"},
		{"unknown channel", Spec{ID: "a", Kind: KindGroup, Weight: 1, Params: map[string]any{"signal": "copied_letters", "channels": []any{"fax"}}}, "rules[1].params.channels[0]", "not a channel"},
		{"unknown check", Spec{ID: "a", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "slow"}}, "rules[1].params.check", "not a stalled-case check"},
		{"threshold of another check", Spec{ID: "a", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "no_progress", "min_extensions": 2}}, "rules[1].params.min_extensions", "does not apply"},
		{"reason names a missing fact", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Reason: Reason{ZH: "{{.visits}}次"}}, "rules[1].reason.zh", "visits"},
		{"name too long", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Name: configs.RuleName{ZH: strings.Repeat("长", MaxNameRunes+1)}}, "rules[1].name.zh", "at most 40"},
		{"name with a line break", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Name: configs.RuleName{EN: "two\nlines"}}, "rules[1].name.en", "control characters"},
		{"name of another rule", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Name: configs.RuleName{EN: "taken"}}, "rules[1].name.en", "already used by rules[0]"},
		{"reason does not parse", Spec{ID: "a", Kind: KindRepeat, Weight: 1, Reason: Reason{EN: "{{.contacts"}}, "rules[1].reason.en", "bad template"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]Spec{ok, tt.spec}, DefaultClocks())
			if err == nil {
				t.Fatal("compiled a bad rule")
			}
			if msg := i18n.Localize("en", err); !strings.Contains(msg, tt.wantKey+": ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q, want key %s and %q", msg, tt.wantKey, tt.wantMsg)
			}
		})
	}
}

func TestCompileReportsEveryProblem(t *testing.T) {
	_, err := Compile([]Spec{
		{ID: "a", Kind: "x", Weight: 1},
		{ID: "b", Kind: KindRepeat, Weight: -1},
	}, Clocks{AcceptDays: 0, HandleDays: 60, ExtensionDays: 30, ReviewDays: 30, RereviewDays: 30})
	for _, key := range []string{"clocks.accept_days", "rules[0].kind", "rules[1].weight"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error %v does not name %s", err, key)
		}
	}
}

func TestDisabledRulesAreValidatedButNotRun(t *testing.T) {
	off := false
	rs, err := Compile([]Spec{{ID: "a", Kind: KindRepeat, Weight: 1}, {ID: "b", Kind: KindRepeat, Weight: 1, Enabled: &off}}, DefaultClocks())
	if err != nil || len(rs) != 1 || rs[0].ID != "a" {
		t.Fatalf("rules %v, err %v", rs, err)
	}
	if _, err := Compile([]Spec{{ID: "b", Kind: KindRepeat, Weight: 1, Enabled: &off, Params: map[string]any{"bogus": 1}}}, DefaultClocks()); err == nil {
		t.Error("a disabled rule with a bad param compiled")
	}
}

func TestReasonsInBothLanguages(t *testing.T) {
	rs, err := Compile([]Spec{{ID: "a", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "overdue"}}}, DefaultClocks())
	if err != nil {
		t.Fatal(err)
	}
	facts := `{"stage":"handle","received":"2025-01-02","deadline":"2025-03-11","days_overdue":21,"last_progress":"2025-01-10",
"last_progress_type":"accepted","days_since_progress":80,"extensions":0,"threshold":1}`
	zh, err := rs[0].Reason("zh", facts)
	if err != nil || zh != "当前办理中，已超过期限（2025年3月11日）21天；2025年1月2日收件。" {
		t.Errorf("zh %q, %v", zh, err)
	}
	en, err := rs[0].Reason("en", facts)
	if err != nil || en != "21 days past the deadline of 11 Mar 2025 while being handled; received 2 Jan 2025." {
		t.Errorf("en %q, %v", en, err)
	}
}

func TestDisplayNames(t *testing.T) {
	rs, err := Compile([]Spec{
		{ID: "named", Kind: KindRepeat, Weight: 1, Description: "说明", Name: configs.RuleName{ZH: "重复访", EN: "repeats"}},
		{ID: "described", Kind: KindRepeat, Weight: 1, Description: "同一事项反复来访"},
		{ID: "described-en", Kind: KindRepeat, Weight: 1, Description: "repeat visits, English"},
		{ID: "bare", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "overdue"}},
		{ID: "bare-2", Kind: KindStalled, Weight: 1, Params: map[string]any{"check": "overdue", "min_days_overdue": 30}},
		{ID: "escalates", Kind: KindEscalation, Weight: 1, Params: map[string]any{"check": "higher_level"}},
	}, DefaultClocks())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]configs.RuleName{
		"named":        {ZH: "重复访", EN: "repeats"},
		"described":    {ZH: "同一事项反复来访", EN: "repeat contacts on one matter"},
		"described-en": {ZH: "repeat visits, English", EN: "repeat visits, English"},
		"bare":         {ZH: "当前环节超过法定期限", EN: "stage past its statutory deadline"},
		"bare-2":       {ZH: "当前环节超过法定期限（bare-2）", EN: "stage past its statutory deadline (bare-2)"},
		"escalates":    {ZH: "越级信访", EN: "contacts at a higher level"},
	}
	for _, r := range rs {
		if r.DisplayName != want[r.ID] {
			t.Errorf("%s: name %+v, want %+v", r.ID, r.DisplayName, want[r.ID])
		}
	}
	// The progress line of a rule names it in the reader's language.
	if got := i18n.T("zh", "run.step.rule", rs[0].DisplayName); got != "规则：重复访" {
		t.Errorf("progress line %q", got)
	}
}
