package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// tsvReader reads tab-separated values: one record a line, no quoting (a quote is a
// character like any other), a trailing CR dropped.
type tsvReader struct {
	p     *mapping
	path  string
	f     *os.File
	br    *bufio.Reader
	line  int64
	idx   []int
	ncols int
	size  int64 // the bytes of the last line read
}

func openTSV(p *mapping, path string, f *os.File) (recordReader, error) {
	br := bufio.NewReaderSize(decoded(p, f), 1<<16)
	skipped, err := skipPreamble(p, path, br)
	if err != nil {
		return nil, err
	}
	t := &tsvReader{p: p, path: path, f: f, br: br, line: skipped}
	for {
		fields, err := t.fields()
		if errors.Is(err, io.EOF) {
			return nil, i18n.Errorf("ingest.profile.empty", p, path)
		}
		if err != nil {
			return nil, readError(path, err)
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
	t.size = int64(len(s))
	s = strings.TrimRight(s, "\r\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\t"), nil
}

func (t *tsvReader) Next() (record, error) {
	for {
		fields, err := t.fields()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return record{}, io.EOF
			}
			return record{}, readError(t.path, err)
		}
		if fields == nil {
			continue
		}
		if t.p.maxRecordBytes > 0 && t.size > t.p.maxRecordBytes {
			return badRecord(t.line, runrecord.ReasonRecordTooLong, strconv.FormatInt(t.size, 10), strconv.FormatInt(t.p.maxRecordBytes, 10)), nil
		}
		if len(fields) != t.ncols {
			return badRecord(t.line, runrecord.ReasonFieldCount, strconv.Itoa(len(fields)), strconv.Itoa(t.ncols)), nil
		}
		rec := record{Line: t.line, Values: make([]string, len(t.idx))}
		for i, j := range t.idx {
			if bad := badText(t.p, fields[j]); bad != nil {
				return record{Line: t.line, Err: bad}, nil
			}
			rec.Values[i] = fields[j]
		}
		return rec, nil
	}
}

func (t *tsvReader) Close() error { return t.f.Close() }

// csvReader reads comma-separated values (or another delimiter) as encoding/csv does, in
// blocks of whole records cut from the decoded text, which recordBlock.Records parses.
type csvReader struct {
	p    *mapping
	path string
	f    *os.File
	br   *bufio.Reader // text after the header: decoded, or the file's bytes when raw
	// raw says that blocks hold the file's bytes, decoded as they are parsed (rawSafe).
	raw   bool
	comma rune
	delim []byte // comma in UTF-8
	idx   []int
	ncols int
	line  int64  // lines before buf
	buf   []byte // text read but not yet taken into a block; it starts at a record
	ends  int    // offset in buf just past the last whole record found
	// records counts the records (blank lines aside) found up to ends, for the next block.
	records int64
	// broken is set when the last record found was cut short (see nextBlock).
	broken *runrecord.Reason
	eof    bool     // buf holds the rest of the file
	recs   []record // Next's records not yet returned
	err    error    // the error that ended Next's blocks
}

func openCSV(p *mapping, path string, f *os.File) (recordReader, error) {
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
		return nil, i18n.Errorf("ingest.profile.empty", p, path)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.header_line", p, path)
	}
	last, _ := r.FieldPos(len(header) - 1)
	lines := skipped + int64(last) + int64(strings.Count(header[len(header)-1], "\n"))
	idx, err := matchHeader(p, path, slices.Clone(header))
	if err != nil {
		return nil, err
	}
	c := &csvReader{p: p, path: path, f: f, br: br, comma: r.Comma, delim: []byte(string(r.Comma)),
		idx: idx, ncols: len(header), line: lines}
	if cutRaw && rawSafe(p.Encoding, c.delim) {
		// The records are cut from the file's own bytes, and each block is decoded by the
		// worker that parses it: the lines after the header's, from the start of the file.
		if c.br, err = skipLines(f, lines); err != nil {
			return nil, readError(path, err)
		}
		c.raw = true
	}
	return c, nil
}

// cutRaw lets openCSV cut GB18030 and GBK files before decoding them; tests turn it off to
// compare with decoding first.
var cutRaw = true

// skipLines returns a reader of f from its start past n line breaks (to its end if it has
// fewer).
func skipLines(f *os.File, n int64) (*bufio.Reader, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	for ; n > 0; n-- {
		_, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = br.ReadSlice('\n')
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return br, nil
}

// Next returns the records of one block after another.
func (c *csvReader) Next() (record, error) {
	for len(c.recs) == 0 {
		if c.err != nil {
			return record{}, c.err
		}
		var b *recordBlock
		b, c.err = c.nextBlock()
		c.recs = b.Records()
	}
	rec := c.recs[0]
	c.recs = c.recs[1:]
	return rec, nil
}

func (c *csvReader) Close() error { return c.f.Close() }
