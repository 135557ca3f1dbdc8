package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Record is one source record: its line in the file (the row for xlsx, the record's first line
// for multi-line CSV records and JSON), the values of Profile.Columns, and, when the record
// could not be read, why (Values is then nil).
type Record struct {
	Line   int64
	Values []string
	Err    string
}

// Reader yields the records of one file.
type Reader interface {
	// Next returns the next record, or io.EOF after the last. Other errors end the file.
	Next() (Record, error)
	Close() error
}

// ErrMissingColumn is returned by Open when the file lacks a column the profile maps.
var ErrMissingColumn = errors.New("missing column")

// Open opens path with the profile's format and encoding, skips the preamble and matches the
// profile's columns to the header by name. A file without a header, or without a column the
// profile names, is an error naming the profile, the file and the column.
func Open(p *Profile, path string) (Reader, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, errors.Unwrap(err))
	}
	var r Reader
	switch p.Format {
	case "csv":
		r, err = openCSV(p, path, fh)
	case "tsv":
		r, err = openTSV(p, path, fh)
	case "json":
		r, err = openJSON(p, path, fh)
	case "ndjson":
		r, err = openNDJSON(p, path, fh)
	case "xlsx":
		if OpenXLSX == nil {
			err = fmt.Errorf("profile %s: this build cannot read xlsx (import internal/source/xlsx)", p)
		} else {
			r, err = OpenXLSX(p, path, fh)
		}
	default:
		err = fmt.Errorf("profile %s: unknown format %q", p, p.Format)
	}
	if err != nil {
		fh.Close()
		return nil, err
	}
	return r, nil
}

// OpenXLSX opens an xlsx workbook; package internal/source/xlsx sets it, so that only
// programs that read workbooks link the spreadsheet library.
var OpenXLSX func(p *Profile, path string, f *os.File) (Reader, error)

// decoded wraps a file in the profile's character decoding.
func decoded(p *Profile, r io.Reader) io.Reader {
	switch p.Encoding {
	case "gb18030":
		return transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	case "gbk":
		return transform.NewReader(r, simplifiedchinese.GBK.NewDecoder())
	}
	return r
}

// badText says why decoded text is unusable, or "" when it is fine: invalid UTF-8 where the
// profile says UTF-8, or replacement characters left by a GB18030/GBK decoder.
func badText(p *Profile, s string) string {
	if p.Encoding == "utf-8" {
		if !utf8.ValidString(s) {
			return "not valid UTF-8; if the file is in a Chinese encoding set encoding: gb18030 in the profile"
		}
		return ""
	}
	if strings.ContainsRune(s, utf8.RuneError) {
		return "bytes that are not valid " + p.Encoding + "; check the profile's encoding"
	}
	return ""
}

// goodText reports whether badText finds nothing wrong anywhere in b.
func goodText(p *Profile, b []byte) bool {
	if p.Encoding == "utf-8" {
		return utf8.Valid(b)
	}
	return !bytes.Contains(b, []byte(string(utf8.RuneError)))
}

// MatchColumns matches the profile's columns to a header row by name (cells trimmed) and
// returns their positions; a missing or doubled column is an error naming profile and file.
func MatchColumns(p *Profile, path string, header []string) ([]int, error) {
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	return columnIndex(p, path, header)
}

