package rules

import (
	"database/sql"
	"fmt"
	"strings"
)

// Checks of an escalation rule. Both count a case's contacts in the last LookbackDays days.
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
	continuedFacts = []string{"contacts", "min_contacts", "answered_on", "answer_type", "first_contact",
		"last_contact", "persons", "stage"}
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
		return compiled{}, &FieldError{Key: at + ".check", Msg: fmt.Sprintf("%q is not an escalation check; use one of %s", p.Check, strings.Join(escalationChecks, ", "))}
	}
	if _, set := params["min_levels_above"]; set && p.Check != CheckHigherLevel {
		return compiled{}, &FieldError{Key: at + ".min_levels_above", Msg: fmt.Sprintf("does not apply to check %q", p.Check)}
	}
	if p.MinLevelsAbove < 1 || p.MinLevelsAbove > 3 {
		return compiled{}, &FieldError{Key: at + ".min_levels_above", Msg: fmt.Sprintf("must be 1, 2 or 3 (county → city → province → national), got %d", p.MinLevelsAbove)}
	}
	if p.MinContacts < 1 {
		return compiled{}, &FieldError{Key: at + ".min_contacts", Msg: fmt.Sprintf("must be at least 1, got %d", p.MinContacts)}
	}
	if err := checkDays(at+".lookback_days", p.LookbackDays); err != nil {
		return compiled{}, err
	}
	args := []sql.NamedArg{sql.Named("min_contacts", p.MinContacts), sql.Named("lookback_days", p.LookbackDays)}
	if p.Check == CheckHigherLevel {
		args = append(args, sql.Named("min_levels_above", p.MinLevelsAbove))
		return compiled{q: query{sql: higherLevelSQL(), args: args}, facts: higherLevelFacts, reason: higherLevelReason}, nil
	}
	return compiled{q: query{sql: continuedSQL(), args: args}, facts: continuedFacts, reason: continuedReason}, nil
}

// higherLevelSQL: the flag holds from the day of the min_contacts-th contact above the
// handling level; strength grows with the levels climbed beyond the threshold.
func higherLevelSQL() string {
	return fmt.Sprintf(`WITH k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.lvl, c.level AS handling_level, t.lvl - %[1]s AS above
  FROM %[2]s t JOIN cases c ON c.rowid = t.ck
  WHERE t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
hit AS (
  SELECT ck, list_sort(list(contact_id)) AS contact_ids, count(*) AS n,
         list_sort(list(contact_date))[CAST($min_contacts AS INTEGER)] AS first_flagged,
         max(above) AS levels_above, %[4]s AS top_level,
         any_value(handling_level) AS handling_level,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact
  FROM k WHERE above >= $min_levels_above
  GROUP BY ck HAVING count(*) >= $min_contacts
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, h.contact_ids, h.first_flagged,
       (1 + h.levels_above - $min_levels_above) * h.n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'handling_level', h.handling_level,
                   'top_level', h.top_level, 'levels_above', h.levels_above,
                   'first_contact', h.first_contact, 'last_contact', h.last_contact,
                   'stage', s.stage)::VARCHAR AS facts
FROM hit h JOIN %[3]s s USING (ck)
WHERE NOT s.resolved`, LevelRankSQL("c.level"), ContactsTable, StateTable, LevelCodeSQL("max(lvl)"))
}

// continuedSQL: contacts strictly after the latest answer-type event of a case that is not
// back in a pending stage; the flag holds from the day of the min_contacts-th of them.
func continuedSQL() string {
	return fmt.Sprintf(`WITH answered AS (
  SELECT s.ck, a.answer_type, a.answered_on
  FROM (SELECT case_id, arg_max(event_type, (event_date, %[1]s)) AS answer_type, max(event_date) AS answered_on
        FROM events
        WHERE event_type IN (%[2]s) AND event_date <= CAST($as_of AS DATE)
        GROUP BY case_id) a
  JOIN %[3]s s USING (case_id)
  WHERE NOT s.pending
),
k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.pk
  FROM %[4]s t JOIN answered a USING (ck)
  WHERE t.contact_date > a.answered_on
    AND t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
hit AS (
  -- Counted first, so that evidence lists are built only for the cases that are flagged.
  SELECT ck FROM k GROUP BY ck HAVING count(*) >= $min_contacts
),
h AS (
  SELECT ck, list_sort(list(contact_id)) AS contact_ids, count(*) AS n,
         count(DISTINCT pk) AS persons,
         list_sort(list(contact_date))[CAST($min_contacts AS INTEGER)] AS first_flagged,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact
  FROM k SEMI JOIN hit USING (ck) GROUP BY ck
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, h.contact_ids, h.first_flagged,
       h.n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'answered_on', a.answered_on,
                   'answer_type', a.answer_type, 'first_contact', h.first_contact,
                   'last_contact', h.last_contact, 'persons', h.persons,
                   'stage', s.stage)::VARCHAR AS facts
FROM h JOIN answered a USING (ck) JOIN %[3]s s USING (ck)`, eventSeqSQL("event_type"), sqlList(answerTypes), StateTable, ContactsTable)
}

func sqlList(codes []string) string {
	quoted := make([]string, len(codes))
	for i, c := range codes {
		quoted[i] = "'" + c + "'"
	}
	return strings.Join(quoted, ", ")
}
