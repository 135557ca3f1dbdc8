// Package configs is earlywarn's configuration: the typed Config of everything a command reads
// (run, rules, linking, clocks, watchlist, serve), its strict loader (Load: viper, unknown keys
// rejected, every error with file and line) and the checks that need no data (Validate). The
// rule kinds check their own params when package rules compiles them; configs only holds their
// shape. It also embeds default.yaml, so earlywarn runs from any folder.
//
// Only this package touches viper. Everything else receives a Config.
package configs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
)

// Version is the only config layout this build reads.
const Version = 1

// Config is the typed, validated configuration of earlywarn.
type Config struct {
	Version     int        `mapstructure:"version" json:"version"`
	Database    string     `mapstructure:"database" json:"database"`
	Input       string     `mapstructure:"input" json:"input"`
	Output      string     `mapstructure:"output" json:"output"`
	TimeZone    string     `mapstructure:"timezone" json:"timezone"`
	Lang        string     `mapstructure:"lang" json:"lang"`
	Threads     int        `mapstructure:"threads" json:"threads"`
	MemoryLimit string     `mapstructure:"memory_limit" json:"memory_limit"`
	Quarantine  Quarantine `mapstructure:"quarantine" json:"quarantine"`
	Clocks      Clocks     `mapstructure:"clocks" json:"clocks"`
	Watchlist   Watchlist  `mapstructure:"watchlist" json:"watchlist"`
	Linking     Linking    `mapstructure:"linking" json:"linking"`
	Topics      Topics     `mapstructure:"topics" json:"topics"`
	Rules       []RuleSpec `mapstructure:"rules" json:"rules"`
	Serve       Serve      `mapstructure:"serve" json:"serve"`
	// Profile is a mapping profile (configs/profiles/*.yaml) for inputs not in the canonical
	// layout; Input is then one file, or a folder of files, in the profile's format.
	Profile          string           `mapstructure:"profile" json:"profile"`
	Pseudonymisation Pseudonymisation `mapstructure:"pseudonymisation" json:"pseudonymisation"`
	// Text is what a run reads from the cases' free text.
	Text Text `mapstructure:"text" json:"text"`

	// src is the file the config came from, for the lines of later errors (Locate).
	src *Source
}

// Pseudonymisation names where the key for hashing personal identifiers comes from: a file,
// else an environment variable. The key itself is never part of the config.
type Pseudonymisation struct {
	KeyFile string `mapstructure:"key_file" json:"key_file"`
	KeyEnv  string `mapstructure:"key_env" json:"key_env"`
}

// Text is what a run reads from the cases' free text.
type Text struct {
	// Gazetteer is a UTF-8 CSV of the places the office knows (header name,aliases,kind; package
	// internal/places reads it), found as written and under its aliases when the hot_issue signal
	// reads the places a case's text names; relative to the config file; "" for none (places are
	// then found by their suffixes alone).
	Gazetteer string `mapstructure:"gazetteer" json:"gazetteer"`
	// CategoryModel is a text classifier's model file (earlywarn train-category writes one),
	// relative to the config file; "" for none. With one, each case loaded with its category
	// empty or one of UnknownCategories gets the category the model predicts from its content,
	// when the model's confidence is at least CategoryMinConfidence.
	CategoryModel         string   `mapstructure:"category_model" json:"category_model"`
	UnknownCategories     []string `mapstructure:"unknown_categories" json:"unknown_categories"`
	CategoryMinConfidence float64  `mapstructure:"category_min_confidence" json:"category_min_confidence"`
}

// DefaultUnknownCategories are the categories that say there is none, when the config lists
// none: an empty category always does.
var DefaultUnknownCategories = []string{"未分类", "其他"}

// DefaultCategoryMinConfidence is text.category_min_confidence's default.
const DefaultCategoryMinConfidence = 0.5

// Unknown returns the categories a classifier may replace: "" and UnknownCategories, or
// DefaultUnknownCategories when the config lists none.
func (t Text) Unknown() []string {
	u := t.UnknownCategories
	if len(u) == 0 {
		u = DefaultUnknownCategories
	}
	return append([]string{""}, u...)
}

// Quarantine limits how much of an input a run may reject. A run in which any one file has
// more than MaxRejectRate of its rows read quarantined fails and stores nothing: so many
// rejects mean a broken export or profile, not a few bad records.
// A record longer than MaxRecordBytes is quarantined without being parsed: no real export
// has one, and a reader given one would spend memory and time out of proportion to it.
type Quarantine struct {
	MaxRejectRate  float64 `mapstructure:"max_reject_rate" json:"max_reject_rate"`
	MaxRecordBytes int64   `mapstructure:"max_record_bytes" json:"max_record_bytes"`
}

// Defaults and bounds of the quarantine section.
const (
	DefaultMaxRejectRate  = 0.05
	DefaultMaxRecordBytes = 1 << 20
	MinRecordBytes        = 1 << 10
	MaxRecordBytes        = 1 << 30
)

