package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// recordBlock is a run of consecutive records of one file. Blocks of one file may be parsed on
// different goroutines: the records of all blocks, in the order readBlock returned them, are
// the records Next would have returned one by one.
type recordBlock struct {
	recs []record // records already parsed by a reader that cannot cut its file
	text []byte   // else CSV text of whole records (undecoded when c.raw), parsed by Each
	line int64    // lines of the file before text
	c    *csvReader
	// cut is how many records (blank lines aside) the text was cut into, which parsing it must
	// give; -1 when the reader does not count on its own.
	cut int64
	// broken is why the text's last record was cut short of where encoding/csv would end it,
	// if it was (see nextBlock).
	broken *runrecord.Reason
}

// Each calls fn with each of the block's records, in order. The record's Values are valid
// only during the call (their strings stay valid). Each may be called once per block, from
// any goroutine.
func (b *recordBlock) Each(fn func(*record)) {
	if b.c == nil {
		for i := range b.recs {
			fn(&b.recs[i])
		}
		return
	}
	text := b.text
	b.text = nil
	if b.c.raw {
		raw := text
		text = decodeGBK(textBuffer(len(raw)*3/2), raw, b.c.p.Encoding == "gb18030")
		textBuffers.Put(&raw)
	}
	b.c.parse(text, b.line, b.broken, fn)
	textBuffers.Put(&text) // the records' strings are copies
}

// Records returns the block's records, like Each.
func (b *recordBlock) Records() []record {
	if b.c == nil {
		return b.recs
	}
	var recs []record
	b.Each(func(r *record) {
		rec := *r
		rec.Values = slices.Clone(r.Values)
		recs = append(recs, rec)
	})
	return recs
}

// blockReader is a recordReader that cuts its file into blocks itself.
type blockReader interface {
	nextBlock() (*recordBlock, error)
}

// recordsPerBlock is how many records readBlock gathers from readers that parse as they go.
const recordsPerBlock = 1024

