package ingest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// The canonical path: cases, contacts and events files in the canonical layout, read by
// DuckDB's own CSV and Parquet readers straight into their tables.

// loadCSV reads a CSV into table into, mapping columns by header name, and returns how many
// records the file has by its census, how many rows it loaded and how many records it
// quarantined: those the census took out (see census.go) and those DuckDB's reader rejected
// (bad dates or numbers), each at its first line. DuckDB reads only the records the census
// found sound, from a copy of the file without the others when there are any; a reader that
// then accounts for other than those records fails the load, naming the file.
func loadCSV(ctx context.Context, q *sql.Conn, runID string, f InputFile, into string) (read, loaded, rejected int64, err error) {
	limits := f.limits
	header, err := readHeader(f.Path)
	if err != nil {
		return 0, 0, 0, err
	}
	if err := checkColumns(f, header); err != nil {
		return 0, 0, 0, err
	}
	c, err := f.census()
	if err != nil {
		return 0, 0, 0, err
	}
	path := f.Path
	if len(c.flaws) > 0 || c.mixed {
		if path, err = soundCopy(f.Path, c, limits); err != nil {
			return 0, 0, 0, err
		}
		defer os.Remove(path)
	}
	if len(c.flaws) > 0 {
		if err := quarantineFlaws(ctx, q, runID, f.Path, c.flaws); err != nil {
			return 0, 0, 0, err
		}
	}
	r, err := q.ExecContext(ctx, csvLoadStmt(f.Table, header, into, limits), sql.Named("path", path))
	if err != nil {
		return 0, 0, 0, readError(f.Path, cleanDuckErr(err))
	}
	if loaded, err = r.RowsAffected(); err != nil {
		return 0, 0, 0, err
	}
	// The reader reports each bad field of a line; the line is one quarantined row.
	readerLines, err := db.Column[int64](ctx, q, renderSQL(csvRejectLinesSQL, nil))
	if err != nil {
		return 0, 0, 0, err
	}
	if sound := c.records - int64(len(c.flaws)); loaded+int64(len(readerLines)) != sound {
		return 0, 0, 0, i18n.Errorf("ingest.csv.count_mismatch", f.Path, sound, loaded, len(readerLines))
	}
	if len(readerLines) > 0 {
		fileLines, err := readerLinesInFile(f.Path, readerLines, limits)
		if err != nil {
			return 0, 0, 0, err
		}
		if _, err := execSQL(ctx, q, renderSQL(csvQuarantineSQL, typedColumns(f.Table)), runID, f.Path, readerLines, fileLines); err != nil {
			return 0, 0, 0, err
		}
	}
	return c.records, loaded, int64(len(c.flaws) + len(readerLines)), db.DropTemp(ctx, q, csvRejectsTable, csvScansTable)
}

// readerLinesInFile returns the file's line of each line DuckDB's reader reports (sorted),
// which counts a record over several lines, or an empty line, as one line, and reads a copy
// without the flaws.
func readerLinesInFile(path string, readerLines []int64, limits censusLimits) ([]int64, error) {
	fileLines := make([]int64, 0, len(readerLines))
	n := int64(1) // the reader's line of the record; the header is its line 1
	err := eachRecordOf(path, limits, func(rec *scanned) {
		if rec.flaw != nil && !rec.blank {
			return // not in the copy the reader read
		}
		n++
		if len(fileLines) < len(readerLines) && readerLines[len(fileLines)] == n {
			fileLines = append(fileLines, rec.line)
		}
	})
	if err == nil && len(fileLines) != len(readerLines) {
		err = i18n.Errorf("ingest.csv.count_mismatch_lines", path, readerLines[len(fileLines)])
	}
	return fileLines, err
}

// quarantineFlaws stores the records the census took out of the file at path.
func quarantineFlaws(ctx context.Context, q *sql.Conn, runID, path string, flaws []flaw) error {
	fh, err := os.Open(path)
	if err != nil {
		return readError(path, err)
	}
	defer fh.Close()
	lines := make([]int64, len(flaws))
	fields := make([]*string, len(flaws))
	reasons := make([]string, len(flaws))
	raws := make([]string, len(flaws))
	for i, fl := range flaws {
		lines[i], reasons[i] = fl.line, runrecord.EncodeReasons([]runrecord.Reason{fl.reason})
		if fl.reason.Field != "" {
			fields[i] = &fl.reason.Field
		}
		b := make([]byte, min(fl.end-fl.start, maxRawBytes))
		if _, err := fh.ReadAt(b, fl.start); err != nil && !errors.Is(err, io.EOF) {
			return readError(path, err)
		}
		raws[i] = idnum.MaskText(rawText(b, fl.end-fl.start > maxRawBytes))
	}
	_, err = execSQL(ctx, q, renderSQL(censusQuarantineSQL, nil), runID, path, lines, fields, reasons, raws)
	return err
}

// maxRawBytes is as much of a record as its quarantine row keeps.
const maxRawBytes = 4096

// rawText is a record's bytes as quarantine text: valid UTF-8, without its line break, and
// marked when cut short.
func rawText(b []byte, cut bool) string {
	if cut {
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1] // a character cut in two
		}
	}
	s := strings.ToValidUTF8(strings.TrimRight(string(b), "\r\n"), "\uFFFD")
	if cut {
		s += "…"
	}
	return s
}

