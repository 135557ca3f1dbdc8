package pipeline

import "testing"

func TestDedupClausesSaysEachPhraseOnce(t *testing.T) {
	for _, c := range []struct {
		lang string
		in   []string
		want string
	}{
		{"zh", []string{"当前办理中，已超过期限（2025-08-12）141天；2025-06-08收件。", "已199天无实质进展（最近一次：2025-06-15交办），当前办理中。"},
			"当前办理中，已超过期限（2025-08-12）141天；2025-06-08收件。已199天无实质进展（最近一次：2025-06-15交办）。"},
		{"zh", []string{"甲；当前已复查。", "乙；当前已复查。", "丙，当前已复查。"}, "甲；当前已复查。乙。丙。"},
		// Commas inside brackets do not divide phrases.
		{"zh", []string{"收到来信（龙泉镇，劳资纠纷）。", "另见（龙泉镇，劳资纠纷）。"}, "收到来信（龙泉镇，劳资纠纷）。另见（龙泉镇，劳资纠纷）。"},
		{"en", []string{"6 contacts, first on 2025-01-08; now answered.", "3 contacts after the answer; now answered. Expected 1.5."},
			"6 contacts, first on 2025-01-08; now answered. 3 contacts after the answer. Expected 1.5."},
	} {
		if got := dedupClauses(c.in, c.lang); got != c.want {
			t.Errorf("dedupClauses(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
