package configs

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Profile is a mapping profile (YAML, configs/profiles/): it describes an export that is not in
// earlywarn's canonical layout, one or several files. Each of its Sources matches files by name
// and maps their columns, by header name, onto one canonical table (cases, contacts or events).
// The reader settings at the top are every source's defaults. A profile with Fields and no
// Sources is the one-row-per-case shorthand: one source of cases reading every file of the
// format. LoadProfile reads one and checks everything that needs no data; package
// pipeline/ingest compiles it for reading files.
type Profile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Reader      `yaml:",inline"`
	// Fields is the shorthand's mapping (see ProfileSource.Fields).
	Fields  map[string]Field `yaml:"fields"`
	Sources []ProfileSource  `yaml:"sources"`

	// Path is the file the profile was read from, which its errors name. It is not a key of
	// the YAML; LoadProfile and ParseProfile set it.
	Path string `yaml:"-"`
	// root is the parsed YAML, for the lines of errors found when the files are read.
	root *yaml.Node
}

// Reader says how to read a source's files.
type Reader struct {
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
}

// ProfileSource is one kind of file of an export: the files it matches and the canonical table their
// rows map onto. A reader setting left out is the profile's.
type ProfileSource struct {
	// Name names the source in errors and the run record (default: its table).
	Name string `yaml:"name"`
	// Table is cases, contacts or events.
	Table string `yaml:"table"`
	// Files are glob patterns (path.Match) of file names in the input folder; a file matching
	// several sources' patterns is an error. Empty: every file with the format's extensions.
	Files  []string `yaml:"files"`
	Reader `yaml:",inline"`
	// CaseKey (cases only) makes the rows sharing its value one case: the earliest row makes
	// the case, and every row is a contact about it (contact_id, default the row's case_id).
	// Without it, rows repeating a case id are duplicates.
	CaseKey *Field `yaml:"case_key"`
	// Fields maps the table's canonical field names (see TableFields) to their source.
	Fields map[string]Field `yaml:"fields"`

	// Profile is the profile the source belongs to; ParseProfile sets it.
	Profile *Profile `yaml:"-" json:"-"`
	// Implies says which records a cases source makes besides its cases: the first contact
	// (when the profile has no contacts source) and the accepted and closed events (when it
	// has no events source). ParseProfile sets it.
	ImpliesContact, ImpliesEvents bool `yaml:"-"`
}

// Field says where one canonical field comes from: one source column, several joined, or a
// constant; with a default for empty values, date layouts, a code map, or a value found in the
// text. ParseProfile normalises it: Column becomes the one element of Columns, and Join
// defaults to ":" (to a line break for Extract and Dictionary).
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
	// Extract is a regular expression searched in the text of the columns: the first match
	// gives the value, its group named "value" if it has one, else the whole match.
	Extract string `yaml:"extract"`
	// Dictionary is a CSV file (UTF-8; a path relative to the profile) of names, one a row,
	// with an optional second column, the value (default the name itself): the first name
	// found in the text of the columns gives its value, the longest where names overlap.
	Dictionary string `yaml:"dictionary"`
	// Normalise (case_key only) compares text with full-width characters folded, letters
	// lower-cased, and spaces and punctuation dropped.
	Normalise bool `yaml:"normalise"`

	// Entries are the dictionary's rows, read by ParseProfile.
	Entries []Entry `yaml:"-"`
}

// Entry is one row of a Field.Dictionary.
type Entry struct{ Name, Value string }

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

// The canonical tables a source may map onto.
const (
	TableCases    = "cases"
	TableContacts = "contacts"
	TableEvents   = "events"
)

// TableFields are the fields a source of each table may map. Dates end in _date. Personal
// (hashed, never stored in clear): complainant_name, complainant_id_number,
// complainant_phone; complainant_id is an id the source already pseudonymised. A cases
// source's answered_date makes an answered event, and its contact_id names the contact each
// row makes (with case_key).
var TableFields = map[string][]string{
	TableCases: {"case_id", "received_date", "closed_date", "answered_date", "channel", "level", "category",
		"township", "village", "target_org", "responsible_unit", "status", "content", "head_count",
		"contact_id", "complainant_id", "complainant_name", "complainant_id_number", "complainant_phone"},
	TableContacts: {"contact_id", "case_id", "contact_date", "channel", "level", "head_count", "category",
		"township", "complainant_id", "complainant_name", "complainant_id_number", "complainant_phone"},
	TableEvents: {"event_id", "case_id", "event_type", "event_date", "result"},
}

