package publish

import (
	"context"
	"database/sql"
	"slices"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// watchlistColumns are the exported columns: their names in the Parquet file, and, under
// csv.watchlist., their CSV headers in the catalogue. The CSV shows the rules by their names
// in its language and adds their ids last (csvColumns); the Parquet file holds the ids.
var watchlistColumns = []string{
	"rank", "matter_id", "title", "matter_kind", "tier", "state", "score", "rules", "reason", "state_note",
	"responsible_unit", "township", "category", "first_flagged", "days_overdue", "case_ids", "contact_ids",
	"event_ids",
}

// csvColumns are watchlist.csv's columns.
var csvColumns = append(slices.Clone(watchlistColumns), "rule_ids")

// csvLabel is the catalogue's label.group.code in lang, or "" for a code the catalogue lacks.
func csvLabel(lang, group, code string) string {
	key := "label." + group + "." + code
	if !i18n.Has(key) {
		return ""
	}
	return i18n.T(lang, key)
}

// csvPageRows is how many matters watchlist.csv reads at a time: DuckDB's driver holds a
// query's whole result, and the full list of a province runs to millions.
var csvPageRows int64 = 50_000

// writeWatchlistCSV writes run runID's watchlist, in rank order, with headers, reasons, kind,
// tier and change labels and rule names in lang, and id lists joined by ';'. It reads the
// watchlist a page of csvPageRows ranks at a time.
func writeWatchlistCSV(ctx context.Context, q *sql.Conn, path, runID, lang string) error {
	rules, err := review.LoadRules(ctx, q, runID)
	if err != nil {
		return err
	}
	var last int64
	if err := q.QueryRowContext(ctx, watchlistRanksSQL, runID).Scan(&last); err != nil {
		return err
	}
	var pages [][]any
	for _, rg := range db.RowRanges(1, last, csvPageRows) {
		pages = append(pages, []any{runID, rg[0], rg[1]})
	}
	return writeCSV(ctx, q, path, header(lang, "csv.watchlist", csvColumns),
		numericColumns(csvColumns, "rank", "score", "days_overdue"), func(rec []string) {
			rec[3] = csvLabel(lang, "kind", rec[3])
			rec[4] = csvLabel(lang, "tier", rec[4])
			rec[5] = csvLabel(lang, "state", rec[5])
			rec[7] = rules.JoinIDs(lang, rec[7])
		}, watchlistCSVSQL.in(lang), pages...)
}