// columnIndex maps the profile's columns to positions in header.
func columnIndex(p *Profile, path string, header []string) ([]int, error) {
	idx := make([]int, len(p.columns))
	for i, c := range p.columns {
		idx[i] = -1
		for j, h := range header {
			if h == c {
				if idx[i] >= 0 {
					return nil, fmt.Errorf("profile %s: %s has column %q twice; rename one", p, path, c)
				}
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			shown := header
			if len(shown) > 40 {
				shown = shown[:40]
			}
			return nil, fmt.Errorf("profile %s: %s has no column %q (%w; the header has %q); fix the profile's column name or the file",
				p, path, c, ErrMissingColumn, shown)
		}
	}
	return idx, nil
}

// skipPreamble consumes the lines before the header and returns how many it skipped.
func skipPreamble(p *Profile, path string, br *bufio.Reader) (int64, error) {
	var n int64
	if p.SkipLines == 0 && p.HeaderPrefix == "" {
		return 0, nil
	}
	for {
		if p.SkipLines > 0 && n == int64(p.SkipLines) {
			return n, nil
		}
		if p.HeaderPrefix != "" {
			peek, _ := br.Peek(len(p.HeaderPrefix) + 3)
			peek = bytes.TrimPrefix(peek, []byte("\ufeff"))
			if bytes.HasPrefix(peek, []byte(p.HeaderPrefix)) {
				return n, nil
			}
		}
		_, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = br.ReadSlice('\n')
		}
		if err == io.EOF {
			if p.HeaderPrefix != "" {
				return n, fmt.Errorf("profile %s: %s has no header line starting %q (header_prefix)", p, path, p.HeaderPrefix)
			}
			return n, fmt.Errorf("profile %s: %s ends within the %d lines of preamble (skip_lines)", p, path, p.SkipLines)
		}
		if err != nil {
			return n, fmt.Errorf("read %s: %w", path, err)
		}
		n++
	}
}

// header cleans a header row and matches the profile's columns to it.
func matchHeader(p *Profile, path string, header []string) ([]int, error) {
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if msg := badText(p, header[i]); msg != "" {
			return nil, fmt.Errorf("profile %s: %s: the header is %s", p, path, msg)
		}
	}
	return columnIndex(p, path, header)
}

// tsvReader reads tab-separated values: one record a line, no quoting (a quote is a
// character like any other), a trailing CR dropped.
type tsvReader struct {
	p     *Profile
	path  string
	f     *os.File
	br    *bufio.Reader
	line  int64
	idx   []int
	ncols int
}

func openTSV(p *Profile, path string, f *os.File) (Reader, error) {
	br := bufio.NewReaderSize(decoded(p, f), 1<<16)
	skipped, err := skipPreamble(p, path, br)
	if err != nil {
		return nil, err
	}
	t := &tsvReader{p: p, path: path, f: f, br: br, line: skipped}
	for {
		fields, err := t.fields()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("profile %s: %s is empty; it needs a header line naming its columns", p, path)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if fields == nil {
			continue // blank line
		}
		if t.idx, err = matchHeader(p, path, fields); err != nil {
			return nil, err
		}
		t.ncols = len(fields)
		return t, nil
	}
}

// fields reads the next line; nil for a blank one.
func (t *tsvReader) fields() ([]string, error) {
	s, err := t.br.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return nil, err
	}
	t.line++
	s = strings.TrimRight(s, "\r\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\t"), nil
}

func (t *tsvReader) Next() (Record, error) {
	for {
		fields, err := t.fields()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Record{}, io.EOF
			}
			return Record{}, fmt.Errorf("read %s: %w", t.path, err)
		}
		if fields == nil {
			continue
		}
		if len(fields) != t.ncols {
			return Record{Line: t.line, Err: fmt.Sprintf("has %d fields, the header has %d", len(fields), t.ncols)}, nil
		}
		rec := Record{Line: t.line, Values: make([]string, len(t.idx))}
		for i, j := range t.idx {
			if msg := badText(t.p, fields[j]); msg != "" {
				return Record{Line: t.line, Err: msg}, nil
			}
			rec.Values[i] = fields[j]
		}
		return rec, nil
	}
}

func (t *tsvReader) Close() error { return t.f.Close() }

// csvReader reads comma-separated values (or another delimiter) as encoding/csv does, in
// blocks of whole records cut from the decoded text, which Block.Records parses.
type csvReader struct {
	p     *Profile
	path  string
	f     *os.File
	br    *bufio.Reader // decoded text after the header
	comma rune
	delim []byte // comma in UTF-8
	idx   []int
	ncols int
	line  int64    // lines before buf
	buf   []byte   // text read but not yet taken into a block; it starts at a record
	ends  int      // offset in buf just past the last whole record found
	eof   bool     // buf holds the rest of the file
	recs  []Record // Next's records not yet returned
	err   error    // the error that ended Next's blocks
}

