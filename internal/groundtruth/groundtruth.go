// Package groundtruth reads the planted events a synthetic county was generated with and scores
// a screening's flags against them, per family.
package groundtruth

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Event is one planted event of ground_truth.csv.
type Event struct {
	ID, Family, Kind string
	CaseIDs          []string
	FirstDate        string // first day the signal fires at the default thresholds
	PeakDate         string
}

// Flag is what a screening said about one matter in one family: the cases behind it.
type Flag struct {
	Family  string
	Matter  string
	CaseIDs []string
}

// Read parses a ground_truth.csv (columns truth_id, family, kind, case_ids, first_date,
// peak_date, note; case ids joined by ';').
func Read(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"truth_id", "family", "kind", "case_ids", "first_date", "peak_date"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no column %s", path, need)
		}
	}
	var events []Event
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return events, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		events = append(events, Event{
			ID: rec[col["truth_id"]], Family: rec[col["family"]], Kind: rec[col["kind"]],
			CaseIDs: strings.Split(rec[col["case_ids"]], ";"), FirstDate: rec[col["first_date"]], PeakDate: rec[col["peak_date"]],
		})
	}
}

// Score is detection quality in one family. An event is detected when a flag of its family
// shares a case with it; a flag is correct when it shares a case with an event of its family.
type Score struct {
	Events, Detected int
	Flags, Correct   int
	Missed           []string // ids of undetected events
	FalseFlags       []string // matters of flags that match no event
}

// Recall is Detected/Events (1 when there are no events).
func (s Score) Recall() float64 { return ratio(s.Detected, s.Events) }

// Precision is Correct/Flags (1 when there are no flags).
func (s Score) Precision() float64 { return ratio(s.Correct, s.Flags) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Evaluate scores flags against events, per family.
func Evaluate(events []Event, flags []Flag) map[string]*Score {
	scores := map[string]*Score{}
	get := func(family string) *Score {
		if scores[family] == nil {
			scores[family] = &Score{}
		}
		return scores[family]
	}
	flagged, planted := familyCases{}, familyCases{}
	for _, f := range flags {
		flagged.add(f.Family, f.CaseIDs)
	}
	for _, e := range events {
		planted.add(e.Family, e.CaseIDs)
	}
	for _, e := range events {
		s := get(e.Family)
		s.Events++
		if slices.ContainsFunc(e.CaseIDs, func(c string) bool { return flagged[e.Family][c] }) {
			s.Detected++
		} else {
			s.Missed = append(s.Missed, e.ID)
		}
	}
	for _, f := range flags {
		s := get(f.Family)
		s.Flags++
		if slices.ContainsFunc(f.CaseIDs, func(c string) bool { return planted[f.Family][c] }) {
			s.Correct++
		} else {
			s.FalseFlags = append(s.FalseFlags, f.Matter)
		}
	}
	return scores
}

// familyCases is a set of case ids per family.
type familyCases map[string]map[string]bool

func (m familyCases) add(family string, ids []string) {
	if m[family] == nil {
		m[family] = map[string]bool{}
	}
	for _, id := range ids {
		m[family][id] = true
	}
}
