package review

import "testing"

func TestLabelReadsTheCatalogue(t *testing.T) {
	for _, c := range []struct{ lang, code, want string }{
		{LangZH, "red", "红"}, {LangEN, "red", "red"},
		{LangZH, "cluster", "事项群"}, {LangZH, "stalled_case", "积案"}, {LangEN, "group", "group petition"},
		{LangZH, "open", "待认领"}, {LangEN, "open", "unowned"},
		{LangZH, "reopened", "重新办理"}, // the event type, not the watchlist change (再现)
		{LangEN, "rereview_requested", "re-review requested"}, {LangZH, "admin", "管理员"},
		{LangZH, "no-such-code", "no-such-code"}, {"fr", "red", "red"},
	} {
		if got := Label(c.lang, c.code); got != c.want {
			t.Errorf("Label(%q, %q) = %q, want %q", c.lang, c.code, got, c.want)
		}
	}
}
