// Package runrecord holds what a run and a backtest found, as plain data: the run record
// (Summary, written to summary.json and in parts to the runs table) with its per-file, linking
// and per-rule parts, and the backtest result (written to backtest.csv and backtest.svg).
//
// It is a leaf under pipeline so that imports run one way: the stages that fill these records
// (pipeline, and its ingest) and pipeline/publish, which writes them, both import it, and
// publish never imports pipeline. It holds no behaviour beyond a few derived figures.
package runrecord

import (
	"encoding/json"
	"time"

	"github.com/earlywarn/earlywarn/data"
)

// Summary is the run record as written to summary.json and, in parts, to the runs table.
type Summary struct {
	RunID string `json:"run_id"`
	AsOf  string `json:"as_of"`
	// AfterAsOf counts, per table (cases, contacts, events), the records dated after the as-of
	// date: loaded, and left out of this screening as not yet recorded on that day.
	AfterAsOf map[string]int64 `json:"after_as_of"`
	// DataLatest is the latest date in the data when the run kept the as-of date of the last
	// stored run, later than it (an as-of date left to the data never goes back); else empty.
	DataLatest string `json:"data_latest,omitempty"`
	// RecordsLatest is the latest day a case was received or a contact made, when the run took
	// its as-of date from the data and events alone reach more than a month past it (a stray
	// closing date, years late, sets the date); else empty.
	RecordsLatest  string                `json:"records_latest,omitempty"`
	StartedAt      time.Time             `json:"started_at"`
	FinishedAt     time.Time             `json:"finished_at"`
	Version        string                `json:"version"`
	ConfigPath     string                `json:"config_path"`
	ConfigHash     string                `json:"config_hash"`
	Database       string                `json:"database"`
	Inputs         []FileResult          `json:"inputs"`
	Links          LinkResult            `json:"links"` // contacts without a case id, and what linking did with them
	Rules          map[string]RuleResult `json:"rules"`
	WatchlistItems int64                 `json:"watchlist_items"`
	Tiers          map[string]int64      `json:"tiers"`
	// QuietMatters counts the matters the rules flagged none of whose flags is live (newest
	// evidence older than watchlist.active_days, no case pending): not on the watchlist, their
	// flags in the database.
	QuietMatters int64            `json:"quiet_matters"`
	Families     map[string]int64 `json:"families"`
	States       map[string]int64 `json:"states"` // items per state against the previous run, with cleared and suppressed matters
	// Warnings say where a rule cannot mean anything on this input, and which rules were skipped
	// for it (see Warning).
	Warnings []Warning `json:"warnings,omitempty"`
	// DueSoon counts the cases on the due-soon list (临期预警: pending, their stage due within
	// watchlist.due_soon_days); DueSoonDays is that setting (0: no list).
	DueSoon     int64 `json:"due_soon"`
	DueSoonDays int   `json:"due_soon_days"`
	// TitleGist is watchlist.title_gist of the run: its titles, and its due-soon list's cases,
	// show the gist of their content.
	TitleGist bool `json:"title_gist"`
	// BareTitles counts the watchlist's items whose title says nothing of what the matter is
	// about: a place (and a day) only, for data without category and target organisation.
	BareTitles int64 `json:"bare_titles,omitempty"`
	// DeadlinesUnknown: the data has no closing records (no answer, review or close, and cases
	// past the handling clock), so no deadline means anything: no due-soon list, no matter past
	// a deadline, whichever rules the config has (the no_closing warning is a rule's).
	DeadlinesUnknown bool `json:"deadlines_unknown,omitempty"`
	// Topics are the run's emerging topics (新出现的热点话题), apart from the watchlist; nil when
	// the config turns them off.
	Topics  *Topics            `json:"topics,omitempty"`
	Timings map[string]float64 `json:"timings_seconds"`
	Outputs []string           `json:"outputs"`
	// Republished is the stored run whose outputs this run found missing, incomplete or an
	// older run's in the output folder, and wrote again from the database before loading.
	Republished string `json:"republished_run,omitempty"`
	// UnpublishedRuns are the stored runs, oldest first, since the last run whose outputs were
	// published whole into the output folder (Republished among them, when its outputs had
	// never been in place): this run's Inputs and quarantine.csv carry their files and
	// quarantined rows (FileResult.UnpublishedRun), so that a run replacing their outputs
	// still shows every row they rejected.
	UnpublishedRuns []string `json:"unpublished_runs,omitempty"`
	// Categories is what the category classifier did with the cases this run loaded; nil when
	// the config names no model.
	Categories *Categories `json:"categories,omitempty"`
	// Basis is a digest of what the run's results follow from besides the records: the
	// config's behaviour, the program (its version and executable) and the publish settings
	// ("" for runs an earlier version stored). A later run that loads nothing new and finds the same as-of date, the same basis
	// and no review action since this run started gives this run's results without screening
	// (see pipeline.Run).
	Basis string `json:"basis,omitempty"`
	// ScreenBasis is the part of Basis the run's flags and their reasons follow from: the
	// config's behaviour, the program and the time zone, not the output language or the publish
	// settings ("" for runs an earlier version stored). A run on the latest stored run's
	// screening basis takes that run's reasons for the same facts, and its flags for the cases
	// whose records did not change (see pipeline's rescreen.go).
	ScreenBasis string `json:"screen_basis,omitempty"`
	// PrevAsOf is the as-of date of the run whose watchlist this run's states (States) are
	// against: the latest stored with an earlier as-of date; "" when there is none, and every
	// item is new.
	PrevAsOf string `json:"prev_as_of,omitempty"`
	// SameAsOfRuns is how many runs were stored as of this run's date before it: a re-run's
	// earlier attempts, which its states are never against (see PrevAsOf).
	SameAsOfRuns int `json:"same_as_of_runs,omitempty"`
	// Standing is set, and RunID empty, on the summary pipeline.Run returns when it stored and
	// published no run because this stored run's results still stand: nothing new since. Its
	// watchlist counts (WatchlistItems, Tiers, Families, States, DueSoon) are then that run's.
	Standing string `json:"-"`
}

