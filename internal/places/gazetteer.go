package places

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// GazetteerError is the error ReadGazetteer returns for a line it cannot read: Line is the
// line's number in the file (1 is the header), Reason one of the Reason codes, Value the
// offending value when there is one (a kind, a name). The caller turns Line and Reason into a
// message of its catalogue.
type GazetteerError struct {
	Line   int
	Reason Reason
	Value  string
	Err    error // the CSV reader's error, for ReasonCSV
}

func (e *GazetteerError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("places: gazetteer line %d: %s: %q", e.Line, e.Reason, e.Value)
	}
	if e.Err != nil {
		return fmt.Sprintf("places: gazetteer line %d: %s: %v", e.Line, e.Reason, e.Err)
	}
	return fmt.Sprintf("places: gazetteer line %d: %s", e.Line, e.Reason)
}

func (e *GazetteerError) Unwrap() error { return e.Err }

// ReadGazetteer reads a UTF-8 CSV with a header row: name,aliases,kind (aliases separated by |,
// kind one of the Kind values, empty = other). A byte-order mark, blank lines and white space
// around values are allowed; names and aliases are normalised as Extract normalises text. It
// fails with a *GazetteerError naming the line: a header that is not name,aliases,kind, a row
// without three columns, an empty name, an unknown kind, a name or alias given twice, text
// that is not UTF-8, or a line that is not CSV.
func ReadGazetteer(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Entry
	seen := map[string]int{}
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, &GazetteerError{Line: line, Reason: ReasonCSV, Err: err}
		}
		line, _ := cr.FieldPos(0)
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return nil, &GazetteerError{Line: line, Reason: ReasonEncoding}
			}
		}
		if first {
			first = false
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			if len(rec) != 3 || !strings.EqualFold(strings.TrimSpace(rec[0]), "name") ||
				!strings.EqualFold(strings.TrimSpace(rec[1]), "aliases") || !strings.EqualFold(strings.TrimSpace(rec[2]), "kind") {
				return nil, &GazetteerError{Line: line, Reason: ReasonHeader, Value: strings.Join(rec, ",")}
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			return nil, &GazetteerError{Line: line, Reason: ReasonColumns, Value: fmt.Sprint(len(rec))}
		}
		en := Entry{Name: Normalise(rec[0]), Kind: Kind(strings.ToLower(strings.TrimSpace(rec[2])))}
		if en.Name == "" {
			return nil, &GazetteerError{Line: line, Reason: ReasonNoName}
		}
		if en.Kind == "" {
			en.Kind = KindOther
		}
		if !ValidKind(en.Kind) {
			return nil, &GazetteerError{Line: line, Reason: ReasonKind, Value: string(en.Kind)}
		}
		names := []string{en.Name}
		for _, a := range strings.Split(rec[1], "|") {
			if a = Normalise(a); a != "" && a != en.Name {
				en.Aliases = append(en.Aliases, a)
				names = append(names, a)
			}
		}
		for _, n := range names {
			if prev, ok := seen[n]; ok && prev != len(out) {
				return nil, &GazetteerError{Line: line, Reason: ReasonDuplicate, Value: n}
			}
			seen[n] = len(out)
		}
		out = append(out, en)
	}
	if first {
		return nil, &GazetteerError{Line: 1, Reason: ReasonHeader}
	}
	return out, nil
}

// WriteGazetteer writes entries as ReadGazetteer reads them: UTF-8 with a byte-order mark (so
// that Excel shows the Chinese), a header name,aliases,kind, aliases joined by |.
func WriteGazetteer(w io.Writer, entries []Entry) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "aliases", "kind"}); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write([]string{e.Name, strings.Join(e.Aliases, "|"), string(e.Kind)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
