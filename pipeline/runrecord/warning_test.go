package runrecord

import (
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// TestBriefsShareALineAndNameNoConfigKey: warnings alike but for their rule share one line
// naming every rule; other arguments or another skip make another line; a leader's lines hold no
// config key and name a field by its label. Every code has a brief in every language.
func TestBriefsShareALineAndNameNoConfigKey(t *testing.T) {
	ws := []Warning{
		{Rule: "stalled-overdue", Code: WarnNoClosing, Skipped: true, Args: []string{"2025-06-30", "60", "30"}},
		{Rule: "group-wave", Code: WarnFieldMostlyEmpty, Args: []string{"township", "90", "300", "40%"}},
		{Rule: "stalled-no-progress", Code: WarnNoClosing, Skipped: true, Args: []string{"2025-06-30", "60", "30"}},
		{Rule: "escalation-continued", Code: WarnNoClosing, Args: []string{"2025-06-30", "60", "30"}},
	}
	names := map[string]string{"stalled-overdue": "超期未办结", "stalled-no-progress": "久无进展", "escalation-continued": "答复后仍持续信访", "group-wave": "群体突增"}
	got := Briefs("zh", ws, func(rule string) string { return names[rule] })
	want := []string{
		"规则“超期未办结”、“久无进展”已跳过，未运行：数据中没有任何答复或办结记录，办理期限无从判断",
		"规则“群体突增”结果存疑：用于分组的“乡镇街道”一栏在近期信访件中有 40% 为空，只看得到其余的信访件",
		"规则“答复后仍持续信访”结果存疑：数据中没有任何答复或办结记录，办理期限无从判断",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("briefs\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, code := range WarningCodes {
		for _, lang := range []string{"zh", "en"} {
			args := []string{"township", "90", "300", "40%"}
			b := Briefs(lang, []Warning{{Rule: "r", Code: code, Args: args}}, func(string) string { return "r" })
			if !i18n.Has("warning.brief."+code) || strings.ContainsAny(b[0], "`") || strings.Contains(b[0], "%!") {
				t.Errorf("%s %s: brief %q", lang, code, b[0])
			}
		}
	}
}

// A warning about a rule's channels names each code with its name where the language has one.
func TestWarningNamesChannels(t *testing.T) {
	w := Warning{Rule: "r", Code: WarnNoLetterChannel, Skipped: true, Args: []string{"365", "`letter`, `online`", "34322"}}
	if got := w.Render("zh", "r"); !strings.Contains(got, "来信（`letter`）、网上（`online`）") {
		t.Errorf("zh: %s", got)
	}
	if got := w.Render("en", "r"); !strings.Contains(got, "`letter`, `online`") {
		t.Errorf("en: %s", got)
	}
}
