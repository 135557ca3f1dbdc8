package rules

import (
	"database/sql"
	"fmt"
	"strings"
)

// Checks of a stalled_case rule. Each applies only to cases in a pending stage.
const (
	CheckOverdue    = "overdue"     // the current stage's deadline passed MinDaysOverdue or more days ago
	CheckNoProgress = "no_progress" // no progress event for MinDays or more days
	CheckExtensions = "extensions"  // the handling deadline was extended MinExtensions or more times
)

var stalledChecks = []string{CheckOverdue, CheckNoProgress, CheckExtensions}

// StalledParams configure a stalled_case rule. Only the threshold of the chosen check may be
// set.
type StalledParams struct {
	Check          string `mapstructure:"check"`
	MinDaysOverdue int    `mapstructure:"min_days_overdue"`
	MinDays        int    `mapstructure:"min_days"`
	MinExtensions  int    `mapstructure:"min_extensions"`
}

var stalledFacts = []string{"stage", "received", "deadline", "days_overdue", "last_progress",
	"last_progress_type", "days_since_progress", "extensions", "threshold"}

// stalledCheck is how one check measures a case: its threshold key and default, the SQL
// expression it compares with the threshold, the first day the condition held, and its strength.
type stalledCheck struct {
	key, measure, firstFlagged, strength string
	def                                  int
	reason                               Reason
}

var stalledChecksSQL = map[string]stalledCheck{
	CheckOverdue: {key: "min_days_overdue", def: 1,
		measure:      "CAST($as_of AS DATE) - deadline",
		firstFlagged: "deadline + CAST($threshold AS INTEGER)",
		strength:     "1 + (CAST($as_of AS DATE) - deadline) / 30",
		reason:       overdueReason},
	CheckNoProgress: {key: "min_days", def: 90,
		measure:      "CAST($as_of AS DATE) - progress_date",
		firstFlagged: "progress_date + CAST($threshold AS INTEGER)",
		strength:     "(CAST($as_of AS DATE) - progress_date) / $threshold",
		reason:       noProgressReason},
	CheckExtensions: {key: "min_extensions", def: 2,
		measure:      "extensions",
		firstFlagged: "nth_extension",
		strength:     "extensions / $threshold",
		reason:       extensionsReason},
}

func compileStalled(at string, params map[string]any) (compiled, error) {
	p := StalledParams{}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	c, ok := stalledChecksSQL[p.Check]
	if !ok {
		return compiled{}, &FieldError{Key: at + ".check", Msg: fmt.Sprintf("%q is not a stalled-case check; use one of %s", p.Check, strings.Join(stalledChecks, ", "))}
	}
	values := map[string]int{"min_days_overdue": p.MinDaysOverdue, "min_days": p.MinDays, "min_extensions": p.MinExtensions}
	threshold := c.def
	for key, v := range values {
		if _, set := params[key]; !set {
			continue
		}
		if key != c.key {
			return compiled{}, &FieldError{Key: at + "." + key, Msg: fmt.Sprintf("does not apply to check %q (it takes %s)", p.Check, c.key)}
		}
		threshold = v
	}
	if threshold < 1 {
		return compiled{}, &FieldError{Key: at + "." + c.key, Msg: fmt.Sprintf("must be at least 1, got %d", threshold)}
	}
	// The nth extension's date is the day an extensions check first held.
	stmt := fmt.Sprintf(`WITH s AS (
  SELECT *, %[2]s AS measure FROM %[1]s WHERE pending
),
hit AS (SELECT * FROM s WHERE measure >= $threshold),
nth AS (
  SELECT e.case_id, list_sort(list(e.event_date))[CAST($threshold AS INTEGER)] AS nth_extension
  FROM events e SEMI JOIN hit USING (case_id)
  WHERE e.event_type = 'extended' AND e.event_date <= CAST($as_of AS DATE)
  GROUP BY e.case_id
)
SELECT 'case:' || case_id AS matter_id, 'case' AS matter_kind,
       [case_id] AS case_ids, []::VARCHAR[] AS contact_ids,
       %[3]s AS first_flagged,
       %[4]s AS strength,
       json_object('stage', stage, 'received', received_date, 'deadline', deadline,
                   'days_overdue', greatest(CAST($as_of AS DATE) - deadline, 0),
                   'last_progress', progress_date, 'last_progress_type', progress_type,
                   'days_since_progress', CAST($as_of AS DATE) - progress_date,
                   'extensions', extensions, 'threshold', $threshold)::VARCHAR AS facts
FROM hit LEFT JOIN nth USING (case_id)`, StateTable, c.measure, c.firstFlagged, c.strength)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{sql.Named("threshold", threshold)}}, facts: stalledFacts, reason: c.reason}, nil
}