// RequiredFields are the fields every source of a table must map (the other required canonical
// fields may be constants or are derived).
var RequiredFields = map[string][]string{
	TableCases:    {"case_id", "received_date", "channel", "level", "category", "township", "responsible_unit"},
	TableContacts: {"contact_id", "contact_date", "channel", "level"},
	TableEvents:   {"case_id", "event_type", "event_date"},
}

// textFields are the fields whose value may be found in text (Extract, Dictionary).
var textFields = []string{"category", "township", "village", "target_org", "responsible_unit"}

// ProfileFormats are the formats a profile may name.
var ProfileFormats = []string{"csv", "tsv", "json", "ndjson", "xlsx"}

// DefaultSentinelDates are the placeholder dates of a profile that lists none.
var DefaultSentinelDates = []string{"1900-01-01", "1899-12-30", "1970-01-01"}

var personalFields = []string{"complainant_name", "complainant_id_number", "complainant_phone"}

// profiles are the shipped profiles (configs/profiles/), which LoadProfile finds by name.
//
//go:embed profiles
var profiles embed.FS

// Extensions returns the file name extensions of a reader's format.
func (r *Reader) Extensions() []string {
	switch r.Format {
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
	for _, s := range p.Sources {
		if s.Personal() {
			return true
		}
	}
	return false
}

// Personal reports whether the source maps personal identifiers.
func (s *ProfileSource) Personal() bool {
	for _, f := range personalFields {
		if _, ok := s.Fields[f]; ok {
			return true
		}
	}
	return false
}

// Columns returns the source columns canonical field comes from (nil for a constant, a field
// derived from another, or one not mapped): what a message about the field names beside it, so
// that an analyst finds it in the export. A cases source that maps no contact_id gives each
// row's contact its case_id: its contact ids come from the case_id's columns.
func (s *ProfileSource) Columns(field string) []string {
	if _, ok := s.Fields[field]; !ok && field == "contact_id" && s.Table == TableCases {
		field = "case_id"
	}
	return s.Fields[field].Columns
}

// Written returns the export's words the source's map of field takes, sorted: what an unknown
// code's reason lists besides the codes (none for a field without a map).
func (s *ProfileSource) Written(field string) []string {
	return slices.Sorted(maps.Keys(s.Fields[field].Map))
}

// SourceOf returns the source whose files the file name (base name) matches; nil for none.
func (p *Profile) SourceOf(name string) *ProfileSource {
	for i := range p.Sources {
		if p.Sources[i].Matches(name) {
			return &p.Sources[i]
		}
	}
	return nil
}

// Matches reports whether the file name (base name) is one of the source's.
func (s *ProfileSource) Matches(name string) bool {
	if len(s.Files) == 0 {
		return slices.Contains(s.Extensions(), strings.ToLower(filepath.Ext(name)))
	}
	for _, g := range s.Files {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// String names the profile and its file.
func (p *Profile) String() string { return fmt.Sprintf("%s (%s)", p.Name, p.Path) }

// ColumnKeys says where the source's fields name column c, for an error about the column found
// when a file is read: "file:line: key" for each (its case key and conditions included), in
// the order of the file; nil when no field names it.
func (s *ProfileSource) ColumnKeys(c string) []string {
	at := ""
	if s.Profile.Fields == nil {
		at = fmt.Sprintf("sources[%d]", slices.IndexFunc(s.Profile.Sources, func(o ProfileSource) bool { return o.Name == s.Name }))
	}
	type place struct {
		line int
		key  string
	}
	var found []place
	add := func(key string, f Field) {
		// ParseProfile has made Column the one element of Columns: the line is that of whichever
		// the file has (a key's line is at or after its parent's, which lineOf gives for a
		// missing key).
		line := 0
		switch {
		case f.Column == c || slices.Contains(f.Columns, c):
			line = max(lineOf(s.Profile.root, key+".column"), lineOf(s.Profile.root, key+".columns"))
		case f.When != nil && f.When.Column == c:
			key += ".when.column"
			line = lineOf(s.Profile.root, key)
		default:
			return
		}
		found = append(found, place{line, key})
	}
	for name, f := range s.Fields {
		add(join(at, "fields."+name), f)
	}
	if s.CaseKey != nil {
		add(join(at, "case_key"), *s.CaseKey)
	}
	slices.SortFunc(found, func(a, b place) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.key, b.key)) })
	out := make([]string, len(found))
	for i, f := range found {
		if f.line > 0 {
			out[i] = fmt.Sprintf("%s:%d: %s", s.Profile.Path, f.line, f.key)
		} else {
			out[i] = fmt.Sprintf("%s: %s", s.Profile.Path, f.key)
		}
	}
	return out
}

