// Package source reads input files that are not in earlywarn's canonical layout: a mapping
// profile (YAML, configs/profiles/) names the file's format, encoding and preamble, and maps
// source columns, matched by header name, onto canonical case fields. Records are validated
// on the way (dates, required fields, id numbers, phones), personal identifiers are replaced
// by keyed hashes, and the result is handed to DuckDB as Arrow record batches.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Profile maps one kind of source file onto canonical cases, contacts and events.
type Profile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Format: csv, tsv, json (an array of objects, or Socrata's {"meta":…,"data":[[…]]}),
	// ndjson (one object a line) or xlsx.
	Format string `yaml:"format"`
	// Encoding: utf-8 (default; a byte-order mark is dropped), gb18030 or gbk.
	Encoding string `yaml:"encoding"`
	// Delimiter of csv (default ","); tsv is always a tab.
	Delimiter string `yaml:"delimiter"`
	// SkipLines lines (or xlsx rows) come before the header; HeaderPrefix instead skips lines
	// until one starts with it.
	SkipLines    int    `yaml:"skip_lines"`
	HeaderPrefix string `yaml:"header_prefix"`
	// Sheet of an xlsx workbook (default the first).
	Sheet string `yaml:"sheet"`
	// NullValues are source values read as empty, compared after trimming spaces.
	NullValues []string `yaml:"null_values"`
	// TimeZone turns timestamps that carry an offset into dates (default: the run's zone);
	// "as-written" keeps the date each timestamp shows in its own offset. Timestamps without
	// an offset always keep the date they show.
	TimeZone string `yaml:"timezone"`
	// SentinelDates are placeholder dates that mean "unknown" (default 1900-01-01,
	// 1899-12-30 and 1970-01-01); a row carrying one is quarantined.
	SentinelDates []string `yaml:"sentinel_dates"`
	// Fields maps canonical field names (see FieldNames) to their source.
	Fields map[string]Field `yaml:"fields"`

	path      string
	columns   []string // source columns used, in first-use order
	nulls     map[string]bool
	maxNull   int // the length of the longest null marker
	sentinels map[int32]bool
	zone      *time.Location
}

// Field says where one canonical field comes from: one source column, several joined, or a
// constant; with a default for empty values, date layouts, and a code map.
type Field struct {
	Column  string   `yaml:"column"`
	Columns []string `yaml:"columns"` // joined with Join (default ":"), e.g. city and id
	Join    *string  `yaml:"join"`
	Value   string   `yaml:"value"`   // a constant
	Default string   `yaml:"default"` // when the source value is empty
	// Layouts are Go time layouts tried in order (dates only); "excel" reads a serial day.
	Layouts []string `yaml:"layouts"`
	// Map replaces source values (matched case-insensitively after trimming) by canonical
	// codes; Other replaces any value Map lacks ("" keeps it, to be checked as it is).
	Map   map[string]string `yaml:"map"`
	Other string            `yaml:"other"`
	// Derive computes status from closed_date: Closed when there is one, else Open.
	Derive *Derive `yaml:"derive"`
	// When keeps the value only for records whose column When.Column holds one of When.In
	// (compared case-insensitively), e.g. a last-update time that is a closing date only for
	// closed requests.
	When *When `yaml:"when"`

	cols []int // indexes into Profile.columns
	lmap map[string]string
}

// When is the condition of Field.When.
type When struct {
	Column string   `yaml:"column"`
	In     []string `yaml:"in"`

	col int
	in  map[string]bool
}

// Derive is a status derived from the closing date.
type Derive struct {
	From   string `yaml:"from"` // closed_date
	Closed string `yaml:"closed"`
	Open   string `yaml:"open"`
}

// FieldNames are the canonical fields a profile may map. Dates: received_date, closed_date.
// Personal (hashed, never stored in clear): complainant_name, complainant_id_number,
// complainant_phone. complainant_id is an id the source already pseudonymised.
var FieldNames = []string{
	"case_id", "received_date", "closed_date", "channel", "level", "category", "township",
	"village", "target_org", "responsible_unit", "status", "content", "head_count",
	"complainant_id", "complainant_name", "complainant_id_number", "complainant_phone",
}

// RequiredFields must be mapped by every profile (the other required canonical fields may be
// constants).
var RequiredFields = []string{"case_id", "received_date", "channel", "level", "category", "township", "responsible_unit"}

var personalFields = []string{"complainant_name", "complainant_id_number", "complainant_phone"}

var formats = []string{"csv", "tsv", "json", "ndjson", "xlsx"}

// Extensions returns the file name extensions of a profile's format.
func (p *Profile) Extensions() []string {
	switch p.Format {
	case "json":
		return []string{".json"}
	case "ndjson":
		return []string{".ndjson", ".jsonl"}
	case "tsv":
		return []string{".tsv", ".txt"}
	case "xlsx":
		return []string{".xlsx"}
	}
	return []string{".csv", ".txt"}
}

// Personal reports whether the profile maps personal identifiers, which need a key.
func (p *Profile) Personal() bool {
	for _, f := range personalFields {
		if _, ok := p.Fields[f]; ok {
			return true
		}
	}
	return false
}

// LoadProfile reads and checks a profile file. Errors name the file and the key.
func LoadProfile(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile %s cannot be read: %w", path, errors.Unwrap(err))
	}
	return ParseProfile(path, b)
}

