package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// quarantineColumns are the columns of quarantine.csv: their names in the quarantine table,
// and, under csv.quarantine., their headers in the catalogue.
var quarantineColumns = []string{"file", "line", "field", "reason", "raw"}

// writeQuarantineCSV writes the rows run runID quarantined, in file and line order, with
// headers and reasons in lang.
func writeQuarantineCSV(ctx context.Context, q *sql.Conn, path, runID, lang string) error {
	return writeCSV(ctx, q, path, header(lang, "csv.quarantine", quarantineColumns),
		func(rec []string) { rec[3] = quarantineReason(lang, rec[2], rec[3]) },
		`SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE run_id = $1 ORDER BY file, line NULLS LAST, field, reason, raw`, runID)
}

// quarantineReason renders a quarantine row's reason column in lang. The column holds the row's
// reasons without language, as package ingest stores them (see ingest.Reason): a JSON array of
// [code, field, args...], each rendered as the catalogue's quarantine.reason.<code> with its
// arguments, naming its field when that is not the row's (field), joined by
// quarantine.reason.sep. A reason not in that form (stored by an earlier earlywarn) stays as
// it is. ingest.RenderReason does the same for the stage's own messages; TestQuarantineCSV…
// in package pipeline keeps the two equal.
func quarantineReason(lang, field, stored string) string {
	var entries [][]*string
	if !strings.HasPrefix(stored, "[[") || json.Unmarshal([]byte(stored), &entries) != nil {
		return stored
	}
	parts := make([]string, 0, len(entries))
	for _, e := range entries {
		if len(e) < 2 || e[0] == nil {
			return stored
		}
		text := func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		}
		args := make([]any, 0, len(e)-2)
		for _, a := range e[2:] {
			args = append(args, text(a))
		}
		msg := i18n.T(lang, "quarantine.reason."+text(e[0]), args...)
		if f := text(e[1]); f != "" && f != field {
			msg = i18n.T(lang, "quarantine.reason.in_field", f, msg)
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, i18n.T(lang, "quarantine.reason.sep"))
}
