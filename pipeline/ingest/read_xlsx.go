package ingest

import (
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// xlsxReader reads an xlsx workbook (format: xlsx): the sheet named by the profile (default
// the first), rows before the header skipped, blank rows ignored, cells as Excel shows them.
type xlsxReader struct {
	p     *mapping
	path  string
	f     *os.File
	book  *excelize.File
	rows  *excelize.Rows
	row   int64
	idx   []int
	ncols int
}

func openXLSX(p *mapping, path string, f *os.File) (recordReader, error) {
	book, err := excelize.OpenReader(f)
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.not_xlsx", p, path)
	}
	sheet := p.Sheet
	if sheet == "" {
		sheet = book.GetSheetName(0)
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		book.Close()
		return nil, i18n.Wrap(err, "ingest.profile.sheet", p, path, sheet, book.GetSheetList())
	}
	x := &xlsxReader{p: p, path: path, f: f, book: book, rows: rows}
	for {
		if !rows.Next() {
			book.Close()
			return nil, i18n.Errorf("ingest.profile.no_header_row", p, path, sheet)
		}
		x.row++
		cols, err := rows.Columns()
		if err != nil {
			book.Close()
			return nil, i18n.Wrap(err, "ingest.profile.row", p, path, x.row)
		}
		if x.row <= int64(p.SkipLines) {
			continue
		}
		if p.HeaderPrefix != "" && !strings.HasPrefix(strings.Join(cols, p.Delimiter), p.HeaderPrefix) {
			continue
		}
		if x.idx, err = matchColumns(p, path, cols); err != nil {
			book.Close()
			return nil, err
		}
		x.ncols = len(cols)
		return x, nil
	}
}

func (x *xlsxReader) Next() (record, error) {
	for x.rows.Next() {
		x.row++
		cols, err := x.rows.Columns()
		if err != nil {
			return badRecord(x.row, runrecord.ReasonBadRow, err.Error()), nil
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
		rec := record{Line: x.row, Values: make([]string, len(x.idx))}
		for i, j := range x.idx {
			if j < len(cols) {
				rec.Values[i] = cols[j]
			}
		}
		return rec, nil
	}
	if err := x.rows.Error(); err != nil {
		return record{}, i18n.Wrap(err, "ingest.read_row", x.path, x.row+1)
	}
	return record{}, io.EOF
}

func (x *xlsxReader) Close() error {
	x.rows.Close()
	x.book.Close()
	return x.f.Close()
}