// QuarantineRuns are the runs whose quarantined rows this run's quarantine.csv lists: its own
// and the UnpublishedRuns'.
func (s *Summary) QuarantineRuns() []string {
	return append([]string{s.RunID}, s.UnpublishedRuns...)
}

// Input names one input file of a canonical table, as the run record shows it. Ingest's input
// files embed it beside what only ingest needs.
type Input struct {
	Table  data.Table `json:"-"`
	Path   string     `json:"path"`
	Format string     `json:"format"` // csv or parquet
	SHA256 string     `json:"sha256"`
	// Profile names the mapping profile the file was read through ("" for canonical files).
	Profile string `json:"profile,omitempty"`
	// Source names the profile's source the file matched, and Mapping is a digest of that
	// source's settings and the run's time zone ("" for canonical files): the same file read
	// through a changed mapping loads again.
	Source  string `json:"source,omitempty"`
	Mapping string `json:"mapping,omitempty"`
	// Ignored says the file is in the input folder but matches no source of the profile, so
	// nothing of it was read.
	Ignored bool `json:"ignored,omitempty"`
	// Pseudonymisation says how personal identifiers in the file were protected.
	Pseudonymisation string `json:"pseudonymisation,omitempty"`
}

// TextCount counts the rows whose text was searched for a field, and those it was found in.
type TextCount struct {
	Searched int64 `json:"searched"`
	Found    int64 `json:"found"`
}

// FileResult accounts for one input file: Read = Loaded + Quarantined, or the file was
// Skipped because a file with the same checksum was loaded before, or Ignored because it
// matches no source of the profile.
type FileResult struct {
	Input
	TableName   string `json:"table"`
	Skipped     bool   `json:"skipped"`
	Read        int64  `json:"rows_read"`
	Loaded      int64  `json:"rows_loaded"`
	Quarantined int64  `json:"rows_quarantined"`
	// SentTwice are the quarantined rows that repeat an earlier row of the file (a form sent
	// twice, in a file with a case key): not the profile's fault, so not counted against
	// quarantine.max_reject_rate.
	SentTwice int64 `json:"rows_sent_twice,omitempty"`
	// SetAside are loaded rows (of Loaded) with an identifier set aside: an id number or phone
	// that is not one, listed in quarantine.csv but identifying no one (table set_aside).
	SetAside int64 `json:"rows_identifier_set_aside,omitempty"`
	// Rejected are the fields most of the file's quarantined rows name, most first (at most 3),
	// each with the reason of its first: what a run says of its quarantine.
	Rejected []RejectedField `json:"rejected_fields,omitempty"`
	// FoundInText counts, for each field a profile finds in the text, the rows whose text was
	// searched and those a value was found in (the others took the field's default).
	FoundInText map[string]TextCount `json:"found_in_text,omitempty"`
	// Seconds is the file's wall time in ingest: waiting for its checksum, loading, validating.
	Seconds float64 `json:"seconds"`
	// For files read through a profile: seconds spent reading, decoding, checking, hashing and
	// building Arrow batches in Go (DuckDB loads them meanwhile), and handing the rest to
	// DuckDB after the last batch.
	GoSeconds      float64 `json:"go_seconds,omitempty"`
	HandOffSeconds float64 `json:"arrow_handoff_seconds,omitempty"`
	// LoadedBy is the run that loaded the file and was interrupted before it was stored; this
	// run adopted that load ("" for files this run loaded or skipped).
	LoadedBy string `json:"loaded_by_interrupted_run,omitempty"`
	// UnpublishedRun is the stored run that loaded the file and whose outputs were never
	// published whole; this run's outputs carry the file's counts and quarantined rows (see
	// Summary.UnpublishedRuns). "" for the files of this run.
	UnpublishedRun string `json:"loaded_by_unpublished_run,omitempty"`
}

