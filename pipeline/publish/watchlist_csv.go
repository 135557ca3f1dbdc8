package publish

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// watchlistColumns are the exported columns: their names in the Parquet file, and, under
// csv.watchlist., their CSV headers in the catalogue.
var watchlistColumns = []string{
	"rank", "matter_id", "matter_kind", "tier", "state", "score", "rules", "reason", "state_note",
	"responsible_unit", "township", "category", "first_flagged", "case_ids", "contact_ids", "event_ids",
}

// csvLabel is the catalogue's label.group.code in lang, or "" for a code the catalogue lacks.
func csvLabel(lang, group, code string) string {
	key := "label." + group + "." + code
	if !i18n.Has(key) {
		return ""
	}
	return i18n.T(lang, key)
}

// writeWatchlistCSV writes the export table with headers and kind, tier and change labels in
// lang and id lists joined by ';'.
func writeWatchlistCSV(ctx context.Context, q *sql.Conn, path, lang string) error {
	return writeCSV(ctx, q, path, header(lang, "csv.watchlist", watchlistColumns),
		numericColumns(watchlistColumns, "rank", "score"), func(rec []string) {
			rec[2] = csvLabel(lang, "kind", rec[2])
			rec[3] = csvLabel(lang, "tier", rec[3])
			rec[4] = csvLabel(lang, "state", rec[4])
		}, watchlistCSVSQL)
}