// readBlock returns the next block of r's records. The error ends the file: io.EOF at its end,
// anything else a failure to read; in both cases the block (never nil) holds the records read
// before it. A last bad record that swallowed the rest of a JSON file (isTruncated) is in
// the block and ends it with io.EOF.
func readBlock(r recordReader) (*recordBlock, error) {
	if br, ok := r.(blockReader); ok {
		return br.nextBlock()
	}
	b := &recordBlock{recs: make([]record, 0, recordsPerBlock), cut: -1}
	for len(b.recs) < recordsPerBlock {
		rec, err := r.Next()
		if err == nil || isTruncated(err) {
			b.recs = append(b.recs, rec)
		}
		if isTruncated(err) {
			return b, io.EOF
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// blockBytes is the size of the CSV text a block holds, unless one record is longer.
const blockBytes = 1 << 20

// nextBlock reads the next blockBytes of text and cuts it after its last whole record; the
// rest waits for the next block. At the end of the file the rest is the last block.
//
// Two records are cut short of where encoding/csv would end them, so that one bad quote does
// not take the records after it: a record whose quote is never closed, at the end of the file,
// and a record whose quoted field runs over line breaks into a quote error. Each ends with the
// line its quote opened on, and ends its block (it would not parse alone otherwise), and the
// lines after it are read as records again.
func (c *csvReader) nextBlock() (*recordBlock, error) {
	for {
		n := c.cut()
		if c.broken != nil {
			b := c.take(n)
			b.broken, c.broken = c.broken, nil
			return b, nil
		}
		if c.eof {
			break
		}
		if n > 0 && len(c.buf) >= blockBytes {
			return c.take(n), nil
		}
		if err := c.fill(); err != nil {
			return c.take(c.cut()), readError(c.path, err)
		}
	}
	if len(c.buf) == 0 {
		return &recordBlock{c: c, line: c.line}, io.EOF
	}
	n := c.cut()
	end := len(c.buf)
	var broken *runrecord.Reason
	if q := unclosedQuote(c.buf, n, c.delim); q >= 0 {
		broken = c.quoteReason(runrecord.ReasonQuoteNotClosed, q)
		if nl := bytes.IndexByte(c.buf[q:], '\n'); nl >= 0 {
			end = q + nl + 1
		}
	}
	if end > n && !blankLine(c.buf[n:end]) {
		c.records++ // the last record, or the one whose quote is not closed
	}
	b := c.take(end)
	b.broken = broken
	return b, nil
}

// quoteReason is a reason code naming the line of the quote at c.buf[q].
func (c *csvReader) quoteReason(code string, q int) *runrecord.Reason {
	line := c.line + int64(bytes.Count(c.buf[:q], []byte{'\n'})) + 1
	return &runrecord.Reason{Code: code, Args: []string{strconv.FormatInt(line, 10)}}
}

// overrunQuote returns the offset in text, one record as recordEnd cuts it, of the opening
// quote of a quoted field that runs over a line break into a quote error (text after its
// closing quote), or -1 when there is none.
func overrunQuote(text []byte, delim []byte) int {
	if bytes.IndexByte(text, '"') < 0 {
		return -1
	}
	i := 0
	for i < len(text) { // i is at the start of a field
		if text[i] != '"' {
			d := bytes.Index(text[i:], delim)
			if nl := bytes.IndexByte(text[i:], '\n'); d < 0 || nl >= 0 && nl < d {
				return -1 // the record's last field: no quoted field errs after a line break
			}
			i += d + len(delim)
			continue
		}
		j := closingQuote(text, i)
		switch {
		case j < 0:
			return -1
		case bytes.HasPrefix(text[j:], delim):
			i = j + len(delim)
		case j == len(text) || text[j] == '\n' || text[j] == '\r' && j+1 < len(text) && text[j+1] == '\n':
			return -1 // the record ends here
		case bytes.IndexByte(text[i:j], '\n') >= 0:
			return i
		default:
			return -1 // an error on one line: the record ends with it anyway
		}
	}
	return -1
}

// unclosedQuote returns the offset of the quote that opens a field of the record at
// data[start] and is not closed before data ends, or -1 when there is none (the record is
// whole, or its last line has no line break). The record does not end within data.
func unclosedQuote(data []byte, start int, delim []byte) int {
	i := start
	for i < len(data) { // i is at the start of a field
		if data[i] == '"' {
			j := closingQuote(data, i)
			if j < 0 {
				return i
			}
			if !bytes.HasPrefix(data[j:], delim) {
				return -1
			}
			i = j + len(delim)
			continue
		}
		d := bytes.Index(data[i:], delim)
		if nl := bytes.IndexByte(data[i:], '\n'); d < 0 || nl >= 0 && nl < d {
			return -1
		}
		i += d + len(delim)
	}
	return -1
}

// blankLine reports whether a record's text is an empty line, which encoding/csv skips.
func blankLine(text []byte) bool {
	return len(text) == 1 && text[0] == '\n' || len(text) == 2 && text[0] == '\r' && text[1] == '\n'
}

// fill appends up to blockBytes of text to c.buf, setting c.eof at the end of the file.
func (c *csvReader) fill() error {
	n := len(c.buf)
	c.buf = slices.Grow(c.buf, blockBytes)[:n+blockBytes]
	m, err := io.ReadFull(c.br, c.buf[n:])
	c.buf = c.buf[:n+m]
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		c.eof = true
		return nil
	}
	return err
}

// cut extends c.ends, the offset in c.buf just past the last whole record found so far, as
// far as c.buf allows, and returns it.
func (c *csvReader) cut() int {
	for {
		end, ok := recordEnd(c.buf, c.ends, c.delim)
		if !ok {
			return c.ends
		}
		q := -1
		if bytes.IndexByte(c.buf[c.ends:end-1], '\n') >= 0 { // only a record over several lines can
			q = overrunQuote(c.buf[c.ends:end], c.delim)
		}
		if q >= 0 {
			q += c.ends
			c.broken = c.quoteReason(runrecord.ReasonQuoteRunsOn, q)
			end = q + bytes.IndexByte(c.buf[q:], '\n') + 1
			c.records++
			c.ends = end
			return c.ends
		}
		if !blankLine(c.buf[c.ends:end]) {
			c.records++
		}
		c.ends = end
	}
}

// take returns the first n bytes of c.buf as a block and keeps the rest.
func (c *csvReader) take(n int) *recordBlock {
	b := &recordBlock{text: c.buf[:n], line: c.line, c: c, cut: c.records}
	c.records = 0
	c.line += int64(bytes.Count(b.text, []byte{'\n'}))
	c.buf = append(textBuffer(blockBytes+len(c.buf)-n), c.buf[n:]...)
	c.ends = 0
	return b
}

// textBuffers keeps the text buffers of parsed blocks for the blocks read next, which then
// need no fresh memory (and its page faults).
var textBuffers sync.Pool

// textBuffer returns an empty buffer with room for n bytes.
func textBuffer(n int) []byte {
	if b, ok := textBuffers.Get().(*[]byte); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]byte, 0, max(n, 2*blockBytes))
}

