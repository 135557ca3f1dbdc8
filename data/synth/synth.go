// Package synth writes a synthetic county's petition records — cases, contacts and events in
// the canonical schema of package data — with planted, known events and a ground-truth file,
// so that the screener's detection can be measured.
//
// # Output
//
// Generate writes cases.csv, contacts.csv, events.csv (UTF-8 without BOM, RFC 4180, header row
// of the schema's column names, dates YYYY-MM-DD, empty fields for nulls), ground_truth.csv
// (truth_id, family, kind, case_ids joined by ";", first_date, peak_date, note) and
// generator.json (the config used, counts, the as-of day). The same Config always gives
// byte-identical files: every draw comes from PCG streams seeded by Config.Seed, nothing
// depends on map order, the clock or the number of CPUs.
//
// # Office export
//
// With Config.Format FormatOffice, Generate writes the same county (the same records, ids and
// ground truth) as a county office's own export would hold it: 信访件.csv (cases),
// 来访来信记录.csv (contacts) and 办理过程.csv (events), GB18030-encoded, each with a title line
// above a header of Chinese column names, then ground_truth.csv and generator.json as above.
// Codes are Chinese names (来访, 市级, 受理; 交办 and 转办 both for assigned); dates are written in
// three layouts mixed across rows (2025-01-02, 2025/1/2, 2025年1月2日); a missing village is
// often 无. Each person is a name, an 18-character resident id number (valid check digit and
// birthday, sometimes with a lower-case x) and a mobile phone (sometimes written in groups) in
// place of the canonical person id; one person in ten has no id number, only name and phone.
// Different persons never share an id number or a phone. Contacts carry their case's category
// and township, and some have no case id: follow-ups of one person within 60 days of their
// case's receipt, when no other case of that person with the same category and township was
// active in the 120 days before, so that a run's linking step (the person's only case active
// within linking.window_days) links each back to its own case for any window of 61 to 120
// days. A few dirty rows are added, which a loader must quarantine: a case on 2月30日, a contact
// dated 不详, an unknown step (研判), an event row cut short, a duplicate case row and a duplicate
// contact row; a blank line, which it skips; and rows it must load with a number set aside, as
// one that identifies no one: every row of one person, whose id number fails its check digit
// (that person is then known by name and phone), and one contact with a 10-digit phone (its
// person by the id number). generator.json lists them by file and line (office: dirty_rows;
// kept for the rows to load) with the number of contacts written without a case id.
// configs/profiles/xinfang-office-export.yaml maps this export: screened through it, the county
// gives the watchlist of the canonical files.
//
// # Planted events
//
// Per 20,000 cases, and never fewer than 8 of each kind: 40 repeat and 20 repeat_escalating
// (family repeat); 20 group_headcount, 15 group_wave, 12 group_copied (family group); 20
// stalled_overdue, 20 stalled_no_progress, 20 stalled_extended (family stalled). Each planted
// case belongs to exactly one event. Repeat and group events start within the last 365 days and
// at least 110 days before the last day; their cases end answered, reviewed, re-reviewed or
// terminated (unresolved, not pending). Stalled cases are stalled as of the last day by
// construction, have at most three contacts, head counts under 5 and no wave.
//
// # What the ground truth promises
//
// With Contacts 0 (or at most the natural count) and a county-sized volume (generator.json
// reports background_relaxed 0 and precision_guaranteed true), at the screener's default
// thresholds as of the last day, every planted event raises its family's signal and no
// background case, contact or stratum raises any:
//   - repeat: no background case has 4 contacts within 96 days;
//   - group: background head counts are 1-4; every 6-day window of a stratum (township,
//     category, target_org) outside a planted wave holds at most 4 contacts; every background
//     text is unique after normalisation (letters only, lower-cased);
//   - stalled: background cases meet every clock with margins (decided at least 3 days before a
//     deadline, at most 85 days without progress, at most one extension); the few that missed a
//     deadline were answered and closed by the last day. Replayed as of an earlier day such a
//     late case is stalled for a while: the stalled promise holds as of the last day only.
//
// The repeat and group promises hold as of every day, so do those for planted cases of other
// families (planted repeat and group cases meet every clock). first_date is the first day the
// event's signal fires when screening as of that day; a planted signal keeps firing from then
// to the last day.
//
// Extra contacts (Contacts above the natural count, for benchmarks) are heavy-tailed: four in
// five go to every 20th case, the chronic few, the rest to any case already received, without
// regard to any threshold, so precision is no longer promised.
// The county has a fixed geography (18-25 townships), so above about 30,000 cases a year its
// busiest strata cannot hold the background under the wave limit; the planner then places such
// cases anyway and counts them in background_relaxed.
//
// Counts of planted events scale with Cases, not with Days.
//
// # Message board
//
// With Config.Format FormatBoard, Generate writes a message board instead of a county:
// board.csv and ground_truth.csv, with Cases messages (see board.go for both files' layout
// and what the board holds).
package synth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/transform"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Config selects the county to generate. A zero field takes its default.
type Config struct {
	// Seed seeds every random choice; 0 is a valid seed.
	Seed uint64
	// Cases is the total number of cases, planted ones included; at least 1,000. Default:
	// 20,000 a year, scaled to Days.
	Cases int
	// Contacts is the total number of contacts. 0 means the natural count (about 1.6 per
	// case). Below it, background follow-up contacts are dropped at random; above it, extra
	// background contacts are spread over cases and the ground truth's precision is not
	// promised (see the package doc).
	Contacts int
	// Start is the first day; only its calendar date counts. Default 2025-01-01.
	Start time.Time
	// Days is the number of days covered, 180 to 3,660. Default 365. The last day is the as-of
	// day: nothing is dated after it and some contact falls on it.
	Days int
	// Format is the layout of the three record files: FormatCanonical (the default) or
	// FormatOffice. The county is the same in both (see the package doc, Office export).
	Format string
}

