package configs

// Checking a profile: unknown keys, reader settings, fields, date layouts and dictionaries.
// Every problem is a *FieldError naming its key, which ParseProfile turns into a line.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
	"go.yaml.in/yaml/v3"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

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
				err := Fieldf(join(at, k.Value), "ingest.profile.check.unknown_key", strings.Join(known, ", "))
				if near := nearestKey(k.Value, known); near != "" {
					err = Fieldf(join(at, k.Value), "ingest.profile.check.unknown_key_near", near, strings.Join(known, ", "))
				}
				issues = append(issues, Issue{Line: k.Line, Err: err})
				continue
			}
			issues = append(issues, unknownKeys(n.Content[i+1], ft, join(at, k.Value))...)
		}
	}
	return issues
}

// nearestKey is the known key a mistyped key most likely means (colum: column): the nearest by
// edit distance, at most 2 edits and fewer than half its letters; "" when none is.
func nearestKey(key string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if d := levenshtein.ComputeDistance(strings.ToLower(key), k); d < dist && 2*d < len(k) {
			best, dist = k, d
		}
	}
	return best
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
