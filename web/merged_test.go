package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// A matter that a later run merged into another (they share cases) opens as that matter.
func TestMergedMatterOpensAsTheMatterItMergedInto(t *testing.T) {
	a := newApp(t)
	kept, merged := a.matters[0], a.matters[1]
	if _, err := a.db.Exec(`INSERT INTO runs (run_id, started_at, finished_at, as_of)
SELECT 'later', finished_at + INTERVAL 1 DAY, finished_at + INTERVAL 1 DAY, as_of + 1 FROM runs WHERE run_id = $1`, a.runID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(`INSERT INTO watchlist BY NAME
SELECT * REPLACE ('later' AS run_id, [$3] AS merged_ids) FROM watchlist WHERE run_id = $1 AND matter_id = $2`, a.runID, kept, merged); err != nil {
		t.Fatal(err)
	}
	u := a.as("leader")
	resp, _ := u.get(matterPath(merged))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != matterPath(kept)+"?done=merged" {
		t.Fatalf("GET %s: %d to %q, want a redirect to %s", merged, resp.StatusCode, resp.Header.Get("Location"), kept)
	}
	if _, body := u.get(matterPath(kept) + "?done=merged"); !strings.Contains(body, "已与涉及相同信访件的本事项合并") {
		t.Errorf("the merged matter's page does not say why it opened")
	}
	if resp, _ := u.get(matterPath(kept)); resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", kept, resp.StatusCode)
	}
}