func openCSV(p *Profile, path string, f *os.File) (Reader, error) {
	br := bufio.NewReaderSize(decoded(p, f), 1<<16)
	skipped, err := skipPreamble(p, path, br)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(br) // br, not a copy: the records after the header stay in br
	r.Comma, _ = utf8.DecodeRuneInString(p.Delimiter)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("profile %s: %s is empty; it needs a header line naming its columns", p, path)
	}
	if err != nil {
		return nil, fmt.Errorf("profile %s: %s: header line: %v", p, path, err)
	}
	last, _ := r.FieldPos(len(header) - 1)
	lines := skipped + int64(last) + int64(strings.Count(header[len(header)-1], "\n"))
	idx, err := matchHeader(p, path, slices.Clone(header))
	if err != nil {
		return nil, err
	}
	return &csvReader{p: p, path: path, f: f, br: br, comma: r.Comma, delim: []byte(string(r.Comma)),
		idx: idx, ncols: len(header), line: lines}, nil
}

// Next returns the records of one block after another.
func (c *csvReader) Next() (Record, error) {
	for len(c.recs) == 0 {
		if c.err != nil {
			return Record{}, c.err
		}
		var b *Block
		b, c.err = c.nextBlock()
		c.recs = b.Records()
	}
	rec := c.recs[0]
	c.recs = c.recs[1:]
	return rec, nil
}

func (c *csvReader) Close() error { return c.f.Close() }

// jsonReader reads a JSON array of objects, or a Socrata export {"meta":{"view":{"columns":
// [{"fieldName":…}]}},"data":[[…],…]} whose rows are arrays.
type jsonReader struct {
	p      *Profile
	path   string
	f      *os.File
	body   []byte
	dec    *json.Decoder
	fields []string // Socrata column names; nil for objects
	pos    int64    // byte offset counted for lines so far
	line   int64
	seen   []bool
	any    bool
}

func openJSON(p *Profile, path string, f *os.File) (Reader, error) {
	body, err := io.ReadAll(decoded(p, f))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("profile %s: %s is empty; it needs a JSON array of records", p, path)
	}
	if msg := badText(p, string(body)); msg != "" {
		return nil, fmt.Errorf("profile %s: %s is %s", p, path, msg)
	}
	r := &jsonReader{p: p, path: path, f: f, body: body, line: 1, seen: make([]bool, len(p.columns))}
	r.dec = json.NewDecoder(bytes.NewReader(body))
	r.dec.UseNumber()
	tok, err := r.dec.Token()
	if err != nil {
		return nil, fmt.Errorf("profile %s: %s is not JSON: %v", p, path, err)
	}
	switch tok {
	case json.Delim('['):
	case json.Delim('{'):
		if err := r.socrataHeader(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("profile %s: %s must hold a JSON array of records or a Socrata export with meta and data", p, path)
	}
	return r, nil
}

// socrataHeader reads the object keys up to "data", taking column names from meta.view.columns.
func (r *jsonReader) socrataHeader() error {
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return fmt.Errorf("profile %s: %s: %v", r.p, r.path, err)
		}
		key, _ := tok.(string)
		if key == "data" {
			if r.fields == nil {
				return fmt.Errorf("profile %s: %s has data before meta.view.columns; cannot name its columns", r.p, r.path)
			}
			if t, err := r.dec.Token(); err != nil || t != json.Delim('[') {
				return fmt.Errorf("profile %s: %s: data is not an array", r.p, r.path)
			}
			for i, c := range r.p.columns {
				if !slices.Contains(r.fields, c) {
					return fmt.Errorf("profile %s: %s has no column %q (%w; meta.view.columns names %q)", r.p, r.path, c, ErrMissingColumn, r.fields)
				}
				r.seen[i] = true
			}
			return nil
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return fmt.Errorf("profile %s: %s: %v", r.p, r.path, err)
		}
		if key == "meta" {
			var meta struct {
				View struct {
					Columns []struct {
						FieldName string `json:"fieldName"`
						Name      string `json:"name"`
					} `json:"columns"`
				} `json:"view"`
			}
			if err := json.Unmarshal(v, &meta); err != nil {
				return fmt.Errorf("profile %s: %s: meta: %v", r.p, r.path, err)
			}
			for _, c := range meta.View.Columns {
				name := c.FieldName
				if slices.Contains(r.p.columns, c.Name) && !slices.Contains(r.p.columns, name) {
					name = c.Name
				}
				r.fields = append(r.fields, name)
			}
		}
	}
	return fmt.Errorf("profile %s: %s has no data array", r.p, r.path)
}

