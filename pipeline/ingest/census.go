package ingest

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// A census counts the records of a canonical CSV file on its raw bytes, independently of the
// reader that loads them, and finds the records that reader must not be given. It follows the
// quoting rules of DuckDB's CSV reader as the canonical load calls it (delimiter ',', quote and
// escape '"'): a field may be quoted, with spaces before the opening and after the closing
// quote; "" in a quoted field is a quote; a quote inside an unquoted field is a character like
// any other; quoted fields may run over line breaks; a line that is empty is no record. Lines
// end with LF or CR LF; one ending unlike the header's is sound, but DuckDB's reader cannot
// read the two mixed, so the copy it reads then has LF throughout. A file whose lines end with
// CR alone is refused.
//
// A flawed record is one DuckDB's reader cannot read and go on after, or reads slowly: a quote
// that is never closed (the reader would take the rest of the file as one field), text after a
// closing quote, a CR without LF outside quotes, a field count other than the header's, or
// more bytes than the limit. The census resynchronises after each: a flawed record ends with
// its line, and a quote that runs over line breaks into a flaw ends its record with the line it
// opened on, so that the records after it are read as the lines they are.

// census is what a census found in a file.
type census struct {
	records int64  // records after the header, flawed ones included
	flaws   []flaw // the flawed records, in file order
	header  int64  // bytes of the header, its line break included
	fields  int    // fields of the header
	// mixed says some records end with the other line break (LF in a CR LF file, or CR LF in
	// an LF file), which DuckDB's reader cannot read: the copy it reads has LF throughout.
	mixed bool
}

// flaw is a record the loader takes out of the file before the reader sees it.
type flaw struct {
	start, end int64 // the record's bytes, [start, end), line break included
	line       int64 // its first line
	reason     runrecord.Reason
}

// censusLimits bound a record.
type censusLimits struct {
	maxBytes int64 // a longer record is flawed
	// integers names the header's integer columns by position: a fraction there is flawed
	// (DuckDB's reader would round it: 4.6 people would load as 5). Lines with a quote are not
	// looked at for it.
	integers map[int]string
}

// takeCensus counts the records of the canonical CSV file at path, of table t.
func takeCensus(path string, t data.Table, limits censusLimits) (c census, err error) {
	header, err := readHeader(path)
	if err != nil {
		return c, err
	}
	limits.integers = map[int]string{}
	for i, h := range header {
		if j := slices.IndexFunc(t.Columns, func(c data.Column) bool { return c.Name == h }); j >= 0 && t.Columns[j].Type == "INTEGER" {
			limits.integers[i] = h
		}
	}
	err = withFile(path, func(r io.ReaderAt, size int64) error {
		c, err = countRecords(r, size, limits)
		return err
	})
	return c, err
}

// eachRecordOf calls fn with each record of the canonical CSV file at path, as eachRecord.
func eachRecordOf(path string, limits censusLimits, fn func(*scanned)) error {
	return withFile(path, func(r io.ReaderAt, size int64) error {
		_, err := eachRecord(r, size, limits, fn)
		return err
	})
}

