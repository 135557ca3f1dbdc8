// Package groundtruth reads the planted events a synthetic county was generated with and scores
// a screening's flags against them, per family.
package groundtruth

import (
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
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
// peak_date, note; case ids joined by ';'; dates YYYY-MM-DD). Its errors name the file and,
// where there is one, the line.
func Read(path string) ([]Event, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, i18n.Errorf("groundtruth.not_found", path)
	}
	if err != nil {
		return nil, i18n.Wrap(err, "groundtruth.unreadable", path)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err == io.EOF {
		return nil, i18n.Errorf("groundtruth.empty", path)
	}
	if err != nil {
		return nil, csvError(path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"truth_id", "family", "kind", "case_ids", "first_date", "peak_date"} {
		if _, ok := col[need]; !ok {
			return nil, i18n.Errorf("groundtruth.no_column", path, need)
		}
	}
	var events []Event
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return events, nil
		}
		if err != nil {
			return nil, csvError(path, err)
		}
		line, _ := r.FieldPos(0)
		for _, c := range []string{"first_date", "peak_date"} {
			if _, err := time.Parse(time.DateOnly, rec[col[c]]); err != nil {
				return nil, i18n.Errorf("groundtruth.bad_date", path, line, c, rec[col[c]])
			}
		}
		events = append(events, Event{
			ID: rec[col["truth_id"]], Family: rec[col["family"]], Kind: rec[col["kind"]],
			CaseIDs: strings.Split(rec[col["case_ids"]], ";"), FirstDate: rec[col["first_date"]], PeakDate: rec[col["peak_date"]],
		})
	}
}

// csvError says what is wrong with the file's CSV, and on which line.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return i18n.Wrap(err, "groundtruth.unreadable", path)
	}
	problem := i18n.M("groundtruth.csv.other")
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		problem = i18n.M("groundtruth.csv.field_count")
	case errors.Is(pe.Err, csv.ErrQuote):
		problem = i18n.M("groundtruth.csv.quote")
	case errors.Is(pe.Err, csv.ErrBareQuote):
		problem = i18n.M("groundtruth.csv.bare_quote")
	}
	return i18n.Errorf("groundtruth.csv", path, pe.Line, problem)
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