// ParseProfile parses and checks a profile; path names it in errors.
func ParseProfile(path string, b []byte) (*Profile, error) {
	p := &Profile{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("profile %s: %v", path, err)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

func (p *Profile) check() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
	}
	if !slices.Contains(formats, p.Format) {
		bad("format %q: use one of %s", p.Format, strings.Join(formats, ", "))
	}
	p.Encoding = strings.ToLower(p.Encoding)
	switch p.Encoding {
	case "", "utf-8", "utf8":
		p.Encoding = "utf-8"
	case "gb18030", "gbk":
	default:
		bad("encoding %q: use utf-8, gb18030 or gbk", p.Encoding)
	}
	if p.Format == "tsv" {
		p.Delimiter = "\t"
	}
	if p.Delimiter == "" {
		p.Delimiter = ","
	}
	if r := []rune(p.Delimiter); len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
		bad("delimiter %q: must be one character other than a quote or line break", p.Delimiter)
	}
	if p.SkipLines < 0 {
		bad("skip_lines must be 0 or more")
	}
	if p.SkipLines > 0 && p.HeaderPrefix != "" {
		bad("give skip_lines or header_prefix, not both")
	}
	p.zone = nil
	if p.TimeZone != "" && p.TimeZone != "as-written" {
		z, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			bad("timezone %q is not an IANA zone such as Asia/Shanghai", p.TimeZone)
		}
		p.zone = z
	}
	p.nulls = map[string]bool{"": true}
	p.maxNull = 0
	for _, n := range p.NullValues {
		n = strings.TrimSpace(n)
		p.nulls[n] = true
		p.maxNull = max(p.maxNull, len(n))
	}
	sentinels := p.SentinelDates
	if sentinels == nil {
		sentinels = []string{"1900-01-01", "1899-12-30", "1970-01-01"}
	}
	p.sentinels = map[int32]bool{}
	for _, s := range sentinels {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			bad("sentinel_dates: %q is not YYYY-MM-DD", s)
			continue
		}
		p.sentinels[dayNumber(d)] = true
	}
	names := make([]string, 0, len(p.Fields))
	for n := range p.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !slices.Contains(FieldNames, n) {
			bad("fields.%s: unknown field; profiles map %s", n, strings.Join(FieldNames, ", "))
		}
	}
	for _, n := range RequiredFields {
		if _, ok := p.Fields[n]; !ok {
			bad("fields.%s is required (a source column, or value: for a constant)", n)
		}
	}
	p.columns = nil
	for _, n := range FieldNames { // a fixed order, so column indexes do not depend on map order
		f, ok := p.Fields[n]
		if !ok {
			continue
		}
		srcs := 0
		if f.Column != "" {
			srcs++
			f.Columns = []string{f.Column}
		} else if len(f.Columns) > 0 {
			srcs++
		}
		if f.Value != "" {
			srcs++
		}
		if f.Derive != nil {
			srcs++
			if n != "status" || f.Derive.From != "closed_date" {
				bad("fields.%s.derive: only status can be derived, from closed_date", n)
			}
			if _, ok := p.Fields["closed_date"]; !ok {
				bad("fields.%s.derive: the profile maps no closed_date", n)
			}
		}
		if srcs != 1 {
			bad("fields.%s: give exactly one of column, columns, value or derive", n)
		}
		if (n == "received_date" || n == "closed_date") && len(f.Columns) > 0 && len(f.Layouts) == 0 {
			bad("fields.%s.layouts: list one or more date layouts, e.g. [\"2006-01-02\", \"01/02/2006 03:04:05 PM\"]", n)
		}
		if len(f.Layouts) > 0 && n != "received_date" && n != "closed_date" {
			bad("fields.%s.layouts: only dates take layouts", n)
		}
		f.cols = nil
		for _, c := range f.Columns {
			f.cols = append(f.cols, p.column(c))
		}
		if f.When != nil {
			if f.When.Column == "" || len(f.When.In) == 0 {
				bad("fields.%s.when: give column and in (a list of values)", n)
			}
			f.When.col = p.column(f.When.Column)
			f.When.in = map[string]bool{}
			for _, v := range f.When.In {
				f.When.in[strings.ToLower(strings.TrimSpace(v))] = true
			}
		}
		if f.Join == nil {
			j := ":"
			f.Join = &j
		}
		f.lmap = map[string]string{}
		for k, v := range f.Map {
			f.lmap[strings.ToLower(strings.TrimSpace(k))] = v
		}
		p.Fields[n] = f
	}
	return errors.Join(errs...)
}

// column returns the index of source column c in p.columns, adding it if new.
func (p *Profile) column(c string) int {
	i := slices.Index(p.columns, c)
	if i < 0 {
		i = len(p.columns)
		p.columns = append(p.columns, c)
	}
	return i
}

// keyColumn reports whether column i feeds case_id or received_date, which every JSON
// export must carry; other keys may be left out of every record of a sparse export.
func (p *Profile) keyColumn(i int) bool {
	for _, n := range []string{"case_id", "received_date"} {
		if slices.Contains(p.Fields[n].cols, i) {
			return true
		}
	}
	return false
}

// Columns are the source columns the profile reads, in the order Record.Values holds them.
func (p *Profile) Columns() []string { return p.columns }

// String names the profile and its file.
func (p *Profile) String() string { return fmt.Sprintf("%s (%s)", p.Name, p.path) }

func dayNumber(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