// The layouts Generate writes the records in.
const (
	// FormatCanonical writes cases.csv, contacts.csv and events.csv in the canonical schema.
	FormatCanonical = "canonical"
	// FormatOffice writes the same records as a county office's own export would hold them.
	FormatOffice = "office"
)

// Formats lists the values of Config.Format.
var Formats = []string{FormatCanonical, FormatOffice, FormatBoard}

// Summary reports what Generate wrote.
type Summary struct {
	Cases, Contacts, Events, Planted int
	AsOf                             time.Time // the last day
	Files                            []string  // paths written, in order
	// Board is what a message board holds (FormatBoard only; Cases and Contacts then count
	// its messages, Planted its hot issues).
	Board *BoardCounts
}

const (
	defaultCasesPerYear = 20000
	minCases            = 1000
	maxCases            = 20_000_000
	minDays             = 180
	maxDays             = 3660
)

// ConfigError is a Config that does not validate (a count or format out of range): the
// caller's mistake, not a failure to generate.
type ConfigError struct{ err error }

func (e *ConfigError) Error() string               { return e.err.Error() }
func (e *ConfigError) Unwrap() error               { return e.err }
func (e *ConfigError) Localize(lang string) string { return i18n.Localize(lang, e.err) }

// withDefaults fills zero fields and validates the rest (a *ConfigError).
func (c Config) withDefaults() (Config, error) {
	c, err := c.defaults()
	if err != nil {
		return c, &ConfigError{err}
	}
	return c, nil
}

