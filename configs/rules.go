package configs

import (
	"errors"

	"github.com/earlywarn/earlywarn/internal/calendar"
)

// RuleSpec is one rule as written in the config. Package rules checks Params for its kind and
// compiles it.
type RuleSpec struct {
	ID          string         `mapstructure:"id"`
	Kind        string         `mapstructure:"kind"`
	Description string         `mapstructure:"description"`
	Name        RuleName       `mapstructure:"name"`
	Enabled     *bool          `mapstructure:"enabled"`
	Weight      float64        `mapstructure:"weight"`
	MinTier     string         `mapstructure:"min_tier"`
	Params      map[string]any `mapstructure:"params"`
	Reason      Reason         `mapstructure:"reason"`
}

// IsEnabled reports whether the rule runs; rules are enabled unless the config says otherwise.
func (s RuleSpec) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// Reason holds a rule's reason templates (Go text/template over the rule's facts). An empty
// template falls back to the built-in one for the rule's kind.
type Reason struct {
	ZH string `mapstructure:"zh"`
	EN string `mapstructure:"en"`
}

// In returns the template for lang.
func (r Reason) In(lang string) string {
	if lang == "en" {
		return r.EN
	}
	return r.ZH
}

// RuleName is a rule's display name in each language, shown instead of its id in every output
// and page a person reads. A name left empty in the config takes a default (package rules:
// the description, or the catalogue's name for the rule's kind).
type RuleName struct {
	ZH string `mapstructure:"zh" json:"zh"`
	EN string `mapstructure:"en" json:"en"`
}

// In returns the name in lang.
func (n RuleName) In(lang string) string {
	if lang == "en" {
		return n.EN
	}
	return n.ZH
}

// Localize renders the name in lang, so that a catalogue message given a RuleName as an
// argument names the rule in its own language.
func (n RuleName) Localize(lang string) string { return n.In(lang) }

// Clocks are the statutory time limits that the stalled-case rules and the case state use, in
// days counted by Calendar: calendar days by default, or working days (weekends and the
// configured holidays off, the configured make-up working days on).
type Clocks struct {
	AcceptDays    int             `mapstructure:"accept_days"`
	HandleDays    int             `mapstructure:"handle_days"`
	ExtensionDays int             `mapstructure:"extension_days"`
	ReviewDays    int             `mapstructure:"review_days"`
	RereviewDays  int             `mapstructure:"rereview_days"`
	Calendar      calendar.Config `mapstructure:"calendar"`
}

// DefaultClocks are the limits of the 2022 Regulations on Letters and Visits.
func DefaultClocks() Clocks {
	return Clocks{AcceptDays: 15, HandleDays: 60, ExtensionDays: 30, ReviewDays: 30, RereviewDays: 30}
}

// MaxDays bounds every day count of the config (clocks, windows, lookbacks): about 27 years,
// far beyond any petition clock, and well inside what date arithmetic can hold.
const MaxDays = 10000

// Validate reports every clock that is not a number of days from 1 to MaxDays, and every
// problem of the calendar.
func (c Clocks) Validate() []error {
	var errs []error
	if _, err := calendar.New(c.Calendar); err != nil {
		for _, e := range Flatten(err) {
			var ce *calendar.Error
			if errors.As(e, &ce) {
				errs = append(errs, Fieldf("clocks.calendar."+ce.Key, ce.Msg, ce.Args...))
			} else {
				errs = append(errs, Fieldf("clocks.calendar", "config.calendar", e.Error()))
			}
		}
	}
	for _, f := range []struct {
		key  string
		days int
	}{{"accept_days", c.AcceptDays}, {"handle_days", c.HandleDays}, {"extension_days", c.ExtensionDays},
		{"review_days", c.ReviewDays}, {"rereview_days", c.RereviewDays}} {
		if f.days <= 0 || f.days > MaxDays {
			errs = append(errs, Fieldf("clocks."+f.key, "config.days_range", MaxDays, f.days))
		}
	}
	return errs
}