// recordEnd returns the offset just past the record that starts at data[start], delimited
// as encoding/csv's Reader (without LazyQuotes) delimits records, so that a Reader started
// there reads what a Reader over the whole file would: a record is one line, unless a quoted
// field runs over line breaks; a quote error ends the record with the line it is on. ok is
// false when data ends before the record does.
func recordEnd(data []byte, start int, delim []byte) (end int, ok bool) {
	nl := bytes.IndexByte(data[start:], '\n')
	if nl >= 0 && bytes.IndexByte(data[start:start+nl], '"') < 0 {
		return start + nl + 1, true // the common case: a line without quotes
	}
	i := start
	for { // i is at the start of a field
		if i < len(data) && data[i] == '"' {
			j := closingQuote(data, i)
			if j < 0 {
				return 0, false
			}
			if bytes.HasPrefix(data[j:], delim) {
				i = j + len(delim)
				continue
			}
			// The field ends the record (a line break follows), or the quote is an error:
			// either way the record ends with this line.
			return lineEnd(data, j)
		}
		line := data[i:]
		if k := bytes.IndexByte(line, '\n'); k >= 0 {
			line = line[:k]
		}
		d := bytes.Index(line, delim)
		if d < 0 || bytes.IndexByte(line[:d], '"') >= 0 {
			return lineEnd(data, i) // the last field, or a bare quote (an error)
		}
		i += d + len(delim)
	}
}

// closingQuote returns the offset just past the quote that closes the quoted field opening at
// data[open] ("" within it is a quote), or -1 when data ends before it is closed.
func closingQuote(data []byte, open int) int {
	j := open + 1
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return -1
		}
		j += k + 1
		if j < len(data) && data[j] == '"' {
			j++
			continue
		}
		return j
	}
}

// lineEnd returns the offset just past the line break at or after data[i].
func lineEnd(data []byte, i int) (int, bool) {
	k := bytes.IndexByte(data[i:], '\n')
	if k < 0 {
		return 0, false
	}
	return i + k + 1, true
}

// parse calls fn with each record of text, whose first line is line+1 of the file; broken is
// as recordBlock's.
func (c *csvReader) parse(text []byte, line int64, broken *runrecord.Reason, fn func(*record)) {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = c.comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	values := make([]string, len(c.idx))
	check := !goodText(c.p, text) // else no field is bad either
	var rec record                // one for all records, fn takes it for the call only
	var pe *csv.ParseError
	for {
		from := r.InputOffset()
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if size := r.InputOffset() - from; c.p.maxRecordBytes > 0 && size > c.p.maxRecordBytes {
			at, _ := r.FieldPos(0)
			if err != nil && errors.As(err, &pe) {
				at = pe.StartLine
			}
			rec = badRecord(int64(at)+line, runrecord.ReasonRecordTooLong, strconv.FormatInt(size, 10), strconv.FormatInt(c.p.maxRecordBytes, 10))
			fn(&rec)
			continue
		}
		if err != nil && errors.As(err, &pe) {
			start, at := int64(pe.StartLine)+line, strconv.FormatInt(int64(pe.Line)+line, 10)
			switch {
			case broken != nil && r.InputOffset() == int64(len(text)):
				rec = record{Line: start, Err: broken}
			case errors.Is(pe.Err, csv.ErrBareQuote):
				rec = badRecord(start, runrecord.ReasonBareQuote, at)
			case errors.Is(pe.Err, csv.ErrQuote):
				rec = badRecord(start, runrecord.ReasonTextAfterQuote, at)
			default:
				rec = badRecord(start, runrecord.ReasonUnparsable, pe.Err.Error())
			}
			fn(&rec)
			continue
		}
		at, _ := r.FieldPos(0)
		rec = record{Line: int64(at) + line}
		if len(fields) != c.ncols {
			rec = badRecord(rec.Line, runrecord.ReasonFieldCount, strconv.Itoa(len(fields)), strconv.Itoa(c.ncols))
			fn(&rec)
			continue
		}
		rec.Values = values
		for i, j := range c.idx {
			values[i] = fields[j]
			if !check {
				continue
			}
			if bad := badText(c.p, fields[j]); bad != nil {
				rec = record{Line: rec.Line, Err: bad}
				break
			}
		}
		fn(&rec)
	}
}
