package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/title"
	"github.com/earlywarn/earlywarn/rules"
)

// titleWatchlist gives each of the run's items (in runItemsTable) a title people read in place
// of its id (internal/title: place, category, target organisation and the gist of its first
// case's content), into runTitlesTable, which storeWatchlist stores with the items. The
// workbook, the report and the review app all show this one title.
func titleWatchlist(ctx context.Context, q *sql.Conn) error {
	type titled struct{ matter, title string }
	items, err := db.Collect(ctx, q, titleFactsSQL, nil, func(rows *sql.Rows) (titled, error) {
		var id string
		var f title.Facts
		err := rows.Scan(&id, &f.Township, &f.Village, &f.Place, &f.Category, &f.Target, &f.Content)
		return titled{id, title.Of(f)}, err
	})
	if err != nil {
		return err
	}
	if err := db.Exec(ctx, q, runTitlesSQL); err != nil {
		return err
	}
	return rules.AppendTemp(q, runTitlesTable, func(add func(...driver.Value) error) error {
		for _, t := range items {
			if err := add(t.matter, t.title); err != nil {
				return err
			}
		}
		return nil
	})
}