// RejectedField counts a file's quarantined rows that name one field.
type RejectedField struct {
	Field     string `json:"field"`
	Rows      int64  `json:"rows"`
	FirstLine int64  `json:"first_line,omitempty"` // 0 when the reader did not know the line
	// Reason is the reason of the first of them, as the quarantine table stores it (see
	// EncodeReasons): a JSON array.
	Reason  json.RawMessage `json:"first_reason"`
	Columns []string        `json:"columns,omitempty"` // the export's columns the field comes from (a profile's source's)
	Written []string        `json:"written,omitempty"` // the export's words the source's map of the field takes
}

// LinkResult counts what the linking step did.
type LinkResult struct {
	Unlinked  int64 `json:"unlinked_contacts"` // contacts without a case id
	Linked    int64 `json:"linked"`
	Ambiguous int64 `json:"ambiguous"` // the person had several candidate cases
	Capped    int64 `json:"capped"`    // left out by max_per_case
	// NoCase had no candidate case: their person has no case in the window, or is unknown (a
	// contact with no id number, name or phone that identifies a person).
	NoCase int64 `json:"no_case"`
	// OfMissingCases are the records that name a case the database does not hold (measured
	// when the run loaded rows; nil otherwise, or when there are none).
	OfMissingCases *MissingCases `json:"records_of_missing_cases,omitempty"`
}

// MissingCases counts the contacts and events whose case is not in the database (its row
// quarantined, or in no file): screening reads them with their case, so they count for nothing.
type MissingCases struct {
	Contacts int64    `json:"contacts"`
	Events   int64    `json:"events"`
	CaseIDs  []string `json:"case_ids"` // up to five, smallest first
}

// RuleName is a rule's display name in each language (configs.RuleName, which this leaf may
// not import).
type RuleName struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In is the name in lang, or fallback when it has none there.
func (n RuleName) In(lang, fallback string) string {
	name := n.ZH
	if lang == "en" {
		name = n.EN
	}
	if name == "" {
		return fallback
	}
	return name
}

// RuleResult is what one rule found in a run, with what outputs show of it: its kind and
// display names (read back by web/review's LoadRules, so that a run's outputs name its rules
// as its config did).
type RuleResult struct {
	Kind    string   `json:"kind,omitempty"`
	Name    RuleName `json:"name"`
	Family  string   `json:"family"`
	Flags   int64    `json:"flags"`
	Seconds float64  `json:"seconds"`
	// Skipped says the rule did not run: the input cannot give what it needs (the run record's
	// Warnings say why).
	Skipped bool `json:"skipped,omitempty"`
	// Rescreened says the rule, by case or by group, screened again only the cases or groups
	// whose flags could have changed since the latest stored run; nil when it screened all.
	Rescreened *Rescreened `json:"rescreened,omitempty"`
	// Texts says what a rule that keeps counts over its period (hot_issue) read; nil for the
	// others.
	Texts *TextsRead `json:"texts,omitempty"`
}

// TextsRead counts the texts a rule that keeps counts over its period read: those it added to
// the counts or took out of them (Read: entering or leaving its period since the latest stored
// run), and those the counts cover (Counted); All when it counted every text of its period
// again (a first run, a corrected text the counts held, or run --full).
type TextsRead struct {
	Read    int64 `json:"read"`
	Counted int64 `json:"counted"`
	All     bool  `json:"all"`
}

// Rescreened counts what a rule by case or by group screened again (Cases; for a rule by group,
// Groups and their cases) and the flags of the latest stored run that stood for the others
// (Carried). Groups is nil for a rule by case.
type Rescreened struct {
	Groups  *int64 `json:"groups,omitempty"`
	Cases   int64  `json:"cases"`
	Carried int64  `json:"carried"`
}