func (c Config) defaults() (Config, error) {
	if c.Days == 0 {
		c.Days = 365
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := c.Start.Date()
	c.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if c.Cases == 0 {
		c.Cases = (defaultCasesPerYear*c.Days + 182) / 365
	}
	if c.Format == "" {
		c.Format = FormatCanonical
	}
	switch {
	case !slices.Contains(Formats, c.Format):
		return c, i18n.Errorf("synth.format", c.Format, strings.Join(Formats, ", "))
	case c.Days < minDays || c.Days > maxDays:
		return c, i18n.Errorf("synth.days", c.Days, minDays, maxDays)
	case c.Cases < minCases || c.Cases > maxCases:
		return c, i18n.Errorf("synth.cases", c.Cases, minCases, maxCases)
	case c.Contacts < 0:
		return c, i18n.Errorf("synth.contacts", c.Contacts)
	}
	return c, nil
}

var fileNames = []string{"cases.csv", "contacts.csv", "events.csv", "ground_truth.csv", "generator.json"}

// FileNames lists the files Generate writes in a format, in order: the cases, contacts and
// events files, ground_truth.csv and generator.json.
func FileNames(format string) []string {
	switch format {
	case FormatOffice:
		return officeFileNames
	case FormatBoard:
		return boardFileNames
	}
	return fileNames
}

// Generate plans the county for cfg and writes it into outDir (created if needed). Each file
// is written under a temporary name and renamed once all are complete; on error the temporary
// files are removed. progress, if not nil, is called from the calling goroutine with the number
// of cases written so far and the total.
func Generate(ctx context.Context, cfg Config, outDir string, progress func(done, total int)) (Summary, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Summary{}, err
	}
	if cfg.Format == FormatBoard {
		return generateBoard(ctx, cfg, outDir, progress)
	}
	p := newPlanner(cfg)
	if err := p.plan(ctx); err != nil {
		return Summary{}, err
	}
	natural := 0
	for _, x := range p.contacts {
		if x.day != dropped {
			natural++
		}
	}
	s := Summary{Cases: len(p.cases), Contacts: max(cfg.Contacts, natural), Events: len(p.events),
		Planted: len(p.truth), AsOf: cfg.Start.AddDate(0, 0, p.last)}
	l := newLayout(p)
	tables, err := l.writeAll(ctx, outDir, s.Contacts, progress)
	if err == nil {
		err = writeInfo(outDir, cfg, s, l, natural)
	}
	if err == nil {
		for _, t := range tables {
			if err = os.Rename(t.tmp, t.path); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = os.Rename(filepath.Join(outDir, "generator.json.tmp"), filepath.Join(outDir, "generator.json"))
	}
	if err != nil {
		for _, t := range tables {
			os.Remove(t.tmp)
		}
		os.Remove(filepath.Join(outDir, "generator.json.tmp"))
		return Summary{}, err
	}
	for _, name := range FileNames(cfg.Format) {
		s.Files = append(s.Files, filepath.Join(outDir, name))
	}
	return s, nil
}

// writeAll writes the four CSV files under temporary names: contacts and events in their own
// goroutines, cases (with progress) and the ground truth in the caller's. It returns every
// table it created, so the caller can rename or remove them.
func (l *layout) writeAll(ctx context.Context, dir string, contacts int, progress func(int, int)) ([]*table, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	names, columns := fileNames, [][]string{caseColumns, contactColumns, eventColumns, truthColumns}
	if l.office != nil {
		names, columns = officeFileNames, [][]string{officeCaseColumns, officeContactColumns, officeEventColumns, truthColumns}
	}
	var tables []*table
	for i, cols := range columns {
		var title string
		var enc transform.Transformer
		if l.office != nil && i < len(officeTitles) {
			title, enc = l.office.title(i), gb18030()
		}
		t, err := createTable(dir, names[i], cols, title, enc)
		if t != nil {
			tables = append(tables, t)
		}
		if err != nil {
			for _, t := range tables {
				t.close()
			}
			return tables, err
		}
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	background := func(i int, write func() error) {
		wg.Go(func() {
			if errs[i] = write(); errs[i] != nil {
				cancel()
			}
		})
	}
	background(1, func() error { return l.writeContacts(ctx, tables[1], contacts) })
	background(2, func() error { return l.writeEvents(ctx, tables[2]) })
	if errs[0] = l.writeCases(ctx, tables[0], progress); errs[0] == nil {
		errs[3] = l.writeTruth(tables[3])
	} else {
		cancel()
	}
	wg.Wait()
	for i, t := range tables {
		if err := t.close(); errs[i] == nil {
			errs[i] = err
		}
	}
	return tables, errors.Join(errs...)
}

// info is the layout of generator.json.
type info struct {
	Generator string `json:"generator"`
	Config    struct {
		Seed     uint64 `json:"seed"`
		Cases    int    `json:"cases"`
		Contacts int    `json:"contacts"`
		Start    string `json:"start"`
		Days     int    `json:"days"`
		Format   string `json:"format,omitempty"` // only when not canonical
	} `json:"config"`
	AsOf   string `json:"as_of"`
	Counts struct {
		Cases           int `json:"cases"`
		Contacts        int `json:"contacts"`
		NaturalContacts int `json:"natural_contacts"`
		Events          int `json:"events"`
		Planted         int `json:"planted"`
		PlantedCases    int `json:"planted_cases"`
	} `json:"counts"`
	PlantedByKind []kindCount `json:"planted_by_kind"`
	// BackgroundRelaxed counts background cases placed without the stratum limit.
	BackgroundRelaxed int `json:"background_relaxed"`
	// PrecisionGuaranteed is true when no background record meets a threshold (package doc).
	PrecisionGuaranteed bool     `json:"precision_guaranteed"`
	Files               []string `json:"files"`
	// Office describes the office export (Config.Format office only).
	Office *officeInfo `json:"office,omitempty"`
}

type kindCount struct {
	Kind   string `json:"kind"`
	Family string `json:"family"`
	Events int    `json:"events"`
}

// writeInfo writes generator.json.tmp.
func writeInfo(dir string, cfg Config, s Summary, l *layout, natural int) error {
	p := l.p
	var in info
	in.Generator = "earlywarn synth v1"
	in.Config.Seed, in.Config.Cases, in.Config.Contacts = cfg.Seed, cfg.Cases, cfg.Contacts
	in.Config.Start, in.Config.Days = cfg.Start.Format(time.DateOnly), cfg.Days
	in.AsOf = s.AsOf.Format(time.DateOnly)
	in.Counts.Cases, in.Counts.Contacts, in.Counts.NaturalContacts = s.Cases, s.Contacts, natural
	in.Counts.Events, in.Counts.Planted, in.Counts.PlantedCases = s.Events, s.Planted, p.bgFirst
	for k := range nKinds {
		kc := kindCount{Kind: kinds[k].name, Family: kinds[k].family}
		for _, t := range p.truth {
			if t.kind == k {
				kc.Events++
			}
		}
		in.PlantedByKind = append(in.PlantedByKind, kc)
	}
	in.BackgroundRelaxed = p.relaxed
	in.PrecisionGuaranteed = p.relaxed == 0 && s.Contacts <= natural
	in.Files = FileNames(cfg.Format)
	if l.office != nil {
		in.Config.Format, in.Office = cfg.Format, l.office.info()
	}
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "generator.json.tmp"), append(b, '\n'), 0o644)
}
