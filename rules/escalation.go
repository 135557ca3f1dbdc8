package rules

import (
	"database/sql"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
)

// Checks of an escalation rule. Both take a case's contacts in the last LookbackDays days to
// the threshold; continued_after_answer reports every contact since the answer besides.
const (
	// CheckHigherLevel: contacts about an unresolved case that reached a level at least
	// MinLevelsAbove above the level handling the case (越级).
	CheckHigherLevel = "higher_level"
	// CheckContinued: contacts after the case was answered, reviewed, re-reviewed, terminated
	// or closed, while no further handling stage is pending (答复后仍持续信访).
	CheckContinued = "continued_after_answer"
)

var escalationChecks = []string{CheckHigherLevel, CheckContinued}

// EscalationParams configure an escalation rule. MinLevelsAbove applies only to higher_level.
type EscalationParams struct {
	Check          string `mapstructure:"check"`
	MinLevelsAbove int    `mapstructure:"min_levels_above"`
	MinContacts    int    `mapstructure:"min_contacts"`
	LookbackDays   int    `mapstructure:"lookback_days"`
}

var (
	higherLevelFacts = []string{"contacts", "min_contacts", "handling_level", "top_level", "levels_above",
		"first_contact", "last_contact", "stage"}
	// continuedFacts: contacts, persons, first_contact and last_contact cover every contact since
	// the answer; recent_contacts (from recent_first_contact) those of the last lookback_days
	// days, which the threshold min_contacts applies to.
	continuedFacts = []string{"contacts", "min_contacts", "answered_on", "answer_type", "first_contact",
		"last_contact", "persons", "unnamed", "stage", "recent_contacts", "recent_first_contact", "lookback_days"}
)

// answerTypes are the events that give the complainant an answer; contacts after the latest
// of them continue an answered matter.
var answerTypes = []string{"answered", "reviewed", "rereviewed", "terminated", "closed"}

func compileEscalation(at string, params map[string]any) (compiled, error) {
	p := EscalationParams{MinLevelsAbove: 2, MinContacts: 1, LookbackDays: 90}
	if params["check"] == CheckContinued {
		p.MinContacts = 3
	}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	switch p.Check {
	case CheckHigherLevel, CheckContinued:
	default:
		return compiled{}, configs.Fieldf(at+".check", "rules.escalation_check", p.Check, strings.Join(escalationChecks, ", "))
	}
	if _, set := params["min_levels_above"]; set && p.Check != CheckHigherLevel {
		return compiled{}, configs.Fieldf(at+".min_levels_above", "rules.not_for_check", p.Check)
	}
	if p.MinLevelsAbove < 1 || p.MinLevelsAbove > 3 {
		return compiled{}, configs.Fieldf(at+".min_levels_above", "rules.levels_above", p.MinLevelsAbove)
	}
	if p.MinContacts < 1 {
		return compiled{}, configs.Fieldf(at+".min_contacts", "config.at_least_one", p.MinContacts)
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	args := []sql.NamedArg{sql.Named("min_contacts", p.MinContacts), sql.Named("lookback_days", p.LookbackDays)}
	if p.Check == CheckHigherLevel {
		args = append(args, sql.Named("min_levels_above", p.MinLevelsAbove))
		return compiled{q: query{sql: renderSQL(higherLevelSQL, nil), args: args}, facts: higherLevelFacts, reason: higherLevelReason,
			cases: byCaseOf(higherLevelSQL, nil, p.LookbackDays)}, nil
	}
	data := map[string]any{"answer_types": db.Fragment(db.LiteralList(answerTypes))}
	return compiled{q: query{sql: renderSQL(continuedSQL, data), args: args}, facts: continuedFacts, reason: continuedReason,
		cases: byCaseOf(continuedSQL, data, p.LookbackDays)}, nil
}
