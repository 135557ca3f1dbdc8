package publish

import (
	"context"
	"database/sql"
	"encoding/csv"
	"io"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// writeCSV writes a CSV file in UTF-8 with a byte-order mark, so Excel shows Chinese: the
// header, then every row of query, whose columns it scans as strings (NULL as empty) and
// passes through convert (when not nil). The file is synced before it is closed.
func writeCSV(ctx context.Context, q db.Querier, path string, header []string, convert func(rec []string), query string, args ...any) error {
	return writeFileSynced(path, func(bw io.Writer) error {
		if _, err := io.WriteString(bw, "\ufeff"); err != nil {
			return err
		}
		w := csv.NewWriter(bw)
		if err := w.Write(header); err != nil {
			return err
		}
		vals := make([]sql.NullString, len(header))
		ptrs := make([]any, len(header))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rec := make([]string, len(header))
		err := db.Query(ctx, q, query, args, func(rows *sql.Rows) error {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for i, v := range vals {
				rec[i] = v.String
			}
			if convert != nil {
				convert(rec)
			}
			return w.Write(rec)
		})
		if err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	})
}

// header returns the catalogue's text of prefix+"."+column for each column, in lang.
func header(lang, prefix string, columns []string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = i18n.T(lang, prefix+"."+c)
	}
	return out
}
