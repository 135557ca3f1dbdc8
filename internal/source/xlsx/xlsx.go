// Package xlsx reads xlsx workbooks for mapping profiles (format: xlsx): the sheet named by the
// profile (default the first), rows before the header skipped, blank rows ignored, cells as
// Excel shows them. Importing it enables the format in package source.
package xlsx

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/source"
)

func init() { source.OpenXLSX = open }

type reader struct {
	p     *source.Profile
	path  string
	f     *os.File
	book  *excelize.File
	rows  *excelize.Rows
	row   int64
	idx   []int
	ncols int
}

func open(p *source.Profile, path string, f *os.File) (source.Reader, error) {
	book, err := excelize.OpenReader(f)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %s is not an xlsx workbook: %v", p, path, err)
	}
	sheet := p.Sheet
	if sheet == "" {
		sheet = book.GetSheetName(0)
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		book.Close()
		return nil, fmt.Errorf("profile %s: %s: sheet %q: %v (sheets: %q)", p, path, sheet, err, book.GetSheetList())
	}
	x := &reader{p: p, path: path, f: f, book: book, rows: rows}
	for {
		if !rows.Next() {
			book.Close()
			return nil, fmt.Errorf("profile %s: %s: sheet %q has no header row", p, path, sheet)
		}
		x.row++
		cols, err := rows.Columns()
		if err != nil {
			book.Close()
			return nil, fmt.Errorf("profile %s: %s: row %d: %v", p, path, x.row, err)
		}
		if x.row <= int64(p.SkipLines) {
			continue
		}
		if p.HeaderPrefix != "" && !strings.HasPrefix(strings.Join(cols, p.Delimiter), p.HeaderPrefix) {
			continue
		}
		if x.idx, err = source.MatchColumns(p, path, cols); err != nil {
			book.Close()
			return nil, err
		}
		x.ncols = len(cols)
		return x, nil
	}
}

func (x *reader) Next() (source.Record, error) {
	for x.rows.Next() {
		x.row++
		cols, err := x.rows.Columns()
		if err != nil {
			return source.Record{Line: x.row, Err: "cannot read the row: " + err.Error()}, nil
		}
		empty := true
		for _, c := range cols {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue // spreadsheets end in blank rows
		}
		rec := source.Record{Line: x.row, Values: make([]string, len(x.idx))}
		for i, j := range x.idx {
			if j < len(cols) {
				rec.Values[i] = cols[j]
			}
		}
		return rec, nil
	}
	if err := x.rows.Error(); err != nil {
		return source.Record{}, fmt.Errorf("read %s: row %d: %w", x.path, x.row+1, err)
	}
	return source.Record{}, io.EOF
}

func (x *reader) Close() error {
	x.rows.Close()
	x.book.Close()
	return x.f.Close()
}
