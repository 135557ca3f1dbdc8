package runrecord

import "testing"

// An unknown code's reason names each expected code in the run's language where that differs,
// and only for the coded fields.
func TestUnknownCodeNamesTheCodes(t *testing.T) {
	for _, c := range []struct{ lang, field, stored, want string }{
		{"zh", "event_type", `[["unknown_code","event_type","研判","accepted, assigned, supervised"]]`,
			"未知代码 研判；应为 accepted（受理）、assigned（交办）、supervised（督办） 之一"},
		{"zh", "channel", `[["unknown_code","","传真","letter, fax"]]`, "未知代码 传真；应为 letter（来信）、fax 之一"},
		{"en", "channel", `[["unknown_code","","fax","letter, visit"]]`, "unknown code fax; expected one of letter, visit"},
		{"en", "event_type", `[["unknown_code","","x","rereview_requested, accepted"]]`, "unknown code x; expected one of rereview_requested, accepted"},
	} {
		if got := RenderReason(c.lang, c.field, c.stored); got != c.want {
			t.Errorf("RenderReason(%s, %s)\n got %q\nwant %q", c.lang, c.stored, got, c.want)
		}
	}
}

// The fields listed are the three most rows name; the rows of the others are counted after them.
func TestRejectedListCountsTheFieldsLeftOut(t *testing.T) {
	fields := []RejectedField{
		{Field: "received_date", Rows: 3, FirstLine: 7, Reason: []byte(`[["missing_required","received_date"]]`)},
		{Field: "", Rows: 1, FirstLine: 9, Reason: []byte(`[["field_count","","16","15"]]`)},
	}
	for _, c := range []struct {
		total int64
		want  string
	}{
		{4, "受理日期（received_date） 3 行（首见于第 7 行：必填字段为空）；整条记录 1 行（首见于第 9 行：有 16 个字段，表头有 15 个）"},
		{6, "受理日期（received_date） 3 行（首见于第 7 行：必填字段为空）；整条记录 1 行（首见于第 9 行：有 16 个字段，表头有 15 个）；另有 2 行为其他字段"},
	} {
		if got := RejectedList("zh", fields, c.total, false); got != c.want {
			t.Errorf("total %d:\n got %q\nwant %q", c.total, got, c.want)
		}
	}
}

// An unknown code read through a profile's map lists the export's words the map takes.
func TestUnknownCodeListsTheExportsWords(t *testing.T) {
	stored := `[["unknown_code","channel","走访","letter, visit"]]`
	want := "未知代码 走访；应为 letter（来信）、visit（来访） 之一（映射配置中该字段的 `map` 已有的导出写法：来信、来访、网上信访）"
	if got := RenderReasonWritten("zh", "channel", stored, []string{"来信", "来访", "网上信访"}); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := RenderReasonWritten("zh", "channel", stored, nil); got != RenderReason("zh", "channel", stored) {
		t.Errorf("without a map: %q", got)
	}
	if got := RenderReasonWritten("zh", "received_date", `[["missing_required","received_date"]]`, []string{"x"}); got != "必填字段为空" {
		t.Errorf("another reason: %q", got)
	}
}
