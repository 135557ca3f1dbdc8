package publish

import (
	"context"
	"database/sql"
	"encoding/csv"
	"io"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// writeCSV writes a CSV file in UTF-8 with a byte-order mark, so Excel shows Chinese: the
// header, then every row of query run with each of pages' arguments in turn (DuckDB's driver
// holds a query's whole result, so a long file is read a page at a time), whose columns it scans
// as strings (NULL as empty) and passes through convert (when not nil). Cells go through
// safeCSV: text that a spreadsheet would read as a formula is neutralised; the columns numeric
// marks keep their numbers. The file is synced before it is closed.
func writeCSV(ctx context.Context, q db.Querier, path string, header []string, numeric []bool, convert func(rec []string), query string, pages ...[]any) error {
	return writeFileSynced(path, func(bw io.Writer) error {
		if _, err := io.WriteString(bw, "\ufeff"); err != nil {
			return err
		}
		w := newSafeCSV(bw, numeric)
		if err := w.Write(header); err != nil {
			return err
		}
		vals := make([]sql.NullString, len(header))
		ptrs := make([]any, len(header))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rec := make([]string, len(header))
		for _, args := range pages {
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
		}
		return w.Flush()
	})
}

// safeCSV is the one CSV writer of every CSV file earlywarn writes (watchlist.csv,
// quarantine.csv, backtest.csv). A spreadsheet opening a CSV may run a cell that starts with
// '=', '+', '-', '@', a tab or a carriage return (OWASP's list for CSV injection) as a formula,
// so such a text cell is written with a leading single quote, as OWASP advises: Excel and
// LibreOffice then show it as text. A cell of a numeric column that
// is a plain decimal number (such as -1.50) stays as it is, so negative numbers stay numbers;
// anything else in a numeric column is treated as text.
type safeCSV struct {
	w       *csv.Writer
	numeric []bool // numeric[i]: column i holds numbers
}

func newSafeCSV(w io.Writer, numeric []bool) *safeCSV {
	return &safeCSV{w: csv.NewWriter(w), numeric: numeric}
}

// Write writes rec, neutralised, leaving rec as it was.
func (s *safeCSV) Write(rec []string) error {
	out := make([]string, len(rec))
	for i, c := range rec {
		if i < len(s.numeric) && s.numeric[i] && plainNumber(c) {
			out[i] = c
		} else {
			out[i] = neutralise(c)
		}
	}
	return s.w.Write(out)
}

// Flush flushes the writer and returns its error.
func (s *safeCSV) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

// formulaStart are the first characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"

// neutralise returns cell with a leading single quote when it starts with one of formulaStart.
func neutralise(cell string) string {
	if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}

// plainNumber reports whether s is an optionally negative decimal number: digits with at most
// one '.' between digits (no exponent, no sign but a leading '-', no spaces).
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(s, ".")
	return digits(intPart) && (!hasDot || digits(frac))
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numericColumns marks, for columns, those named in names.
func numericColumns(columns []string, names ...string) []bool {
	out := make([]bool, len(columns))
	for i, c := range columns {
		out[i] = slices.Contains(names, c)
	}
	return out
}

// header returns the catalogue's text of prefix+"."+column for each column, in lang.
func header(lang, prefix string, columns []string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = i18n.T(lang, prefix+"."+c)
	}
	return out
}
