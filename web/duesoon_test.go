package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestDueSoonPage: the due-soon list (临期预警) has its own page, linked from the watchlist's
// navigation, by responsible unit; a case that is a matter on the watchlist links to it.
func TestDueSoonPage(t *testing.T) {
	a := newApp(t)
	case0 := strings.TrimPrefix(a.matters[0], "case:")
	if _, err := a.db.Exec("DELETE FROM due_soon"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(fmt.Sprintf(`INSERT INTO due_soon VALUES
  ('%[1]s', 'XF-777', 'accept', DATE '2025-07-01', 1, '县人社局', '城关镇', '劳资纠纷', DATE '2025-06-16'),
  ('%[1]s', '%[2]s', 'handle', DATE '2025-07-05', 5, '城关镇人民政府', '东城街道', '征地拆迁', DATE '2025-04-01')`, a.runID, case0)); err != nil {
		t.Fatal(err)
	}
	u := a.as("analyst")
	_, list := u.get("/watchlist")
	if !strings.Contains(list, `href="/due-soon"`) {
		t.Fatal("the watchlist page does not link to the due-soon list")
	}
	resp, page := u.get("/due-soon")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, page)
	}
	for _, want := range []string{"临期预警", "共 2 件，涉及 2 个责任单位", "县人社局（1 件）", "城关镇人民政府（1 件）",
		"<td>XF-777</td><td>待受理</td><td>2025-07-01</td><td>1</td>", `href="/matters/case:` + case0 + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `href="/matters/case:XF-777"`) {
		t.Error("a case not on the watchlist links to a matter")
	}
}
