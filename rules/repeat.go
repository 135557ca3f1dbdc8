package rules

import (
	"database/sql"
	"fmt"
)

// RepeatParams configure a repeat_visits rule: a case whose contacts number at least
// MinContacts within some window of WindowDays days ending in the last LookbackDays days.
type RepeatParams struct {
	WindowDays   int  `mapstructure:"window_days"`
	MinContacts  int  `mapstructure:"min_contacts"`
	LookbackDays int  `mapstructure:"lookback_days"`
	SkipResolved bool `mapstructure:"skip_resolved"`
}

var repeatFacts = []string{"contacts", "total_contacts", "persons", "window_days", "min_contacts",
	"first_contact", "last_contact", "top_level", "levels_climbed", "stage"}

func compileRepeat(at string, params map[string]any) (compiled, error) {
	p := RepeatParams{WindowDays: 90, MinContacts: 4, LookbackDays: 365, SkipResolved: true}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	switch {
	case p.WindowDays < 1:
		return compiled{}, &FieldError{Key: at + ".window_days", Msg: fmt.Sprintf("must be at least 1 day, got %d", p.WindowDays)}
	case p.MinContacts < 2:
		return compiled{}, &FieldError{Key: at + ".min_contacts", Msg: fmt.Sprintf("must be at least 2 (a repeat needs two contacts), got %d", p.MinContacts)}
	case p.LookbackDays < 1:
		return compiled{}, &FieldError{Key: at + ".lookback_days", Msg: fmt.Sprintf("must be at least 1 day, got %d", p.LookbackDays)}
	}
	stmt := fmt.Sprintf(`WITH k AS (
  SELECT contact_id, case_id, contact_date, person_id, level, %[1]s AS lvl
  FROM contacts
  WHERE case_id IS NOT NULL
    AND contact_date <= CAST($as_of AS DATE)
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
candidates AS (
  SELECT case_id FROM k GROUP BY case_id HAVING count(*) >= $min_contacts
),
w AS (
  -- Partitioning by the id's hash first sorts on integers; the id itself keeps it exact.
  SELECT case_id, contact_date,
         count(*) OVER (PARTITION BY hash(case_id), case_id ORDER BY contact_date
                        RANGE BETWEEN to_days(CAST($window_days AS INTEGER) - 1) PRECEDING AND CURRENT ROW) AS in_window
  FROM k SEMI JOIN candidates USING (case_id)
),
hit AS (
  SELECT case_id, min(contact_date) AS first_flagged, max(in_window) AS peak
  FROM w
  WHERE in_window >= $min_contacts
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  GROUP BY case_id
),
ev AS (
  SELECT k.case_id,
         list_sort(list(k.contact_id)) AS contact_ids,
         count(DISTINCT k.person_id) AS persons,
         min(k.contact_date) AS first_contact,
         max(k.contact_date) AS last_contact,
         arg_max(k.level, k.lvl) AS top_level,
         max(k.lvl) - min(k.lvl) AS levels_climbed
  FROM k SEMI JOIN hit USING (case_id)
  GROUP BY k.case_id
)
SELECT 'case:' || h.case_id AS matter_id, 'case' AS matter_kind,
       [h.case_id] AS case_ids, ev.contact_ids, s.event_ids,
       h.first_flagged,
       h.peak / $min_contacts AS strength,
       json_object('contacts', h.peak, 'total_contacts', len(ev.contact_ids), 'persons', ev.persons,
                   'window_days', $window_days, 'min_contacts', $min_contacts,
                   'first_contact', ev.first_contact, 'last_contact', ev.last_contact,
                   'top_level', ev.top_level, 'levels_climbed', ev.levels_climbed,
                   'stage', s.stage)::VARCHAR AS facts
FROM hit h
JOIN ev USING (case_id)
JOIN %[2]s s USING (case_id)
WHERE NOT ($skip_resolved AND s.resolved)`, levelRankSQL("level"), StateTable)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{
		sql.Named("window_days", p.WindowDays),
		sql.Named("min_contacts", p.MinContacts),
		sql.Named("lookback_days", p.LookbackDays),
		sql.Named("skip_resolved", p.SkipResolved),
	}}, facts: repeatFacts, reason: repeatReason}, nil
}
