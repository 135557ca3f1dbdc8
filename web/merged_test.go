package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
)

// A matter that a later run merged into another (they share cases) opens as that matter.
func TestMergedMatterOpensAsTheMatterItMergedInto(t *testing.T) {
	a := newApp(t)
	kept, merged := a.matters[0], a.matters[1]
	// A later run lists only the kept matter, with the other merged into it.
	pipelinetest.Exec(t, a.db,
		`INSERT INTO runs (run_id, started_at, finished_at, as_of, seq)
SELECT 'later', finished_at + INTERVAL 1 DAY, finished_at + INTERVAL 1 DAY, as_of + 1, seq + 1 FROM runs WHERE run_id = '`+a.runID+`'`,
		`UPDATE watchlist_spans SET to_seq = from_seq WHERE matter_id = '`+kept+`'`,
		`INSERT INTO watchlist_spans
SELECT * REPLACE (from_seq + 1 AS from_seq, NULL AS to_seq, ['`+merged+`'] AS merged_ids) FROM watchlist_spans WHERE matter_id = '`+kept+`'`,
		`INSERT INTO watchlist_ranks
SELECT * REPLACE ('later' AS run_id, as_of + 1 AS as_of, from_seq + 1 AS from_seq) FROM watchlist_ranks WHERE run_id = '`+a.runID+`' AND matter_id = '`+kept+`'`)
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
