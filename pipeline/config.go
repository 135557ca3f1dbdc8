package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/rules"
)

// ConfigVersion is the only config layout this build reads.
const ConfigVersion = 1

// Config is the typed, validated configuration of a run. cmd/earlywarn fills it from YAML,
// environment and flags; nothing else reads configuration.
type Config struct {
	Version     int              `mapstructure:"version" json:"version"`
	Database    string           `mapstructure:"database" json:"database"`
	Input       string           `mapstructure:"input" json:"input"`
	Output      string           `mapstructure:"output" json:"output"`
	TimeZone    string           `mapstructure:"timezone" json:"timezone"`
	Lang        string           `mapstructure:"lang" json:"lang"`
	Threads     int              `mapstructure:"threads" json:"threads"`
	MemoryLimit string           `mapstructure:"memory_limit" json:"memory_limit"`
	Quarantine  QuarantineConfig `mapstructure:"quarantine" json:"quarantine"`
	Clocks      rules.Clocks     `mapstructure:"clocks" json:"clocks"`
	Watchlist   WatchlistConfig  `mapstructure:"watchlist" json:"watchlist"`
	Linking     LinkingConfig    `mapstructure:"linking" json:"linking"`
	Rules       []rules.Spec     `mapstructure:"rules" json:"rules"`
	Serve       ServeConfig      `mapstructure:"serve" json:"serve"`
	// Profile is a mapping profile (configs/profiles/*.yaml) for inputs not in the canonical
	// layout; Input is then one file, or a folder of files, in the profile's format.
	Profile          string       `mapstructure:"profile" json:"profile"`
	Pseudonymisation PseudoConfig `mapstructure:"pseudonymisation" json:"pseudonymisation"`
}

// PseudoConfig names where the key for hashing personal identifiers comes from: a file, else
// an environment variable. The key itself is never part of the config.
type PseudoConfig struct {
	KeyFile string `mapstructure:"key_file" json:"key_file"`
	KeyEnv  string `mapstructure:"key_env" json:"key_env"`
}

// QuarantineConfig limits how much of an input a run may reject. A run in which any one file
// has more than MaxRejectRate of its rows read quarantined fails and stores nothing: so many
// rejects mean a broken export or profile, not a few bad records.
type QuarantineConfig struct {
	MaxRejectRate float64 `mapstructure:"max_reject_rate" json:"max_reject_rate"`
}

// DefaultMaxRejectRate is the default of quarantine.max_reject_rate.
const DefaultMaxRejectRate = 0.05

// WatchlistConfig turns flags into a scored, tiered watchlist. A matter's score is the sum over
// its flags of weight × min(strength, StrengthCap); its tier is red at Tiers.Red or more, orange
// at Tiers.Orange or more, else yellow, and never below the highest min_tier of its rules.
type WatchlistConfig struct {
	StrengthCap float64    `mapstructure:"strength_cap" json:"strength_cap"`
	Tiers       TierConfig `mapstructure:"tiers" json:"tiers"`
	// WorseOverdueDays is how much further past its deadline a matter must be to count as
	// materially worse (and to come back after a dismissal).
	WorseOverdueDays int `mapstructure:"worse_overdue_days" json:"worse_overdue_days"`
}

// TierConfig holds the score thresholds of the red and orange tiers.
type TierConfig struct {
	Red    float64 `mapstructure:"red" json:"red"`
	Orange float64 `mapstructure:"orange" json:"orange"`
}

// DefaultConfig returns the defaults of every key but the rules, which come from a config file.
func DefaultConfig() Config {
	return Config{
		Version:     ConfigVersion,
		Database:    "earlywarn.duckdb",
		Input:       "data/sample",
		Output:      "out",
		TimeZone:    "Asia/Shanghai",
		Lang:        "zh",
		MemoryLimit: "2GB",
		Quarantine:  QuarantineConfig{MaxRejectRate: DefaultMaxRejectRate},
		Clocks:      rules.DefaultClocks(),
		Watchlist:   WatchlistConfig{StrengthCap: 3, Tiers: TierConfig{Red: 6, Orange: 3}, WorseOverdueDays: 30},
		Linking:     defaultLinking(),
	}
}

// Compile validates the config and compiles its rules. It reports every problem it finds, each
// naming its key.
func (c Config) Compile() ([]*rules.Rule, error) {
	var errs []error
	field := func(key, msg string) { errs = append(errs, &rules.FieldError{Key: key, Msg: msg}) }
	if c.Version != ConfigVersion {
		field("version", fmt.Sprintf("this earlywarn reads config version %d, got %d", ConfigVersion, c.Version))
	}
	for key, v := range map[string]string{"database": c.Database, "input": c.Input, "output": c.Output} {
		if strings.TrimSpace(v) == "" {
			field(key, "must not be empty")
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		field("timezone", fmt.Sprintf("%q is not an IANA time zone such as Asia/Shanghai", c.TimeZone))
	}
	if !slices.Contains(rules.Languages, c.Lang) {
		field("lang", fmt.Sprintf("%q is not supported; use %s", c.Lang, strings.Join(rules.Languages, " or ")))
	}
	if c.Threads < 0 {
		field("threads", fmt.Sprintf("must be 0 (all cores) or more, got %d", c.Threads))
	}
	if r := c.Quarantine.MaxRejectRate; !(r >= 0 && r <= 1) {
		field("quarantine.max_reject_rate", fmt.Sprintf("must be a fraction from 0 to 1 (0.05 = 5%%), got %v", r))
	}
	if c.Watchlist.StrengthCap < 1 || math.IsInf(c.Watchlist.StrengthCap, 1) || math.IsNaN(c.Watchlist.StrengthCap) {
		field("watchlist.strength_cap", fmt.Sprintf("must be at least 1, got %v", c.Watchlist.StrengthCap))
	}
	if o, r := c.Watchlist.Tiers.Orange, c.Watchlist.Tiers.Red; !(o > 0 && r > o) || math.IsInf(r, 1) {
		field("watchlist.tiers", fmt.Sprintf("need 0 < orange < red, got orange %v and red %v", c.Watchlist.Tiers.Orange, c.Watchlist.Tiers.Red))
	}
	if c.Watchlist.WorseOverdueDays < 1 {
		field("watchlist.worse_overdue_days", fmt.Sprintf("must be at least 1 day, got %d", c.Watchlist.WorseOverdueDays))
	}
	c.Linking.validate(field)
	compiled, err := rules.Compile(c.Rules, c.Clocks)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return compiled, nil
}

// Hash identifies the screening behaviour of a config: the same rules, clocks and scoring hash
// the same however the YAML was written. Paths and language are not part of it.
func (c Config) Hash() string {
	behaviour := struct {
		Clocks    rules.Clocks
		Linking   LinkingConfig
		Watchlist WatchlistConfig
		Rules     []rules.Spec
	}{c.Clocks, c.Linking, c.Watchlist, c.Rules}
	b, err := json.Marshal(behaviour)
	if err != nil {
		panic(err) // the config holds only JSON-encodable values
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