// Watchlist turns flags into a scored, tiered watchlist. A matter's score is the sum over its
// flags of weight × min(strength, StrengthCap); its tier is red at Tiers.Red or more, orange at
// Tiers.Orange or more, else yellow, and never below the highest min_tier of its rules.
type Watchlist struct {
	StrengthCap float64 `mapstructure:"strength_cap" json:"strength_cap"`
	Tiers       Tiers   `mapstructure:"tiers" json:"tiers"`
	// WorseOverdueDays: a matter past its deadline counts as materially worse (and comes back
	// after a dismissal) when its days overdue reach it, and again each time they reach twice
	// as many as the last time (30, 60, 120, 240 … days).
	WorseOverdueDays int `mapstructure:"worse_overdue_days" json:"worse_overdue_days"`
	// LeaderTop caps the matters to act on that report.html and the workbook's first sheet
	// list before their counts and the full list: red matters, and orange ones that are new,
	// worse or back.
	LeaderTop int `mapstructure:"leader_top" json:"leader_top"`
	// SheetRows caps every list of watchlist.xlsx (the full watchlist's sheet, the cleared
	// matters, the ownership ledger, the due-soon list) and the report's due-soon and ownership
	// lists: the first SheetRows by rank, with the total and where the rest is. watchlist.csv and
	// watchlist.parquet always hold every matter. At most MaxSheetRows, which keeps a sheet within
	// Excel's 1,048,576 rows.
	SheetRows int `mapstructure:"sheet_rows" json:"sheet_rows"`
	// ActiveDays is how long, by family, a flag stays live after its newest evidence (the latest
	// contact behind it) when none of its cases is pending; a matter with no live flag leaves the
	// watchlist. 0 keeps the family's flags live. Stalled flags describe the case as it stands on
	// the screening day and are live while they hold.
	ActiveDays ActiveDays `mapstructure:"active_days" json:"active_days"`
	// HalfLifeDays halves a flag's contribution to the score for each HalfLifeDays of age of its
	// newest evidence (0 = no decay).
	HalfLifeDays int `mapstructure:"half_life_days" json:"half_life_days"`
	// DueSoonDays: pending cases whose current stage falls due within this many days (0 to
	// DueSoonDays calendar days from the screening date) make the due-soon list (临期预警), apart
	// from the tiers; 0 disables it.
	DueSoonDays int `mapstructure:"due_soon_days" json:"due_soon_days"`
	// TitleGist: a matter's title ends with the gist of its first case's content (the first
	// clauses of substance, without the names and particulars internal/title can tell). Off by
	// default: free text names people in more ways than rules catch (two testers' fresh texts,
	// 14 of 30 titles each showed something of a person), and a title reaches every list, sheet
	// and report; the content stays on the matter's own page. Off: place, category and
	// organisation, and the day received where titles are alike.
	TitleGist bool `mapstructure:"title_gist" json:"title_gist"`
}

// ActiveDays holds the active window of the repeat (with escalation) and group families.
type ActiveDays struct {
	Repeat int `mapstructure:"repeat" json:"repeat"`
	Group  int `mapstructure:"group" json:"group"`
}

// DefaultLeaderTop is watchlist.leader_top's default, and MaxLeaderTop its bound.
const (
	DefaultLeaderTop = 30
	MaxLeaderTop     = 1000
)

// DefaultSheetRows is watchlist.sheet_rows's default, and MaxSheetRows its bound: an XLSX sheet
// holds 1,048,576 rows, and a list's sheet adds a few of its own (a note, the header, what is
// left out).
const (
	DefaultSheetRows = 10_000
	MaxSheetRows     = 1_000_000
)

// DefaultDueSoonDays is watchlist.due_soon_days when the config does not set it.
const DefaultDueSoonDays = 7

// Tiers holds the score thresholds of the red and orange tiers.
type Tiers struct {
	Red    float64 `mapstructure:"red" json:"red"`
	Orange float64 `mapstructure:"orange" json:"orange"`
}

// TierNames are the tiers, highest first.
var TierNames = []string{"red", "orange", "yellow"}

// Linking links contacts recorded without a case id to a case. A contact is linked when its
// person has exactly one case that was received, or contacted about by that person, within
// WindowDays before the contact, and that matches the category and township recorded with the
// contact where it has them; with none or several it stays unlinked. Person ids are
// pseudonymous keys from a checked resident id number, else name with phone (see the
// profiles' pseudonymisation), so a phone number alone never links. A case takes at most
// MaxPerCase linked contacts (the earliest), so one busy person cannot swell a matter.
type Linking struct {
	Enabled    bool `mapstructure:"enabled" json:"enabled"`
	WindowDays int  `mapstructure:"window_days" json:"window_days"`
	MaxPerCase int  `mapstructure:"max_per_case" json:"max_per_case"`
}

