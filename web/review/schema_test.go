package review_test

import (
	"context"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web/review"
)

// TestSchemaOnDatabasesOfEveryVersion: the review tables are made on a database a run of this
// version stored, whose watchlist is a view, and on one only an earlier version ran on, whose
// watchlist is a table that may lack the merged_ids and title the app reads: they are added to
// it, empty.
func TestSchemaOnDatabasesOfEveryVersion(t *testing.T) {
	ctx := context.Background()
	cfg := pipelinetest.Config(t)
	pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	if err := review.EnsureSchema(ctx, db); err != nil {
		t.Fatalf("on a database with the watchlist view: %v", err)
	}
	var items int
	if err := db.QueryRow(`SELECT count(*) FROM watchlist`).Scan(&items); err != nil || items == 0 {
		t.Fatalf("the fixture's watchlist: %d items, %v", items, err)
	}
	pipelinetest.Exec(t, db,
		`CREATE TABLE watchlist_old AS SELECT * EXCLUDE (merged_ids, title) FROM watchlist`,
		`DROP VIEW watchlist`, `ALTER TABLE watchlist_old RENAME TO watchlist`)
	if err := review.EnsureSchema(ctx, db); err != nil {
		t.Fatalf("on an earlier version's database: %v", err)
	}
	var untitled, unmerged int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE title IS NULL), count(*) FILTER (WHERE merged_ids IS NULL) FROM watchlist`).
		Scan(&untitled, &unmerged); err != nil {
		t.Fatal(err)
	}
	if untitled != items || unmerged != items {
		t.Errorf("of %d items, %d have an empty title and %d empty merged ids; want all", items, untitled, unmerged)
	}
}
