package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/title"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/web/review"
)

// What report.html and the workbook's first sheet show a leader, in this order: the matters to
// act on (red ones, and orange ones that are new, worse or back, at most Settings.LeaderTop),
// the watchlist's counts per township, category and responsible unit, the supervision counts
// (督办: matters past a deadline or stalled, one line per responsible unit), what changed since
// the previous run and what it cleared; the full list follows (its own sheet, or a link and a
// collapsed section of the report). Rules are shown by the names the run's record keeps
// (review.Rules), cleared matters' rules by the previous run's.

// Settings are how a run's outputs are written: their language, how many matters to act on
// the report and the workbook's first sheet list, and how many rows each list of the workbook
// holds.
type Settings struct {
	Lang      string
	LeaderTop int
	// SheetRows caps each list of the workbook and the report's due-soon and ownership lists
	// (watchlist.sheet_rows; configs.DefaultSheetRows when unset, at most configs.MaxSheetRows):
	// see bounds.go.
	SheetRows int
	// Location is the office's time zone (the config's timezone): the report and the
	// workbook's ledger date notes and the month in it; UTC when nil.
	Location *time.Location
	// Memory is DuckDB's memory_limit in bytes (0: none set). Publishing writes its files side
	// by side only when the watchlist's id lists fit it three times over (see sideBySide).
	Memory int64
	// Profile is the profile the input is read through (nil: canonical files): quarantine.csv
	// names the export's columns beside each field.
	Profile *configs.Profile
}

// top is the length of the list of matters to act on: LeaderTop, or its default when unset.
func (s Settings) top() int {
	if s.LeaderTop <= 0 {
		return configs.DefaultLeaderTop
	}
	return s.LeaderTop
}

// ClearedShown caps the cleared matters the report lists (the workbook lists Settings.rows).
const ClearedShown = 100

// Leader is what a leader reads first of one run.
type Leader struct {
	ActOn     []Matter // the matters to act on
	ActOnMore int64    // matters that qualify beyond those listed
	// Changes counts the run's matters per change state against the previous run, in
	// review.ChangeStates order, cleared and suppressed among them; none for a first run.
	Changes                        []Count
	PrevRun, PrevAsOf              string // the previous run ("" for none)
	ByTownship, ByCategory, ByUnit []TierCount
	Supervise                      []UnitOverdue
	// DeadlinesUnknown: the run's data has no closing records (runrecord.Summary's
	// DeadlinesUnknown, or a rule's WarnNoClosing), so no deadline means anything and Supervise
	// counts no matter past one.
	DeadlinesUnknown bool
	Cleared          []Cleared
	ClearedTotal     int64
	// Warnings are the run's input warnings as a leader reads them (runrecord.Briefs); Quiet
	// says how many flagged matters were quiet and not listed ("" for none).
	Warnings []string
	// WarningDetails are the same warnings as the analyst reads them (runrecord.Lines): what is
	// wrong with the input and what to change.
	WarningDetails []string
	Quiet          string
}

// TierCount is a number of watchlist items under a key, per tier.
type TierCount struct {
	Key                        string
	Red, Orange, Yellow, Total int64
}

// UnitOverdue is one responsible unit's line of the supervision counts: its matters past a
// deadline or stalled, how many of them are red, past a deadline and stalled, and the most days
// one is past its deadline.
type UnitOverdue struct {
	Unit                           string
	Matters, Red, Overdue, Stalled int64
	MaxDaysOverdue                 int64
}

// Cleared is a matter the run cleared, as the previous run listed it.
type Cleared struct {
	ID, Kind, Tier, Why, Township, Category, Unit string
	Rules, Reason, Listed                         string
	Title                                         string // as the previous run had it (see MatterTitle)
}

