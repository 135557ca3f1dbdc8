package rules

import (
	"database/sql"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
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

// stalledCheck is a check's threshold key and default, and its built-in reason. What the check
// measures is its SQL file's (stalledSQL).
type stalledCheck struct {
	key    string
	def    int
	reason Reason
}

var stalledChecksByName = map[string]stalledCheck{
	CheckOverdue:    {key: "min_days_overdue", def: 1, reason: overdueReason},
	CheckNoProgress: {key: "min_days", def: 90, reason: noProgressReason},
	CheckExtensions: {key: "min_extensions", def: 2, reason: extensionsReason},
}

func compileStalled(at string, params map[string]any) (compiled, error) {
	p := StalledParams{}
	if err := decodeParams(at, params, &p); err != nil {
		return compiled{}, err
	}
	c, ok := stalledChecksByName[p.Check]
	if !ok {
		return compiled{}, configs.Fieldf(at+".check", "rules.stalled_check", p.Check, strings.Join(stalledChecks, ", "))
	}
	values := map[string]int{"min_days_overdue": p.MinDaysOverdue, "min_days": p.MinDays, "min_extensions": p.MinExtensions}
	threshold := c.def
	for key, v := range values {
		if _, set := params[key]; !set {
			continue
		}
		if key != c.key {
			return compiled{}, configs.Fieldf(at+"."+key, "rules.not_for_check_takes", p.Check, c.key)
		}
		threshold = v
	}
	if threshold < 1 {
		return compiled{}, configs.Fieldf(at+"."+c.key, "config.at_least_one", threshold)
	}
	stmt := renderSQL(stalledSQL[p.Check], nil)
	return compiled{q: query{sql: stmt, args: []sql.NamedArg{sql.Named("threshold", threshold)}}, facts: stalledFacts, reason: c.reason}, nil
}
