package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// record is one source record: its line in the file (the row for xlsx, the record's first line
// for multi-line CSV records and JSON), the values of mapping.columns, and, when the record
// could not be read, why (Values is then nil).
type record struct {
	Line   int64
	Values []string
	Err    *runrecord.Reason
}

// badRecord is a record at line that could not be read, for reason code with args.
func badRecord(line int64, code string, args ...string) record {
	return record{Line: line, Err: &runrecord.Reason{Code: code, Args: args}}
}

// recordReader yields the records of one file.
type recordReader interface {
	// Next returns the next record, or io.EOF after the last. Other errors end the file.
	Next() (record, error)
	Close() error
}

// errMissingColumn is returned by openSource when the file lacks a column the profile maps.
var errMissingColumn = errors.New("missing column")

// openSource opens path with the profile's format and encoding, skips the preamble and
// matches the profile's columns to the header by name. A file without a header, or without a
// column the profile names, is an error naming the profile, the file and the column.
func openSource(p *mapping, path string) (recordReader, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, readError(path, errors.Unwrap(err))
	}
	var r recordReader
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
		r, err = openXLSX(p, path, fh)
	default:
		err = i18n.Errorf("ingest.profile.format", p, p.Format)
	}
	if err != nil {
		fh.Close()
		return nil, err
	}
	return r, nil
}

// decoded wraps a file in the profile's character decoding.
func decoded(p *mapping, r io.Reader) io.Reader {
	switch p.Encoding {
	case "gb18030":
		return transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	case "gbk":
		return transform.NewReader(r, simplifiedchinese.GBK.NewDecoder())
	}
	return r
}

// badText says why decoded text is unusable, or nil when it is fine: invalid UTF-8 where the
// profile says UTF-8, or replacement characters left by a GB18030/GBK decoder.
func badText(p *mapping, s string) *runrecord.Reason {
	if p.Encoding == "utf-8" {
		if !utf8.ValidString(s) {
			return &runrecord.Reason{Code: runrecord.ReasonNotUTF8}
		}
		return nil
	}
	if strings.ContainsRune(s, utf8.RuneError) {
		return &runrecord.Reason{Code: runrecord.ReasonBadBytes, Args: []string{p.Encoding}}
	}
	return nil
}

// textError is the error of a header (what "header" or "file") whose text badText finds
// unusable.
func textError(p *mapping, path, what string, r *runrecord.Reason) error {
	return i18n.Errorf("ingest.profile."+what+"_"+r.Code, append([]any{p, path}, stringArgs(r.Args)...)...)
}

// goodText reports whether badText finds nothing wrong anywhere in b.
func goodText(p *mapping, b []byte) bool {
	if p.Encoding == "utf-8" {
		return utf8.Valid(b)
	}
	return !bytes.Contains(b, []byte(string(utf8.RuneError)))
}

// matchColumns matches the profile's columns to a header row by name (cells trimmed) and
// returns their positions; a missing or doubled column is an error naming profile and file.
func matchColumns(p *mapping, path string, header []string) ([]int, error) {
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	return columnIndex(p, path, header)
}

// columnIndex maps the profile's columns to positions in header; every column the header
// lacks is named at once.
func columnIndex(p *mapping, path string, header []string) ([]int, error) {
	idx := make([]int, len(p.columns))
	var missing nameList
	var keys []string // where the profile names the missing columns
	for i, c := range p.columns {
		idx[i] = -1
		for j, h := range header {
			if h == c {
				if idx[i] >= 0 {
					return nil, i18n.Errorf("ingest.profile.column_twice", p, path, c)
				}
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			missing = append(missing, quoteMissing(c, header))
			keys = append(keys, p.ColumnKeys(c)...)
		}
	}
	if missing != nil {
		shown := header
		if len(shown) > maxHeaderShown {
			shown = append(slices.Clip(shown[:maxHeaderShown]), "…")
		}
		quoted := make([]string, len(shown))
		for i, h := range shown {
			quoted[i] = strconv.Quote(h)
		}
		return nil, missingColumnf("ingest.profile.no_column", p, path, missing, strings.Join(quoted, ", "), strings.Join(keys, "; "))
	}
	return idx, nil
}

// maxHeaderShown is how many of a header's columns an error names before "…".
const maxHeaderShown = 200

// quoteMissing quotes column c, which header lacks, with the header's columns that differ from
// it only in case, spaces, underscores or full-width letters ("Created date" for Created Date).
func quoteMissing(c string, header []string) any {
	var near []string
	for _, h := range header {
		if looseName(h) == looseName(c) {
			near = append(near, strconv.Quote(h))
		}
	}
	if near == nil {
		return strconv.Quote(c)
	}
	return i18n.Errorf("ingest.profile.no_column_near", strconv.Quote(c), strings.Join(near, ", "))
}

// nameList is a list of names, some of them messages (i18n.Localizer), written in a language.
type nameList []any

func (l nameList) Localize(lang string) string {
	parts := make([]string, len(l))
	for i, n := range l {
		if m, ok := n.(i18n.Localizer); ok {
			parts[i] = m.Localize(lang)
		} else {
			parts[i] = fmt.Sprint(n)
		}
	}
	return strings.Join(parts, ", ")
}

func (l nameList) String() string { return l.Localize(i18n.Default) }

// looseName is a column name without case, spaces, underscores and full width.
func looseName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '\u3000' {
			return -1
		}
		return r
	}, strings.ToLower(foldWidth(s)))
}

// skipPreamble consumes the lines before the header and returns how many it skipped.
func skipPreamble(p *mapping, path string, br *bufio.Reader) (int64, error) {
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
				return n, i18n.Errorf("ingest.profile.no_header_prefix", p, path, p.HeaderPrefix, p.Encoding)
			}
			return n, i18n.Errorf("ingest.profile.short_preamble", p, path, p.SkipLines)
		}
		if err != nil {
			return n, readError(path, err)
		}
		n++
	}
}

// header cleans a header row and matches the profile's columns to it.
func matchHeader(p *mapping, path string, header []string) ([]int, error) {
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if bad := badText(p, header[i]); bad != nil {
			return nil, textError(p, path, "header", bad)
		}
	}
	return columnIndex(p, path, header)
}

// errTruncated ends a file after a final bad record that swallowed the rest of it.
var errTruncated = errors.New("rest of file unreadable")

// isTruncated reports whether Next's error marks a last, bad record (which the caller should
// still account for) rather than a failure to read.
func isTruncated(err error) bool { return errors.Is(err, errTruncated) }