// withFile calls fn with the file at path and its size; an error reading it names the file.
func withFile(path string, fn func(io.ReaderAt, int64) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return readError(path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err == nil {
		err = fn(fh, st.Size())
	}
	if err != nil {
		return readError(path, err)
	}
	return nil
}

// countRecords takes the census of the size bytes of r.
func countRecords(r io.ReaderAt, size int64, limits censusLimits) (census, error) {
	var c census
	header, err := eachRecord(r, size, limits, func(rec *scanned) {
		c.mixed = c.mixed || rec.mixed && rec.flaw == nil // an empty line too: the reader sees it
		if rec.blank {
			return
		}
		c.records++
		if rec.flaw != nil {
			c.flaws = append(c.flaws, flaw{start: rec.start, end: rec.end, line: rec.line, reason: *rec.flaw})
		}
	})
	c.header, c.fields = header.end, header.fields
	return c, err
}

// eachRecord calls fn with each record of r after the header, in file order, blank lines
// included, each flaw found, and returns the header.
func eachRecord(r io.ReaderAt, size int64, limits censusLimits, fn func(*scanned)) (header scanned, err error) {
	s := &csvScan{r: r, size: size, buf: make([]byte, 0, min(scanChunk, size+1))}
	if err := s.seek(0); err != nil {
		return header, err
	}
	if bytes.HasPrefix(s.buf, []byte("\ufeff")) {
		s.i = 3
	}
	// The header's line break is the file's: a CR before its first LF, other than in CR LF,
	// means lines that end with CR alone.
	nl, cr := bytes.IndexByte(s.buf, '\n'), bytes.IndexByte(s.buf, '\r')
	if cr >= 0 && (nl < 0 || cr+1 < nl) {
		return header, i18n.Errorf("ingest.csv.cr_line_breaks")
	}
	s.crlf = nl > 0 && cr == nl-1
	header, ok, err := s.next(1)
	if err != nil || !ok {
		return header, err
	}
	s.integers = limits.integers
	var rec scanned // one for all records: fn's pointer would otherwise move each to the heap
	for line := header.nextLine; ; {
		var ok bool
		if rec, ok, err = s.next(line); err != nil || !ok {
			return header, err
		}
		line = rec.nextLine
		if !rec.blank && (rec.flaw == nil || rec.flaw.Code == runrecord.ReasonNotAnInteger) && rec.fields != header.fields {
			rec.flaw = &runrecord.Reason{Code: runrecord.ReasonFieldCount, Args: []string{strconv.Itoa(rec.fields), strconv.Itoa(header.fields)}}
		}
		if !rec.blank && rec.flaw == nil && limits.maxBytes > 0 && rec.end-rec.start > limits.maxBytes {
			rec.flaw = &runrecord.Reason{Code: runrecord.ReasonRecordTooLong, Args: []string{strconv.FormatInt(rec.end-rec.start, 10), strconv.FormatInt(limits.maxBytes, 10)}}
		}
		fn(&rec)
	}
}

// scanChunk is how much of a file a census reads at once.
const scanChunk = 1 << 20

// csvScan reads the records of a file one after another.
type csvScan struct {
	r        io.ReaderAt
	size     int64
	crlf     bool   // lines end with CR LF
	buf      []byte // the file's bytes from off
	off      int64
	i        int            // the position in buf
	integers map[int]string // as censusLimits'
	// plain is where the next quote or CR in buf is (len(buf) if none), in LF files: a line
	// that ends before it is counted in one pass.
	plain int
}

// scanned is one record a csvScan read.
type scanned struct {
	start, end int64 // its bytes; end is where the next record starts
	line       int64 // its first line
	nextLine   int64 // the next record's first line
	fields     int
	blank      bool              // an empty line
	mixed      bool              // it ends with the other line break than the file's
	flaw       *runrecord.Reason // why it is flawed, if it is (field count and size aside)
}

func (s *csvScan) pos() int64 { return s.off + int64(s.i) }

// seek reads the chunk at offset at.
func (s *csvScan) seek(at int64) error {
	n, err := s.r.ReadAt(s.buf[:cap(s.buf)], at)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	s.buf, s.off, s.i, s.plain = s.buf[:n], at, 0, 0
	return err
}

// more reads the next chunk when the current one is used up; false at the end of the file.
func (s *csvScan) more() (bool, error) {
	if s.i < len(s.buf) {
		return true, nil
	}
	if s.pos() >= s.size {
		return false, nil
	}
	err := s.seek(s.pos())
	return len(s.buf) > 0, err
}

// The states of a record's scan.
const (
	atFieldStart = iota // spaces may precede an opening quote
	inUnquoted
	inQuoted
	atQuote      // a quote in a quoted field: it closes the field or, doubled, is a quote
	afterClosing // spaces after a closing quote
)

// next reads the record that starts at the current position, on line; ok is false at the end
// of the file.
func (s *csvScan) next(line int64) (rec scanned, ok bool, err error) {
	if more, err := s.more(); !more || err != nil {
		return rec, false, err
	}
	rec = scanned{start: s.pos(), line: line, fields: 1}
	// Most lines have no quote and no stray CR: their fields are their commas plus one.
	if nl := bytes.IndexByte(s.buf[s.i:], '\n'); nl >= 0 {
		body := s.buf[s.i : s.i+nl]
		if s.crlf && len(body) > 0 && body[len(body)-1] == '\r' {
			body = body[:len(body)-1]
		}
		if s.i >= s.plain && !s.crlf {
			s.plain = len(s.buf)
			if q := bytes.IndexByte(s.buf[s.i:], '"'); q >= 0 {
				s.plain = s.i + q
			}
			if r := bytes.IndexByte(s.buf[s.i:s.plain], '\r'); r >= 0 {
				s.plain = s.i + r
			}
		}
		if s.i+nl <= s.plain || bytes.IndexByte(body, '"') < 0 && bytes.IndexByte(body, '\r') < 0 && (!s.crlf || len(body) < nl) {
			rec.fields += bytes.Count(body, []byte{','})
			rec.blank = len(body) == 0
			if len(s.integers) > 0 && bytes.IndexByte(body, '.') >= 0 {
				rec.flaw = s.fraction(body)
			}
			s.i += nl + 1
			rec.end, rec.nextLine = s.pos(), line+1
			return rec, true, nil
		}
	}
	return s.slow(rec)
}

// fraction returns why a line has a fraction in an integer column, or nil when it has none.
func (s *csvScan) fraction(body []byte) *runrecord.Reason {
	for i := 0; len(body) > 0 || i == 0; i++ {
		field := body
		if c := bytes.IndexByte(body, ','); c >= 0 {
			field, body = body[:c], body[c+1:]
		} else {
			body = nil
		}
		name, ok := s.integers[i]
		if !ok || bytes.IndexByte(field, '.') < 0 {
			continue
		}
		v, err := strconv.ParseFloat(string(bytes.TrimSpace(field)), 64)
		if err == nil && v != math.Trunc(v) {
			return &runrecord.Reason{Code: runrecord.ReasonNotAnInteger, Field: name}
		}
	}
	return nil
}

// slow reads a record byte by byte.
func (s *csvScan) slow(rec scanned) (scanned, bool, error) {
	state := atFieldStart
	lines := int64(0)         // line breaks so far
	var quoteLine int64       // the line of the last opening quote
	quoteLineEnd := int64(-1) // just past the line break after it, once seen
	empty := true
	end := func() (scanned, bool, error) {
		rec.end, rec.nextLine = s.pos(), rec.line+lines
		rec.blank = empty && rec.fields == 1
		return rec, true, nil
	}
	// flawed ends the record with its current line, or, when a quoted field has run over a
	// line break, with the line its quote opened on, and reads on after it.
	flawed := func(code string, args ...string) (scanned, bool, error) {
		rec.flaw = &runrecord.Reason{Code: code, Args: args}
		if state == atQuote || state == afterClosing || state == inQuoted {
			if quoteLine < rec.line+lines {
				if code == runrecord.ReasonTextAfterQuote {
					rec.flaw.Code = runrecord.ReasonQuoteRunsOn
				}
				if quoteLineEnd < 0 {
					quoteLineEnd = s.size
				}
				rec.end, rec.nextLine = quoteLineEnd, quoteLine+1
				return rec, true, s.seek(rec.end)
			}
		}
		for { // the rest of the line
			if nl := bytes.IndexByte(s.buf[s.i:], '\n'); nl >= 0 {
				s.i += nl + 1
				lines++
				break
			}
			s.i = len(s.buf)
			if more, err := s.more(); err != nil {
				return rec, false, err
			} else if !more {
				lines++ // the last line, without a line break
				break
			}
		}
		rec.end, rec.nextLine = s.pos(), rec.line+lines
		return rec, true, nil
	}
	// lineEnd takes the line break at the current position, LF or CR LF, noting one unlike the
	// file's; false for a CR without LF.
	lineEnd := func(c byte) (bool, error) {
		if c == '\n' {
			s.i++
			rec.mixed = s.crlf
			return true, nil
		}
		s.i++
		if more, err := s.more(); err != nil || !more {
			return false, err
		}
		if s.buf[s.i] == '\n' {
			s.i++
			rec.mixed = !s.crlf
			return true, nil
		}
		return false, nil
	}
	for {
		more, err := s.more()
		if err != nil {
			return rec, false, err
		}
		if !more {
			if state == inQuoted {
				return flawed(runrecord.ReasonQuoteNotClosed, strconv.FormatInt(quoteLine, 10))
			}
			lines++ // the last line, without a line break
			return end()
		}
		c := s.buf[s.i]
		if state == inQuoted {
			q := bytes.IndexByte(s.buf[s.i:], '"')
			run := s.buf[s.i:]
			if q >= 0 {
				run = run[:q]
			}
			if quoteLineEnd < 0 {
				if nl := bytes.IndexByte(run, '\n'); nl >= 0 {
					quoteLineEnd = s.pos() + int64(nl) + 1
				}
			}
			lines += int64(bytes.Count(run, []byte{'\n'}))
			s.i += len(run)
			if q >= 0 {
				s.i++
				state = atQuote
			}
			continue
		}
		if c == '\n' || c == '\r' {
			ended, err := lineEnd(c)
			if err != nil {
				return rec, false, err
			}
			if !ended {
				return flawed(runrecord.ReasonStrayLineBreak)
			}
			lines++
			return end()
		}
		switch state {
		case atFieldStart:
			switch c {
			case ' ':
			case '"':
				state, quoteLine, quoteLineEnd = inQuoted, rec.line+lines, -1
			case ',':
				rec.fields++
			default:
				state = inUnquoted
			}
			empty = false
		case inUnquoted:
			if c == ',' {
				rec.fields++
				state = atFieldStart
			}
		case atQuote:
			switch c {
			case '"':
				state = inQuoted
			case ',':
				rec.fields++
				state = atFieldStart
			case ' ':
				state = afterClosing
			default:
				return flawed(runrecord.ReasonTextAfterQuote, strconv.FormatInt(quoteLine, 10))
			}
		case afterClosing:
			switch c {
			case ' ':
			case ',':
				rec.fields++
				state = atFieldStart
			default:
				return flawed(runrecord.ReasonTextAfterQuote, strconv.FormatInt(quoteLine, 10))
			}
		}
		s.i++
	}
}