// loadLeader reads what a leader reads first of run runID, in set.Lang, naming rules as the
// run's record does (rules); clearedMax caps the cleared matters (0: all).
func loadLeader(ctx context.Context, q db.Querier, runID string, set Settings, rules review.Rules, clearedMax int) (*Leader, error) {
	lang := review.Lang(set.Lang)
	l := &Leader{}
	var qualifying int64
	var err error
	l.ActOn, err = db.Collect(ctx, q, leaderTopSQL.in(lang), []any{runID, set.top()}, func(rows *sql.Rows) (Matter, error) {
		return scanMatter(rows, rules, lang, &qualifying)
	})
	if err != nil {
		return nil, err
	}
	l.ActOnMore = max(qualifying-int64(len(l.ActOn)), 0)
	for _, g := range []struct {
		into *[]TierCount
		sql  string
	}{{&l.ByTownship, leaderTownSQL}, {&l.ByCategory, leaderCatSQL}, {&l.ByUnit, leaderUnitSQL}} {
		if *g.into, err = db.Collect(ctx, q, g.sql, []any{runID}, func(rows *sql.Rows) (TierCount, error) {
			var c TierCount
			err := rows.Scan(&c.Key, &c.Red, &c.Orange, &c.Yellow, &c.Total)
			return c, err
		}); err != nil {
			return nil, err
		}
	}
	if l.Supervise, err = db.Collect(ctx, q, leaderSuperviseSQL, []any{runID}, func(rows *sql.Rows) (UnitOverdue, error) {
		var u UnitOverdue
		err := rows.Scan(&u.Unit, &u.Matters, &u.Red, &u.Overdue, &u.Stalled, &u.MaxDaysOverdue)
		return u, err
	}); err != nil {
		return nil, err
	}
	l.Supervise = capOverdue(l.Supervise, GroupRows, lang)
	if err := l.loadNotes(ctx, q, runID, lang, rules); err != nil {
		return nil, err
	}
	if err := l.loadChanges(ctx, q, runID, lang, clearedMax); err != nil {
		return nil, err
	}
	return l, nil
}

