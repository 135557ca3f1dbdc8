package ingest

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// SampleRows is how many records of each file read through a profile SampleRecords maps.
const SampleRows = 1000

// Sample is what mapping the first records of one file through its profile gave: the records
// read, how many of them a run would quarantine, and the fields those name, most rows first
// (at most 3), each with its first line and reason; and how many a run would load with
// identifiers set aside, from line FirstSetAside.
type Sample struct {
	Path                        string
	Read, Quarantined, SetAside int64
	FirstSetAside               int64
	Rejected                    []RejectedField
}

// SampleRecords maps the first SampleRows records of each file cfg reads through a profile as
// a run would (dates against their layouts, codes against their maps, identifiers checked),
// storing nothing: validate's check of a profile against the data, which a header does not
// show. A file whose header CheckHeaders rejects is left out (so is the rest of a file after a
// read error, which a run reports); so are canonical files, which have no mapping to get wrong.
func SampleRecords(cfg configs.Config) ([]Sample, error) {
	files, _, err := resolveInputs(cfg, time.Time{}, false)
	if err != nil {
		return nil, err
	}
	var out []Sample
	for _, f := range files {
		if f.Ignored || f.src == nil {
			continue
		}
		if s, err := sampleFile(f); err == nil || s.Read > 0 {
			out = append(out, s) // a file that fails later than its header: what came before
		}
	}
	return out, nil
}

// sampleFile maps the first SampleRows records of one profiled file.
func sampleFile(f InputFile) (Sample, error) {
	s := Sample{Path: f.Path}
	r, err := openSource(f.src.mapping, f.Path)
	if err != nil {
		return s, err
	}
	defer r.Close()
	hasher := f.src.hasher
	if hasher != nil {
		hasher = hasher.Clone()
	}
	m := newMapper(f.src.mapping, hasher, f.src.zone, time.Now())
	byField := map[string]*RejectedField{}
	for s.Read < SampleRows {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !isTruncated(err) {
			return s, err
		}
		s.Read++
		_, rej, ok := m.Map(rec)
		if ok && rej.Kept {
			if s.SetAside++; s.SetAside == 1 {
				s.FirstSetAside = rej.Line
			}
		}
		if !ok {
			s.Quarantined++
			rf := byField[rej.Field]
			if rf == nil {
				rf = &RejectedField{Field: rej.Field, FirstLine: rej.Line, Reason: json.RawMessage(rej.Reason),
					Columns: f.src.mapping.Columns(rej.Field)}
				byField[rej.Field] = rf
			}
			rf.Rows++
		}
		if err != nil {
			break // a truncated file: the rest is one reject, counted above
		}
	}
	for _, rf := range byField {
		s.Rejected = append(s.Rejected, *rf)
	}
	slices.SortFunc(s.Rejected, func(a, b runrecord.RejectedField) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.FirstLine, b.FirstLine))
	})
	if len(s.Rejected) > 3 {
		s.Rejected = s.Rejected[:3]
	}
	return s, nil
}
