package ingest

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
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
		r, rej, ok := m.Map(rec)
		if ok {
			// Codes are checked in DuckDB on the way in; here, as it would.
			if bad, ok2 := unknownCode(&r, rej); !ok2 {
				rej, ok = bad, false
			}
		}
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
					Columns: f.src.mapping.Columns(rej.Field), Written: f.src.mapping.Written(rej.Field)}
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

// unknownCode checks the coded fields of a mapped row as the load does (check_code.sql):
// the first value outside its code list rejects the row, with the reasons of rej (the numbers
// it set aside) after it.
func unknownCode(r *row, rej rejection) (rejection, bool) {
	for _, c := range [...]struct{ field, v string }{
		{"channel", r.Channel}, {"level", r.Level}, {"event_type", r.EventType}, {"result", r.Result},
	} {
		list := codeList(c.field)
		if c.v == "" || slices.Contains(list, c.v) {
			continue
		}
		reasons := []runrecord.Reason{{Code: runrecord.ReasonUnknownCode, Field: c.field, Args: []string{c.v, strings.Join(list, ", ")}}}
		if kept, ok := runrecord.DecodeReasons(rej.Reason); ok && rej.Kept {
			reasons = append(reasons, kept[:len(kept)-1]...) // less its row_kept
		}
		return rejection{Line: r.Line, Field: c.field, Reason: runrecord.EncodeReasons(reasons), Raw: c.v}, false
	}
	return rej, true
}