// loadChanges reads the run's counts per change state and the matters it cleared.
func (l *Leader) loadChanges(ctx context.Context, q db.Querier, runID, lang string, clearedMax int) error {
	n := map[string]int64{}
	err := db.Query(ctx, q, leaderChangesSQL, []any{runID}, func(rows *sql.Rows) error {
		var state string
		var c int64
		if err := rows.Scan(&state, &c, &l.PrevRun, &l.PrevAsOf); err != nil {
			return err
		}
		n[state] = c
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range review.ChangeStates {
		if l.PrevRun != "" || n[s] > 0 {
			l.Changes = append(l.Changes, Count{Key: s, Label: review.ChangeLabel(lang, s), N: n[s]})
		}
	}
	for s := range n { // a state this version does not know (a later one's) still counts
		if !slices.Contains(review.ChangeStates, s) {
			l.Changes = append(l.Changes, Count{Key: s, Label: review.ChangeLabel(lang, s), N: n[s]})
		}
	}
	if l.PrevRun == "" {
		return nil
	}
	prevRules, err := review.LoadRules(ctx, q, l.PrevRun)
	if err != nil {
		return err
	}
	limit := int64(math.MaxInt64)
	if clearedMax > 0 {
		limit = int64(clearedMax)
	}
	l.Cleared, err = db.Collect(ctx, q, leaderClearedSQL.in(lang), []any{runID, limit}, func(rows *sql.Rows) (Cleared, error) {
		var c Cleared
		var ids string
		err := rows.Scan(&c.ID, &c.Kind, &c.Tier, &c.Why, &c.Township, &c.Category, &c.Unit, &ids, &c.Reason, &c.Listed, &c.Title, &l.ClearedTotal)
		c.Rules = prevRules.JoinIDs(lang, ids)
		c.Title = MatterTitle(c.Title, c.Township, c.Category)
		return c, err
	})
	return err
}

// scanMatter scans a row of matter_columns.sql (and, when qualifying is not nil, the number of
// matters that qualify), showing its rules by their names in lang.
func scanMatter(rows *sql.Rows, rules review.Rules, lang string, qualifying *int64) (Matter, error) {
	var m Matter
	var ids string
	dest := []any{&m.Rank, &m.ID, &m.Kind, &m.Tier, &m.Score, &ids, &m.Township, &m.Category, &m.Unit, &m.Reason, &m.Change, &m.ChangeNote, &m.Title}
	if qualifying != nil {
		dest = append(dest, qualifying)
	}
	err := rows.Scan(dest...)
	m.Rules = rules.JoinIDs(lang, ids)
	m.Title = MatterTitle(m.Title, m.Township, m.Category)
	return m, err
}

// MatterTitle is a matter's title as the watchlist stores it (internal/title, composed when the
// run built its watchlist), or, for a run an earlier version stored without titles, one made of
// its township and category.
func MatterTitle(stored, township, category string) string {
	if stored != "" {
		return stored
	}
	return title.Of(title.Facts{Township: township, Category: category})
}

// loadNotes reads what the run's record says beside the watchlist: its input warnings, naming
// rules as the run did, whether one says the data has no closing records, how many flagged
// matters were quiet and not listed, and what of its input counts for nothing or identifies no
// one (rows quarantined or set aside, records whose case is missing).
func (l *Leader) loadNotes(ctx context.Context, q db.Querier, runID, lang string, rules review.Rules) error {
	var js, inputs, missing sql.NullString
	var n sql.NullInt64
	var unknown bool
	var asOf, recordsLatest string
	err := q.QueryRowContext(ctx, runNotesSQL, runID).Scan(&js, &n, &unknown, &asOf, &recordsLatest, &inputs, &missing)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if n.Int64 > 0 {
		l.Quiet = i18n.T(lang, "report.quiet", n.Int64)
	}
	var ws []runrecord.Warning
	if js.Valid {
		if err := json.Unmarshal([]byte(js.String), &ws); err != nil {
			return err
		}
	}
	l.DeadlinesUnknown = unknown || slices.ContainsFunc(ws, func(w runrecord.Warning) bool { return w.Code == runrecord.WarnNoClosing })
	name := func(rule string) string { return rules.Name(lang, rule) }
	l.Warnings, l.WarningDetails = runrecord.Briefs(lang, ws, name), runrecord.Lines(lang, ws, name)
	if recordsLatest != "" {
		// The as-of date came from an event far past the last case received (a stray closing date).
		l.Warnings = append([]string{i18n.T(lang, "report.as_of_from_events", asOf, recordsLatest)}, l.Warnings...)
		l.WarningDetails = append([]string{i18n.T(lang, "cli.run.as_of_from_events", asOf, recordsLatest)}, l.WarningDetails...)
	}
	return l.inputNotes(lang, inputs, missing)
}

// inputNotes adds to the warnings what the run's load left out of the screening or kept without
// its identifier, as the run's printout says it (inputs: the record's input files; missing: its
// records of missing cases; JSON or NULL).
func (l *Leader) inputNotes(lang string, inputs, missing sql.NullString) error {
	var files []runrecord.FileResult
	if inputs.Valid {
		if err := json.Unmarshal([]byte(inputs.String), &files); err != nil {
			return err
		}
	}
	var quarantined, sentTwice, setAside int64
	for _, f := range files {
		quarantined += f.Quarantined - f.SentTwice
		sentTwice += f.SentTwice
		setAside += f.SetAside
	}
	if quarantined > 0 {
		l.Warnings = append(l.Warnings, i18n.T(lang, "report.quarantined", quarantined, QuarantineCSV))
	}
	if sentTwice > 0 {
		// A form sent twice is counted once: nothing to correct.
		l.Warnings = append(l.Warnings, i18n.T(lang, "report.sent_twice", sentTwice, QuarantineCSV))
	}
	if setAside > 0 {
		l.Warnings = append(l.Warnings, i18n.T(lang, "report.set_aside", setAside, QuarantineCSV))
	}
	var m *runrecord.MissingCases
	if missing.Valid {
		if err := json.Unmarshal([]byte(missing.String), &m); err != nil {
			return err
		}
		l.Warnings = append(l.Warnings, i18n.T(lang, "report.missing_cases", m.Contacts, m.Events,
			strings.Join(m.CaseIDs, i18n.T(lang, "label.list_sep"))))
	}
	for _, line := range runrecord.LoadLines(lang, files, m, QuarantineCSV) {
		l.WarningDetails = append(l.WarningDetails, strings.TrimSpace(line))
	}
	return nil
}
