package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// jsonReader reads a JSON array of objects, or a Socrata export {"meta":{"view":{"columns":
// [{"fieldName":…}]}},"data":[[…],…]} whose rows are arrays.
type jsonReader struct {
	p      *mapping
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

func openJSON(p *mapping, path string, f *os.File) (recordReader, error) {
	body, err := io.ReadAll(decoded(p, f))
	if err != nil {
		return nil, readError(path, err)
	}
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, i18n.Errorf("ingest.profile.json_empty", p, path)
	}
	if bad := badText(p, string(body)); bad != nil {
		return nil, textError(p, path, "file", bad)
	}
	r := &jsonReader{p: p, path: path, f: f, body: body, line: 1, seen: make([]bool, len(p.columns))}
	r.dec = json.NewDecoder(bytes.NewReader(body))
	r.dec.UseNumber()
	tok, err := r.dec.Token()
	if err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.not_json", p, path)
	}
	switch tok {
	case json.Delim('['):
	case json.Delim('{'):
		if err := r.socrataHeader(); err != nil {
			return nil, err
		}
	default:
		return nil, i18n.Errorf("ingest.profile.json_shape", p, path)
	}
	return r, nil
}

// socrataHeader reads the object keys up to "data", taking column names from meta.view.columns.
func (r *jsonReader) socrataHeader() error {
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
		}
		key, _ := tok.(string)
		if key == "data" {
			if r.fields == nil {
				return i18n.Errorf("ingest.profile.socrata_data_first", r.p, r.path)
			}
			if t, err := r.dec.Token(); err != nil || t != json.Delim('[') {
				return i18n.Errorf("ingest.profile.socrata_data_array", r.p, r.path)
			}
			for i, c := range r.p.columns {
				j := slices.Index(r.fields, c)
				if j < 0 {
					return missingColumnf("ingest.profile.socrata_no_column", r.p, r.path, c, r.fields, strings.Join(r.p.ColumnKeys(c), "; "))
				}
				if slices.Contains(r.fields[j+1:], c) {
					return i18n.Errorf("ingest.profile.column_twice", r.p, r.path, c)
				}
				r.seen[i] = true
			}
			return nil
		}
		var v json.RawMessage
		if err := r.dec.Decode(&v); err != nil {
			return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
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
				return i18n.Wrap(err, "ingest.profile.socrata_meta", r.p, r.path)
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
	return i18n.Errorf("ingest.profile.socrata_no_data", r.p, r.path)
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

func (r *jsonReader) Next() (record, error) {
	if !r.dec.More() {
		for i, ok := range r.seen {
			if !ok && r.any && r.p.keyColumn(i) {
				return record{}, missingColumnf("ingest.profile.json_no_column", r.p, r.path, r.p.columns[i], strings.Join(r.p.ColumnKeys(r.p.columns[i]), "; "))
			}
		}
		return record{}, r.end()
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
		return badRecord(line, runrecord.ReasonJSONBroken), errTruncated
	}
	r.any = true
	rec := record{Line: line, Values: make([]string, len(r.p.columns))}
	if r.fields != nil {
		var row []json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil || len(row) != len(r.fields) {
			return badRecord(line, runrecord.ReasonJSONRowSize, strconv.Itoa(len(r.fields))), nil
		}
		for i, c := range r.p.columns {
			rec.Values[i] = jsonText(row[slices.Index(r.fields, c)])
		}
		return rec, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return badRecord(line, runrecord.ReasonJSONNotObject), nil
	}
	for i, c := range r.p.columns {
		if v, ok := obj[c]; ok {
			r.seen[i] = true
			rec.Values[i] = jsonText(v)
		}
	}
	return rec, nil
}

// end reads past the records' array (and, in a Socrata export, the rest of its object) and
// returns io.EOF, or an error naming the line where more follows: text after the array would
// otherwise be left unread, records and all (two exports joined into one file, say).
func (r *jsonReader) end() error {
	if _, err := r.dec.Token(); err != nil { // the array's ]
		return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
	}
	if r.fields != nil {
		for r.dec.More() { // the keys after "data"
			var skip json.RawMessage
			if _, err := r.dec.Token(); err != nil {
				return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
			}
			if err := r.dec.Decode(&skip); err != nil {
				return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
			}
		}
		if _, err := r.dec.Token(); err != nil { // the object's }
			return i18n.Wrap(err, "ingest.profile.json", r.p, r.path)
		}
	}
	off := r.dec.InputOffset()
	if rest := bytes.TrimSpace(r.body[off:]); len(rest) > 0 {
		return i18n.Errorf("ingest.profile.json_trailing", r.p, r.path, r.lineAt(off+int64(bytes.Index(r.body[off:], rest[:1]))))
	}
	return io.EOF
}

func (r *jsonReader) Close() error { return r.f.Close() }

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
	p    *mapping
	path string
	f    *os.File
	sc   *bufio.Scanner
	line int64
	seen []bool
	any  bool
}

func openNDJSON(p *mapping, path string, f *os.File) (recordReader, error) {
	sc := bufio.NewScanner(decoded(p, f))
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20)
	return &ndjsonReader{p: p, path: path, f: f, sc: sc, seen: make([]bool, len(p.columns))}, nil
}

func (r *ndjsonReader) Next() (record, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if r.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(b) == 0 {
			continue
		}
		if bad := badText(r.p, string(b)); bad != nil {
			return record{Line: r.line, Err: bad}, nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			var notObject *json.UnmarshalTypeError
			if errors.As(err, &notObject) {
				return badRecord(r.line, runrecord.ReasonLineNotObject), nil
			}
			return badRecord(r.line, runrecord.ReasonLineNotJSON), nil
		}
		r.any = true
		rec := record{Line: r.line, Values: make([]string, len(r.p.columns))}
		for i, c := range r.p.columns {
			if v, ok := obj[c]; ok {
				r.seen[i] = true
				rec.Values[i] = jsonText(v)
			}
		}
		return rec, nil
	}
	if err := r.sc.Err(); err != nil {
		return record{}, i18n.Wrap(err, "ingest.read_line", r.path, r.line+1)
	}
	if !r.any {
		return record{}, i18n.Errorf("ingest.profile.no_records", r.p, r.path)
	}
	for i, ok := range r.seen {
		if !ok && r.p.keyColumn(i) {
			return record{}, missingColumnf("ingest.profile.json_no_column", r.p, r.path, r.p.columns[i], strings.Join(r.p.ColumnKeys(r.p.columns[i]), "; "))
		}
	}
	return record{}, io.EOF
}

func (r *ndjsonReader) Close() error { return r.f.Close() }
