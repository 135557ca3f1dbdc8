package ingest

import (
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// mapping is a profile (configs.Profile, which has passed its checks) made ready to read files:
// the source columns it reads, in the order a record's values hold them, each field's
// positions among them, and the null markers, placeholder days and time zone as the readers and
// mappers look them up. It is not changed after newMapping, so every reader and mapper of a
// run shares one.
type mapping struct {
	*configs.Profile
	columns   []string          // source columns used, in first-use order
	fields    map[string]*field // by canonical field name; only the fields mapped
	nulls     map[string]bool
	maxNull   int // the length of the longest null marker
	sentinels map[int32]bool
	zone      *time.Location // the profile's own zone; nil for the run's, or as written
}

// field is a profile field with its source columns as positions in mapping.columns.
type field struct {
	configs.Field
	cols []int
	lmap map[string]string // Map, its keys trimmed and lower-cased
	when *condition        // nil when the field has no When
}

// condition is a Field.When: the position of its column, and its values lower-cased.
type condition struct {
	col int
	in  map[string]bool
}

// newMapping compiles p, which LoadProfile or ParseProfile has checked.
func newMapping(p *configs.Profile) (*mapping, error) {
	m := &mapping{Profile: p, fields: map[string]*field{}, nulls: map[string]bool{"": true}, sentinels: map[int32]bool{}}
	if p.TimeZone != "" && p.TimeZone != "as-written" {
		z, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			return nil, i18n.Errorf("ingest.profile.timezone", p, p.TimeZone)
		}
		m.zone = z
	}
	for _, n := range p.NullValues {
		n = strings.TrimSpace(n)
		m.nulls[n] = true
		m.maxNull = max(m.maxNull, len(n))
	}
	sentinels := p.SentinelDates
	if sentinels == nil {
		sentinels = configs.DefaultSentinelDates
	}
	for _, s := range sentinels {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, i18n.Errorf("ingest.profile.sentinel", p, s)
		}
		m.sentinels[dayNumber(d)] = true
	}
	for _, n := range configs.FieldNames { // a fixed order, so column indexes do not depend on map order
		pf, ok := p.Fields[n]
		if !ok {
			continue
		}
		f := &field{Field: pf, lmap: map[string]string{}}
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
		m.fields[n] = f
	}
	return m, nil
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

// keyColumn reports whether column i feeds case_id or received_date, which every JSON
// export must carry; other keys may be left out of every record of a sparse export.
func (m *mapping) keyColumn(i int) bool {
	for _, n := range []string{"case_id", "received_date"} {
		if f := m.fields[n]; f != nil && slices.Contains(f.cols, i) {
			return true
		}
	}
	return false
}