// String names the source, its profile and the profile's file.
func (s *ProfileSource) String() string {
	if len(s.Profile.Sources) == 1 {
		return s.Profile.String()
	}
	return fmt.Sprintf("%s/%s (%s)", s.Profile.Name, s.Name, s.Profile.Path)
}

// LoadProfile reads and checks a profile file. A name without a folder or extension that is no
// file, such as nyc-311-csv, is the shipped profile of that name. Errors name the file and the
// key.
func LoadProfile(name string) (*Profile, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(name, `/\`) && filepath.Ext(name) == "" {
		if sb, serr := profiles.ReadFile("profiles/" + name + ".yaml"); serr == nil {
			p, err := parseProfile(name, sb, subFS("profiles"))
			if p != nil {
				p.Path = "configs/profiles/" + name + ".yaml"
			}
			return p, err
		}
		return nil, i18n.Errorf("ingest.profile.no_such", name, strings.Join(ShippedProfiles(), ", "))
	}
	if errors.Is(err, fs.ErrNotExist) {
		wd, _ := os.Getwd()
		return nil, i18n.Errorf("ingest.profile.missing", name, wd)
	}
	if err != nil {
		return nil, i18n.Wrap(errors.Unwrap(err), "ingest.profile.unreadable", name)
	}
	return parseProfile(name, b, os.DirFS(filepath.Dir(name)))
}

// ShippedProfiles are the names of the profiles built in.
func ShippedProfiles() []string {
	entries, _ := profiles.ReadDir("profiles")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	return names
}

func subFS(dir string) fs.FS {
	sub, err := fs.Sub(profiles, dir)
	if err != nil {
		panic(err) // the folder is embedded
	}
	return sub
}

// ParseProfile parses and checks a profile; path names it in errors, and dictionaries are read
// relative to its folder. Every problem is reported at once, each with its line.
func ParseProfile(path string, b []byte) (*Profile, error) {
	return parseProfile(path, b, os.DirFS(filepath.Dir(path)))
}

func parseProfile(path string, b []byte, dir fs.FS) (*Profile, error) {
	fe := &FileError{File: path}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		fe.Problems = append(fe.Problems, Issue{Line: yamlLine(err), Err: i18n.Wrap(err, "ingest.profile.yaml")})
		return nil, fe
	}
	p := &Profile{}
	if len(root.Content) > 0 {
		if err := root.Content[0].Decode(p); err != nil {
			fe.Problems = append(fe.Problems, Issue{Line: yamlLine(err), Err: i18n.Wrap(err, "ingest.profile.yaml")})
			return nil, fe
		}
		fe.Problems = append(fe.Problems, unknownKeys(root.Content[0], reflect.TypeOf(p).Elem(), "")...)
	}
	p.Path, p.root = path, &root
	for _, e := range Flatten(p.check(dir)) {
		issue := Issue{Err: e}
		var fld *FieldError
		if errors.As(e, &fld) {
			issue.Line = lineOf(&root, fld.Key)
		}
		fe.Problems = append(fe.Problems, issue)
	}
	if len(fe.Problems) > 0 {
		slices.SortStableFunc(fe.Problems, func(a, b Issue) int { return cmp.Compare(lineOrder(a.Line), lineOrder(b.Line)) })
		return nil, fe
	}
	return p, nil
}
