package rules

import (
	"database/sql"

	"github.com/earlywarn/earlywarn/configs"
)

// RepeatParams configure a repeat_visits rule: a case whose contacts number at least
// MinContacts within some window of WindowDays days ending in the last LookbackDays days.
type RepeatParams struct {
	WindowDays   int  `mapstructure:"window_days"`
	MinContacts  int  `mapstructure:"min_contacts"`
	LookbackDays int  `mapstructure:"lookback_days"`
	SkipResolved bool `mapstructure:"skip_resolved"`
}

var repeatFacts = []string{"contacts", "total_contacts", "persons", "unnamed", "window_days", "min_contacts",
	"first_contact", "last_contact", "top_level", "levels_climbed", "stage"}

func compileRepeat(at string, params map[string]any) (compiled, error) {
	p := RepeatParams{WindowDays: 90, MinContacts: 4, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	if err := checkDays(at+".window_days", p.WindowDays); err != nil {
		return compiled{}, err
	}
	if p.MinContacts < 2 {
		return compiled{}, configs.Fieldf(at+".min_contacts", "rules.repeat_min_contacts", p.MinContacts)
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	stmt := renderSQL(repeatSQL, nil)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{
		sql.Named("window_days", p.WindowDays),
		sql.Named("min_contacts", p.MinContacts),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}}, facts: repeatFacts, reason: repeatReason,
		cases: byCaseOf(repeatSQL, nil, p.LookbackDays, p.LookbackDays+p.WindowDays)}, nil
}