// soundCopy writes a copy of the file at path without the records its census c found flawed,
// for the reader, and returns its path; the caller removes it. When c found line breaks mixed,
// every line of the copy ends with LF.
func soundCopy(path string, c census, limits censusLimits) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", readError(path, err)
	}
	defer src.Close()
	dst, err := os.CreateTemp("", "earlywarn-sound-*.csv")
	if err != nil {
		return "", i18n.Wrap(err, "ingest.csv.copy", path)
	}
	w := bufio.NewWriterSize(dst, 1<<20)
	if c.mixed {
		err = copyWithLF(w, src, c.header, limits)
	} else {
		var at int64
		for _, fl := range c.flaws {
			if _, err = io.Copy(w, io.NewSectionReader(src, at, fl.start-at)); err != nil {
				break
			}
			at = fl.end
		}
		if err == nil {
			_, err = io.Copy(w, io.NewSectionReader(src, at, 1<<62))
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst.Name())
		return "", i18n.Wrap(err, "ingest.csv.copy", path)
	}
	return dst.Name(), nil
}

// copyWithLF writes the header (its first header bytes) and the sound records of src, blank
// lines included so that the reader numbers its lines as the census does, each ending with LF.
func copyWithLF(w io.Writer, src *os.File, header int64, limits censusLimits) error {
	st, err := src.Stat()
	if err != nil {
		return err
	}
	var buf []byte
	line := func(start, end int64) {
		if err != nil {
			return
		}
		buf = slices.Grow(buf[:0], int(end-start))[:end-start]
		if _, err = src.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return
		}
		b := bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		_, err = w.Write(append(b, '\n'))
	}
	line(0, header)
	if _, eerr := eachRecord(src, st.Size(), limits, func(rec *scanned) {
		if rec.flaw == nil {
			line(rec.start, rec.end)
		}
	}); eerr != nil {
		return eerr
	}
	return err
}

// csvLoadStmt loads a canonical CSV file of table t with header into table into. The file's
// columns keep their header names where the schema knows them; the others get names of their
// own (_column_N), so that only the schema's names reach the statement.
func csvLoadStmt(t data.Table, header []string, into string, limits censusLimits) string {
	names := make([]db.Name, len(header))
	var cols []db.Name
	for i, h := range header {
		if slices.ContainsFunc(t.Columns, func(c data.Column) bool { return c.Name == h }) && !slices.Contains(cols, db.Name(h)) {
			names[i] = db.Name(h)
			cols = append(cols, names[i])
		} else {
			names[i] = db.Name(fmt.Sprintf("_column_%d", i+1))
		}
	}
	plain, text := splitText(cols)
	return renderSQL(csvLoadSQL, map[string]any{"into": db.Name(into), "table": db.Name(t.Name), "header": names, "cols": plain, "text": text,
		"max_line_size": db.Fragment(strconv.FormatInt(readerLineSize(limits), 10))})
}

// readerLineSize is the line size limit of DuckDB's reader: the census's record limit, with room
// for the empty lines the reader counts into the line after them, and never below its default.
func readerLineSize(limits censusLimits) int64 { return max(2*limits.maxBytes, 2<<20) }

// readHeader returns the column names of a CSV's first line.
func readHeader(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer fh.Close()
	br := bufio.NewReader(fh)
	if bom, _ := br.Peek(2); bytes.Equal(bom, []byte{0xff, 0xfe}) || bytes.Equal(bom, []byte{0xfe, 0xff}) {
		return nil, i18n.Errorf("ingest.csv.utf16", path)
	}
	r := csv.NewReader(br)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, i18n.Errorf("ingest.csv.empty", path)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.csv.header", path)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	return header, nil
}

// checkColumns checks a canonical file's columns (header): each of its table's required columns
// is there, and none of the table's columns is there twice (which one would load is anyone's
// guess). Columns the table lacks are not loaded, so they may repeat.
func checkColumns(f InputFile, header []string) error {
	var missing []string
	for _, c := range f.Table.Columns {
		n := 0
		for _, h := range header {
			if h == c.Name {
				n++
			}
		}
		if n > 1 {
			return i18n.Errorf("ingest.column_twice", f.Path, c.Name, n, f.Table.Name)
		}
		if c.Required && n == 0 {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		shown := header
		if len(shown) > 40 {
			shown = shown[:40]
		}
		quoted := make([]string, len(shown))
		for i, h := range shown {
			quoted[i] = strconv.Quote(h)
		}
		var required []string
		for _, c := range f.Table.Columns {
			if c.Required {
				required = append(required, c.Name)
			}
		}
		return i18n.Errorf("ingest.csv.missing_columns", f.Path, strings.Join(missing, ", "), f.Table.Name, strings.Join(required, ", "), strings.Join(quoted, ", "))
	}
	return nil
}

// plainNames are the names of t's columns, for a message.
func plainNames(t data.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// typedColumns gives csv_quarantine.sql the table's date and integer columns, as literal lists
// (” when it has none), so that a value of the wrong type is named by its type.
func typedColumns(t data.Table) map[string]any {
	var dates, ints []string
	for _, c := range t.Columns {
		switch c.Type {
		case "DATE":
			dates = append(dates, c.Name)
		case "INTEGER", "BIGINT":
			ints = append(ints, c.Name)
		}
	}
	list := func(names []string) db.Fragment {
		if len(names) == 0 {
			return db.Fragment("''")
		}
		return db.Fragment(db.LiteralList(names))
	}
	return map[string]any{"date_columns": list(dates), "integer_columns": list(ints)}
}
