package ingest

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// mapping is one source of a profile (configs.ProfileSource, which has passed its checks) made
// ready to read files: the source columns it reads, in the order a record's values hold them,
// each field's positions among them, and the null markers, placeholder days and time zone as
// the readers and mappers look them up. It is not changed after newMapping, so every reader and
// mapper of a run shares one.
type mapping struct {
	*configs.ProfileSource
	columns   []string          // source columns used, in first-use order
	fields    map[string]*field // by canonical field name; only the fields mapped
	key       *field            // the case key; nil without one
	nulls     map[string]bool
	maxNull   int // the length of the longest null marker
	sentinels map[int32]bool
	zone      *time.Location // the profile's own zone; nil for the run's, or as written
	shape     shape          // the optional columns of mapped rows (see layout), and their schema
	schema    *arrow.Schema
	// maxRecordBytes is quarantine.max_record_bytes: a longer CSV or TSV record is quarantined
	// unparsed (0: no limit).
	maxRecordBytes int64
}

// field is a profile field with its source columns as positions in mapping.columns.
type field struct {
	configs.Field
	name    string // the canonical field's name
	cols    []int
	lmap    map[string]string // Map, its keys trimmed and lower-cased
	when    *condition        // nil when the field has no When
	extract *regexp.Regexp    // Extract compiled; nil without
	group   int               // the submatch of extract that is the value (0: the whole match)
	dict    *ahocorasick.AhoCorasick
}

// condition is a Field.When: the position of its column, and its values lower-cased.
type condition struct {
	col int
	in  map[string]bool
}

// newMapping compiles s, which LoadProfile or ParseProfile has checked.
func newMapping(s *configs.ProfileSource) (*mapping, error) {
	m := &mapping{ProfileSource: s, fields: map[string]*field{}, nulls: map[string]bool{"": true}, sentinels: map[int32]bool{}}
	if s.TimeZone != "" && s.TimeZone != "as-written" {
		z, err := time.LoadLocation(s.TimeZone)
		if err != nil {
			return nil, i18n.Errorf("ingest.profile.timezone", s, s.TimeZone)
		}
		m.zone = z
	}
	for _, n := range s.NullValues {
		n = strings.TrimSpace(n)
		m.nulls[n] = true
		m.maxNull = max(m.maxNull, len(n))
	}
	sentinels := s.SentinelDates
	if sentinels == nil {
		sentinels = configs.DefaultSentinelDates
	}
	for _, d := range sentinels {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil, i18n.Errorf("ingest.profile.sentinel", s, d)
		}
		m.sentinels[dayNumber(t)] = true
	}
	if s.CaseKey != nil {
		m.key = m.compile("case_key", *s.CaseKey)
	}
	var errs []error
	for _, n := range configs.TableFields[s.Table] { // a fixed order, so column indexes do not depend on map order
		if pf, ok := s.Fields[n]; ok {
			m.fields[n] = m.compile(n, pf)
			errs = append(errs, checkCodes(s, n, pf)...)
		}
	}
	m.layout()
	return m, errors.Join(errs...)
}

// checkCodes checks that a code field's map, other and constant give codes of its list, so
// that a typo in a profile (answerd for answered) fails validation, not every row of a run.
func checkCodes(s *configs.ProfileSource, name string, f configs.Field) []error {
	codes, ok := codeColumns[name]
	if !ok {
		return nil
	}
	list := make([]string, len(codes))
	for i, c := range codes {
		list[i] = c.Code
	}
	var errs []error
	check := func(key, v string) {
		if v != "" && !slices.Contains(list, v) {
			errs = append(errs, i18n.Errorf("ingest.profile.not_a_code", s, name+key, v, strings.Join(list, ", ")))
		}
	}
	keys := make([]string, 0, len(f.Map))
	for k := range f.Map {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		check(".map."+k, f.Map[k])
	}
	check(".other", f.Other)
	if len(f.Map) == 0 && f.Other == "" {
		check(".value", f.Value)
	}
	return errs
}

// compile makes a field ready to map: its columns as positions, its maps lower-cased, its
// expression and dictionary built.
func (m *mapping) compile(name string, pf configs.Field) *field {
	f := &field{Field: pf, name: name, lmap: map[string]string{}}
	for _, c := range pf.Columns {
		f.cols = append(f.cols, m.column(c))
	}
	if pf.When != nil {
		f.when = &condition{col: m.column(pf.When.Column), in: map[string]bool{}}
		for _, v := range pf.When.In {
			f.when.in[strings.ToLower(strings.TrimSpace(v))] = true
		}
	}
	for k, v := range pf.Map {
		f.lmap[strings.ToLower(strings.TrimSpace(k))] = v
	}
	if pf.Extract != "" {
		f.extract = regexp.MustCompile(pf.Extract) // checked by the profile's check
		f.group = max(f.extract.SubexpIndex("value"), 0)
	}
	if len(pf.Entries) > 0 {
		names := make([]string, len(pf.Entries))
		for i, e := range pf.Entries {
			names[i] = foldWidth(e.Name)
		}
		b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{AsciiCaseInsensitive: true, MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
		ac := b.Build(names)
		f.dict = &ac
	}
	return f
}

// column returns the index of source column c in m.columns, adding it if new.
func (m *mapping) column(c string) int {
	i := slices.Index(m.columns, c)
	if i < 0 {
		i = len(m.columns)
		m.columns = append(m.columns, c)
	}
	return i
}

// keyColumn reports whether column i feeds the record's id or date, which every JSON export
// must carry; other keys may be left out of every record of a sparse export.
func (m *mapping) keyColumn(i int) bool {
	for _, n := range []string{"case_id", "received_date", "contact_id", "contact_date", "event_date"} {
		if f := m.fields[n]; f != nil && slices.Contains(f.cols, i) {
			return true
		}
	}
	return false
}