// Topics finds emerging topics (新出现的热点话题) after screening: phrases of the cases' text
// whose distinct complainants in the last WindowDays days rise far above their own daily rate
// in the BaselineDays before (package internal/topics). They are listed in the report, the
// workbook and summary.json, apart from the watchlist. Off when Enabled is false or MaxTopics 0.
type Topics struct {
	Enabled         bool    `mapstructure:"enabled" json:"enabled"`
	WindowDays      int     `mapstructure:"window_days" json:"window_days"`
	BaselineDays    int     `mapstructure:"baseline_days" json:"baseline_days"`
	MinComplainants int     `mapstructure:"min_complainants" json:"min_complainants"`
	Alpha           float64 `mapstructure:"alpha" json:"alpha"`
	MaxTopics       int     `mapstructure:"max_topics" json:"max_topics"`
	// TemplateShare: a phrase in at least this share of the baseline's messages is template
	// text (salutations, closings), never a topic.
	TemplateShare float64 `mapstructure:"template_share" json:"template_share"`
}

// On reports whether the topics stage runs.
func (t Topics) On() bool { return t.Enabled && t.MaxTopics > 0 }

// DefaultTopics are the topics section's defaults.
func DefaultTopics() Topics {
	return Topics{Enabled: true, WindowDays: 14, BaselineDays: 56, MinComplainants: 5, Alpha: 0.001, MaxTopics: 10, TemplateShare: 0.05}
}

// Default returns the defaults of every key but the rules, which come from a config file.
func Default() Config {
	return Config{
		Version:     Version,
		Database:    "earlywarn.duckdb",
		Input:       "data/sample",
		Output:      "out",
		TimeZone:    "Asia/Shanghai",
		Lang:        "zh",
		MemoryLimit: "2GB",
		Quarantine:  Quarantine{MaxRejectRate: DefaultMaxRejectRate, MaxRecordBytes: DefaultMaxRecordBytes},
		Clocks:      DefaultClocks(),
		Watchlist: Watchlist{
			StrengthCap: 3, Tiers: Tiers{Red: 6, Orange: 3}, WorseOverdueDays: 30, LeaderTop: DefaultLeaderTop, SheetRows: DefaultSheetRows, DueSoonDays: DefaultDueSoonDays, TitleGist: false,
			ActiveDays: ActiveDays{Repeat: 90, Group: 90}, HalfLifeDays: 90,
		},
		Linking: Linking{Enabled: true, WindowDays: 90, MaxPerCase: 10},
		Text:    Text{CategoryMinConfidence: DefaultCategoryMinConfidence},
		Topics:  DefaultTopics(),
	}
}

// Hash identifies the screening behaviour of a config: the same rules, clocks and scoring hash
// the same however the YAML was written. Paths and language are not part of it.
func (c Config) Hash() string {
	behaviour := struct {
		Clocks    Clocks
		Linking   Linking
		Watchlist Watchlist
		Rules     []RuleSpec
		Text      *Text   `json:",omitempty"` // only with a gazetteer or a model, so that configs without them keep their hash
		Topics    *Topics `json:",omitempty"` // only when not the default, likewise
	}{c.Clocks, c.Linking, c.Watchlist, c.Rules, nil, nil}
	if c.Text.Gazetteer != "" || c.Text.CategoryModel != "" {
		behaviour.Text = &c.Text
	}
	if c.Topics != DefaultTopics() {
		behaviour.Topics = &c.Topics
	}
	b, err := json.Marshal(behaviour)
	if err != nil {
		panic(err) // the config holds only JSON-encodable values
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SourceName is the file the config was loaded from, "(built-in default)" for the embedded
// one, or "" for a Config built in code.
func (c Config) SourceName() string {
	if c.src == nil {
		return ""
	}
	return c.src.Name
}

// Beside resolves path, a file a key of the config names, relative to the folder of the config
// file; an absolute path, or any path of a config not read from a file, stays as it is.
func (c Config) Beside(path string) string {
	if path == "" || filepath.IsAbs(path) || c.src == nil || c.src.Name == BuiltIn {
		return path
	}
	return filepath.Join(filepath.Dir(c.src.Name), path)
}

// ProfilePath is the profile the config names (Profile) as LoadProfile takes it: a path as
// given when a file is there (from the current folder), else beside the config file when one is
// there, else as given (a shipped profile's name, or a file that is missing).
func (c Config) ProfilePath() string {
	if _, err := os.Stat(c.Profile); err == nil {
		return c.Profile
	}
	if beside := c.Beside(c.Profile); beside != c.Profile {
		if _, err := os.Stat(beside); err == nil {
			return beside
		}
	}
	return c.Profile
}

// Locate gives each problem in err (joined with errors.Join) the config file and the line of
// the key it names, as a *FileError. A config built in code has no file: err is returned as it
// is.
func (c Config) Locate(err error) error {
	if err == nil || c.src == nil {
		return err
	}
	return c.src.locate(err)
}
