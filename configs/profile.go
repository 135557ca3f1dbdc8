package configs

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

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Profile is a mapping profile (YAML, configs/profiles/): it names the format, encoding and
// preamble of one kind of source file that is not in earlywarn's canonical layout, and maps its
// columns, matched by header name, onto canonical case fields (from which ingest makes the
// cases' contacts and events). LoadProfile reads one and checks everything that needs no data;
// package pipeline/ingest compiles it for reading files.
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
	// SentinelDates are placeholder dates that mean "unknown" (default DefaultSentinelDates);
	// a row carrying one is quarantined.
	SentinelDates []string `yaml:"sentinel_dates"`
	// Fields maps canonical field names (see FieldNames) to their source.
	Fields map[string]Field `yaml:"fields"`

	// Path is the file the profile was read from, which its errors name. It is not a key of
	// the YAML; LoadProfile and ParseProfile set it.
	Path string `yaml:"-"`
}

// Field says where one canonical field comes from: one source column, several joined, or a
// constant; with a default for empty values, date layouts, and a code map. ParseProfile
// normalises it: Column becomes the one element of Columns, and Join defaults to ":".
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
}

// When is the condition of Field.When.
type When struct {
	Column string   `yaml:"column"`
	In     []string `yaml:"in"`
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

// ProfileFormats are the formats a profile may name.
var ProfileFormats = []string{"csv", "tsv", "json", "ndjson", "xlsx"}

// DefaultSentinelDates are the placeholder dates of a profile that lists none.
var DefaultSentinelDates = []string{"1900-01-01", "1899-12-30", "1970-01-01"}

var personalFields = []string{"complainant_name", "complainant_id_number", "complainant_phone"}

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

// String names the profile and its file.
func (p *Profile) String() string { return fmt.Sprintf("%s (%s)", p.Name, p.Path) }

// LoadProfile reads and checks a profile file. Errors name the file and the key.
func LoadProfile(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, i18n.Wrap(errors.Unwrap(err), "ingest.profile.unreadable", path)
	}
	return ParseProfile(path, b)
}

// ParseProfile parses and checks a profile; path names it in errors. Unknown keys are errors;
// every other problem is reported at once.
func ParseProfile(path string, b []byte) (*Profile, error) {
	p := &Profile{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.yaml", path)
	}
	p.Path = path
	if err := p.check(); err != nil {
		return nil, i18n.Wrap(err, "ingest.profile.invalid", path)
	}
	return p, nil
}

// check validates p and fills in its defaults.
func (p *Profile) check() error {
	var errs []error
	// bad adds the problem ingest.profile.check.<key> of the catalogue.
	bad := func(key string, a ...any) { errs = append(errs, i18n.Errorf("ingest.profile.check."+key, a...)) }
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(p.Path), filepath.Ext(p.Path))
	}
	if !slices.Contains(ProfileFormats, p.Format) {
		bad("format", p.Format, strings.Join(ProfileFormats, ", "))
	}
	p.Encoding = strings.ToLower(p.Encoding)
	switch p.Encoding {
	case "", "utf-8", "utf8":
		p.Encoding = "utf-8"
	case "gb18030", "gbk":
	default:
		bad("encoding", p.Encoding)
	}
	if p.Format == "tsv" {
		p.Delimiter = "\t"
	}
	if p.Delimiter == "" {
		p.Delimiter = ","
	}
	if r := []rune(p.Delimiter); len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
		bad("delimiter", p.Delimiter)
	}
	if p.SkipLines < 0 {
		bad("skip_lines")
	}
	if p.SkipLines > 0 && p.HeaderPrefix != "" {
		bad("skip_and_prefix")
	}
	if p.TimeZone != "" && p.TimeZone != "as-written" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			bad("timezone", p.TimeZone)
		}
	}
	for _, s := range p.SentinelDates {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			bad("sentinel", s)
		}
	}
	names := make([]string, 0, len(p.Fields))
	for n := range p.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !slices.Contains(FieldNames, n) {
			bad("unknown_field", n, strings.Join(FieldNames, ", "))
		}
	}
	for _, n := range RequiredFields {
		if _, ok := p.Fields[n]; !ok {
			bad("required", n)
		}
	}
	for _, n := range FieldNames {
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
				bad("derive_status", n)
			}
			if _, ok := p.Fields["closed_date"]; !ok {
				bad("derive_closed", n)
			}
		}
		if srcs != 1 {
			bad("one_source", n)
		}
		if (n == "received_date" || n == "closed_date") && len(f.Columns) > 0 && len(f.Layouts) == 0 {
			bad("layouts_needed", n)
		}
		if len(f.Layouts) > 0 && n != "received_date" && n != "closed_date" {
			bad("layouts_dates", n)
		}
		if f.When != nil && (f.When.Column == "" || len(f.When.In) == 0) {
			bad("when", n)
		}
		if f.Join == nil {
			j := ":"
			f.Join = &j
		}
		p.Fields[n] = f
	}
	return errors.Join(errs...)
}
