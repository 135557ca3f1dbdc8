package places

import (
	"strings"
	"testing"
)

// names returns the mentions as "Context|Name|Kind|Key", one per mention.
func names(ms []Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Context + "|" + m.Name + "|" + string(m.Kind) + "|" + m.Key
	}
	return out
}

func TestExtractBasic(t *testing.T) {
	e := MustNew(nil)
	cases := []struct {
		text string
		want []string
	}{
		{"我是丽发新城小区的业主", []string{"|丽发新城小区|estate|丽发新城"}},
		{"反映A市A3区万家丽路与人民路交汇处", []string{"A市A3区|万家丽路|road|万家丽路", "|人民路|road|人民路"}},
		{"位于黄花镇新桥村的养殖场", []string{"|黄花镇|township|黄花镇", "黄花镇|新桥村|village|新桥村"}},
		{"我们小区，这个小区，本小区，该公司，我村，学校", nil},
	}
	for _, c := range cases {
		got := names(e.Extract(c.text))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("Extract(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}
