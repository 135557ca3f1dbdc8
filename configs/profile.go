package configs

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

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
	p.Path = path
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

// unknownKeys lists the keys of mapping n that type t (a struct with yaml tags) has no field
// for, recursively, each with its line, its dotted path and the keys that are known there.
func unknownKeys(n *yaml.Node, t reflect.Type, at string) []Issue {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var issues []Issue
	switch {
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			issues = append(issues, unknownKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", at, i))...)
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			issues = append(issues, unknownKeys(n.Content[i+1], t.Elem(), join(at, n.Content[i].Value))...)
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := yamlFields(t)
		known := make([]string, 0, len(fields))
		for k := range fields {
			known = append(known, k)
		}
		sort.Strings(known)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				issues = append(issues, Issue{Line: k.Line, Err: Fieldf(join(at, k.Value), "ingest.profile.check.unknown_key", strings.Join(known, ", "))})
				continue
			}
			issues = append(issues, unknownKeys(n.Content[i+1], ft, join(at, k.Value))...)
		}
	}
	return issues
}

// yamlFields maps the YAML keys of struct type t, inline structs included, to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case opts == "inline":
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
		case name != "":
			out[name] = f.Type
		}
	}
	return out
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// check validates p, fills in its defaults and turns the shorthand into its one source. Each
// problem is a *FieldError naming its key.
func (p *Profile) check(dir fs.FS) error {
	var errs []error
	bad := func(key, msg string, a ...any) { errs = append(errs, Fieldf(key, "ingest.profile.check."+msg, a...)) }
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(p.Path), filepath.Ext(p.Path))
	}
	switch {
	case len(p.Sources) == 0 && p.Fields == nil:
		bad("sources", "no_sources")
		return errors.Join(errs...)
	case len(p.Sources) > 0 && p.Fields != nil:
		bad("fields", "fields_and_sources")
		return errors.Join(errs...)
	case len(p.Sources) == 0:
		p.Sources = []ProfileSource{{Name: TableCases, Table: TableCases, Fields: p.Fields}}
	}
	errs = append(errs, p.Reader.check("", nil)...)
	has := map[string]bool{}
	names := map[string]bool{}
	for i := range p.Sources {
		s := &p.Sources[i]
		at := fmt.Sprintf("sources[%d]", i)
		if p.Fields != nil {
			at = "" // the shorthand's keys are the profile's own
		}
		s.Profile = p
		if !slices.Contains([]string{TableCases, TableContacts, TableEvents}, s.Table) {
			bad(join(at, "table"), "table", s.Table)
			continue
		}
		has[s.Table] = true
		if s.Name == "" {
			s.Name = s.Table
		}
		if names[s.Name] {
			bad(join(at, "name"), "source_twice", s.Name)
		}
		names[s.Name] = true
		for j, g := range s.Files {
			if _, err := path.Match(g, ""); err != nil || g == "" || strings.ContainsAny(g, `/\`) {
				bad(fmt.Sprintf("%s[%d]", join(at, "files"), j), "glob", g)
			}
		}
		if p.Fields == nil {
			errs = append(errs, s.Reader.check(at, &p.Reader)...)
		} else {
			s.Reader.inherit(p.Reader)
		}
		if s.Format == "" {
			bad(join(at, "format"), "format", "", strings.Join(ProfileFormats, ", "))
		}
		errs = append(errs, s.checkFields(at, dir)...)
	}
	if len(p.Sources) > 1 {
		for i := range p.Sources {
			if len(p.Sources[i].Files) == 0 {
				bad(fmt.Sprintf("sources[%d].files", i), "files_needed")
			}
		}
	}
	for i := range p.Sources {
		s := &p.Sources[i]
		s.ImpliesContact = s.Table == TableCases && !has[TableContacts]
		s.ImpliesEvents = s.Table == TableCases && !has[TableEvents]
	}
	return errors.Join(errs...)
}

// check validates the reader settings set here (at names them: the profile's top level, or a
// source), fills in what a source leaves out from the profile's (inherit, already checked),
// then the defaults; a value the profile sets is blamed on the profile's line, once.
func (r *Reader) check(at string, inherit *Reader) []error {
	var errs []error
	bad := func(key, msg string, a ...any) {
		errs = append(errs, Fieldf(join(at, key), "ingest.profile.check."+msg, a...))
	}
	if r.Format != "" && !slices.Contains(ProfileFormats, r.Format) {
		bad("format", "format", r.Format, strings.Join(ProfileFormats, ", "))
	}
	switch strings.ToLower(r.Encoding) {
	case "", "utf-8", "utf8", "gb18030", "gbk":
	default:
		bad("encoding", "encoding", r.Encoding)
	}
	if d := []rune(r.Delimiter); r.Delimiter != "" && (len(d) != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r') {
		bad("delimiter", "delimiter", r.Delimiter)
	}
	if r.SkipLines < 0 {
		bad("skip_lines", "skip_lines")
	}
	if r.SkipLines > 0 && r.HeaderPrefix != "" {
		bad("header_prefix", "skip_and_prefix")
	}
	if r.TimeZone != "" && r.TimeZone != "as-written" {
		if _, err := time.LoadLocation(r.TimeZone); err != nil {
			bad("timezone", "timezone", r.TimeZone)
		}
	}
	for _, s := range r.SentinelDates {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			bad("sentinel_dates", "sentinel", s)
		}
	}
	if inherit != nil {
		r.inherit(*inherit)
	}
	return errs
}

// inherit fills in the settings r leaves out from p's, and then the defaults.
func (r *Reader) inherit(p Reader) {
	if r.Format == "" {
		r.Format = p.Format
	}
	if r.Encoding == "" {
		r.Encoding = p.Encoding
	}
	if r.Delimiter == "" {
		r.Delimiter = p.Delimiter
	}
	if r.SkipLines == 0 && r.HeaderPrefix == "" {
		r.SkipLines, r.HeaderPrefix = p.SkipLines, p.HeaderPrefix
	}
	if r.Sheet == "" {
		r.Sheet = p.Sheet
	}
	if r.NullValues == nil {
		r.NullValues = p.NullValues
	}
	if r.TimeZone == "" {
		r.TimeZone = p.TimeZone
	}
	if r.SentinelDates == nil {
		r.SentinelDates = p.SentinelDates
	}
	r.Encoding = strings.ToLower(r.Encoding)
	if r.Encoding == "" || r.Encoding == "utf8" {
		r.Encoding = "utf-8"
	}
	if r.Format == "tsv" {
		r.Delimiter = "\t"
	}
	if r.Delimiter == "" {
		r.Delimiter = ","
	}
}

// checkFields validates a source's fields and case key, normalising them and reading their
// dictionaries from dir.
func (s *ProfileSource) checkFields(at string, dir fs.FS) []error {
	var errs []error
	bad := func(key, msg string, a ...any) {
		errs = append(errs, Fieldf(join(at, key), "ingest.profile.check."+msg, a...))
	}
	allowed := TableFields[s.Table]
	names := make([]string, 0, len(s.Fields))
	for n := range s.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !slices.Contains(allowed, n) {
			bad("fields."+n, "unknown_field", s.Table, strings.Join(allowed, ", "))
		}
	}
	for _, n := range RequiredFields[s.Table] {
		if _, ok := s.Fields[n]; !ok {
			bad("fields."+n, "required", s.Table)
		}
	}
	if _, ok := s.Fields["contact_id"]; ok && s.Table == TableCases && s.CaseKey == nil {
		bad("fields.contact_id", "contact_id_needs_key")
	}
	if s.CaseKey != nil {
		k := s.CaseKey
		switch {
		case s.Table != TableCases:
			bad("case_key", "case_key_cases")
		case k.Column == "" && len(k.Columns) == 0:
			bad("case_key", "case_key_columns")
		case k.Value != "" || k.Derive != nil || k.When != nil || k.Extract != "" || k.Dictionary != "" || len(k.Layouts) > 0 || len(k.Map) > 0:
			bad("case_key", "case_key_columns")
		}
		if k.Column != "" {
			k.Columns = []string{k.Column}
		}
		if k.Join == nil {
			j := "\x1f"
			k.Join = &j
		}
	}
	for _, n := range allowed {
		f, ok := s.Fields[n]
		if !ok {
			continue
		}
		key := "fields." + n
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
				bad(key+".derive", "derive_status")
			}
			if _, ok := s.Fields["closed_date"]; !ok {
				bad(key+".derive", "derive_closed")
			}
		}
		if srcs != 1 {
			bad(key, "one_source")
		}
		date := strings.HasSuffix(n, "_date")
		if date && len(f.Columns) > 0 && len(f.Layouts) == 0 {
			bad(key+".layouts", "layouts_needed")
		}
		if len(f.Layouts) > 0 && !date {
			bad(key+".layouts", "layouts_dates")
		}
		for i, l := range f.Layouts {
			if !dateLayout(l) {
				bad(fmt.Sprintf("%s.layouts[%d]", key, i), "layout", l)
			}
		}
		if f.When != nil && (f.When.Column == "" || len(f.When.In) == 0) {
			bad(key+".when", "when")
		}
		if f.Normalise {
			bad(key+".normalise", "normalise_key")
		}
		if f.Extract != "" || f.Dictionary != "" {
			switch {
			case !slices.Contains(textFields, n):
				bad(key, "text_fields", strings.Join(textFields, ", "))
			case len(f.Columns) == 0:
				bad(key, "text_columns")
			case f.Extract != "" && f.Dictionary != "":
				bad(key, "extract_or_dictionary")
			}
		}
		if f.Extract != "" {
			if _, err := regexp.Compile(f.Extract); err != nil {
				bad(key+".extract", "extract", err.Error())
			}
		}
		if f.Dictionary != "" {
			entries, err := readDictionary(dir, f.Dictionary)
			if err != nil {
				errs = append(errs, Fieldf(key+".dictionary", "ingest.profile.check.dictionary", f.Dictionary, i18n.Localize(i18n.Default, err)))
			}
			f.Entries = entries
		}
		if f.Join == nil {
			j := ":"
			if f.Extract != "" || f.Dictionary != "" {
				j = "\n"
			}
			f.Join = &j
		}
		s.Fields[n] = f
	}
	return errs
}

// dateLayout reports whether l is "excel" or a Go time layout that writes and reads back a
// day: "YYYY-MM-DD" is none, it names no part of the reference date 2006-01-02.
func dateLayout(l string) bool {
	if l == "excel" {
		return true
	}
	ref := time.Date(2025, 3, 4, 13, 5, 6, 0, time.UTC)
	t, err := time.Parse(l, ref.Format(l))
	return err == nil && t.Year() == 2025 && t.Month() == 3 && t.Day() == 4
}

// readDictionary reads a dictionary file: a name a row, optionally with its value; blank rows
// and rows starting with # are skipped.
func readDictionary(dir fs.FS, name string) ([]Entry, error) {
	b, err := fs.ReadFile(dir, filepath.ToSlash(filepath.Clean(name)))
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord, r.Comment = -1, '#'
	var entries []Entry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		e := Entry{Name: strings.TrimSpace(rec[0])}
		if len(rec) > 1 {
			e.Value = strings.TrimSpace(rec[1])
		}
		if e.Value == "" {
			e.Value = e.Name
		}
		if e.Name != "" {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return nil, i18n.Errorf("ingest.profile.dictionary_empty")
	}
	return entries, nil
}