func (r *jsonReader) lineAt(off int64) int64 {
	if off > int64(len(r.body)) {
		off = int64(len(r.body))
	}
	for ; r.pos < off; r.pos++ {
		if r.body[r.pos] == '\n' {
			r.line++
		}
	}
	return r.line
}

func (r *jsonReader) Next() (Record, error) {
	if !r.dec.More() {
		for i, ok := range r.seen {
			if !ok && r.any && r.p.keyColumn(i) {
				return Record{}, fmt.Errorf("profile %s: %s has no column %q in any record (%w); fix the profile's column name or the file", r.p, r.path, r.p.columns[i], ErrMissingColumn)
			}
		}
		return Record{}, io.EOF
	}
	// The offset after the previous value may sit before the comma; skip separators.
	off := r.dec.InputOffset()
	for off < int64(len(r.body)) && strings.IndexByte(" \t\r\n,", r.body[off]) >= 0 {
		off++
	}
	line := r.lineAt(off)
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		// A syntax error leaves the decoder unusable: the rest of the file is one bad record.
		return Record{Line: line, Err: "invalid JSON from here to the end of the file: " + err.Error()}, errTruncated
	}
	r.any = true
	rec := Record{Line: line, Values: make([]string, len(r.p.columns))}
	if r.fields != nil {
		var row []json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil || len(row) != len(r.fields) {
			return Record{Line: line, Err: fmt.Sprintf("a data row must be an array of %d values", len(r.fields))}, nil
		}
		for i, c := range r.p.columns {
			rec.Values[i] = jsonText(row[slices.Index(r.fields, c)])
		}
		return rec, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Record{Line: line, Err: "a record must be a JSON object"}, nil
	}
	for i, c := range r.p.columns {
		if v, ok := obj[c]; ok {
			r.seen[i] = true
			rec.Values[i] = jsonText(v)
		}
	}
	return rec, nil
}

func (r *jsonReader) Close() error { return r.f.Close() }

// errTruncated ends a file after a final bad record that swallowed the rest of it.
var errTruncated = errors.New("rest of file unreadable")

// IsTruncated reports whether Next's error marks a last, bad record (which the caller should
// still account for) rather than a failure to read.
func IsTruncated(err error) bool { return errors.Is(err, errTruncated) }

// jsonText renders a JSON value as text: strings unquoted, null empty, others as written.
func jsonText(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	if v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	}
	return string(v)
}

type ndjsonReader struct {
	p    *Profile
	path string
	f    *os.File
	sc   *bufio.Scanner
	line int64
	seen []bool
	any  bool
}

func openNDJSON(p *Profile, path string, f *os.File) (Reader, error) {
	sc := bufio.NewScanner(decoded(p, f))
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20)
	return &ndjsonReader{p: p, path: path, f: f, sc: sc, seen: make([]bool, len(p.columns))}, nil
}

func (r *ndjsonReader) Next() (Record, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if r.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(b) == 0 {
			continue
		}
		if msg := badText(r.p, string(b)); msg != "" {
			return Record{Line: r.line, Err: msg}, nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return Record{Line: r.line, Err: "not a JSON object: " + err.Error()}, nil
		}
		r.any = true
		rec := Record{Line: r.line, Values: make([]string, len(r.p.columns))}
		for i, c := range r.p.columns {
			if v, ok := obj[c]; ok {
				r.seen[i] = true
				rec.Values[i] = jsonText(v)
			}
		}
		return rec, nil
	}
	if err := r.sc.Err(); err != nil {
		return Record{}, fmt.Errorf("read %s: line %d: %w", r.path, r.line+1, err)
	}
	if !r.any {
		return Record{}, fmt.Errorf("profile %s: %s holds no JSON records", r.p, r.path)
	}
	for i, ok := range r.seen {
		if !ok && r.p.keyColumn(i) {
			return Record{}, fmt.Errorf("profile %s: %s has no column %q in any record (%w); fix the profile's column name or the file", r.p, r.path, r.p.columns[i], ErrMissingColumn)
		}
	}
	return Record{}, io.EOF
}

func (r *ndjsonReader) Close() error { return r.f.Close() }
