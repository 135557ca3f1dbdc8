package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"runtime"
	"sync"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
	"github.com/earlywarn/earlywarn/rules"
)

// titleWatchlist gives each of the run's items (in runItemsTable) a title people read in place
// of its id (internal/title: place, category, target organisation and, when gist, the gist of its
// first case's content; in language lang, how many townships and target organisations a matter's
// cases name when several; clusters of alike titles, the day they were first flagged; cases of
// alike titles, the day they were received, and their case number when that is alike too),
// into runTitlesTable, which storeWatchlist stores with the items. The workbook, the report and
// the review app all show this one title. Go reads the facts titleRange items at a time: the
// driver holds a query's whole result, texts included, until it is read. It returns how many
// titles are bare (title.Compose: a place, and a day, only).
func titleWatchlist(ctx context.Context, q *sql.Conn, lang string, gist bool) (int64, error) {
	if err := execStatements(ctx, q, []any{sql.Named("gist", gist)}, titleFactsSQL, runTitlesSQL); err != nil {
		return 0, err
	}
	var bare int64
	err := eachRange(ctx, q, titleFactsTable, titleRange, func(from, to int64) error {
		n, err := titleItems(ctx, q, lang, gist, from, to)
		bare += n
		return err
	})
	if err != nil {
		return 0, err
	}
	return bare, execStatements(ctx, q, []any{sql.Named("from_format", i18n.T(lang, "run.title.from")),
		sql.Named("received_format", i18n.T(lang, "run.title.received")), sql.Named("case_format", i18n.T(lang, "run.title.case"))}, titleDedupSQL...)
}

// titleRange is how many items' title facts titleWatchlist reads at a time.
var titleRange int64 = 200_000

// titleItems composes the titles of the items of titleFactsTable numbered from to to-1 and
// appends them to runTitlesTable, with the gist of their content (none without gist: the facts'
// contents are then empty): read first, then composed on every core (a gist costs some 20 µs of a
// long text). It returns how many of them are bare.
func titleItems(ctx context.Context, q *sql.Conn, lang string, gist bool, from, to int64) (int64, error) {
	type item struct {
		matter string
		facts  title.Facts
	}
	items, err := db.Collect(ctx, q, titleRangeSQL, []any{sql.Named("from", from), sql.Named("to", to), sql.Named("gist", gist)}, func(rows *sql.Rows) (item, error) {
		it := item{facts: title.Facts{Lang: lang}}
		f := &it.facts
		var townships, targets int
		err := rows.Scan(&it.matter, &f.Township, &f.Village, &f.Place, &f.Category, &f.Target, &f.Content, &townships, &targets)
		if townships > 1 {
			f.MoreTownships = i18n.T(lang, "run.title.more_townships", townships)
		}
		if targets > 1 {
			f.MoreTargets = i18n.T(lang, "run.title.more_targets", targets)
		}
		return it, err
	})
	if err != nil {
		return 0, err
	}
	titles := make([]string, len(items))
	bare := make([]int64, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range bare {
		wg.Go(func() {
			for i := w; i < len(items); i += len(bare) {
				var isBare bool
				if titles[i], isBare = title.Compose(items[i].facts); isBare {
					bare[w]++
				}
			}
		})
	}
	wg.Wait()
	var n int64
	for _, b := range bare {
		n += b
	}
	return n, rules.AppendTemp(q, runTitlesTable, func(add func(...driver.Value) error) error {
		for i, it := range items {
			if err := add(it.matter, titles[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
