package rules

import (
	"database/sql"
	"slices"
	"time"
)

// LettersSQL returns the statements that bring table case_letters, the cases' texts reduced as
// the copied_letters rule compares them, up to date for screening rs as of each day from .. to:
// they drop the reduced texts whose text changed, and reduce the texts every rule that needs
// letters (Needs.Letters) compares on one of those days (of its channels, in its period) not
// reduced yet. So a night reduces only the texts
// that are new or changed. It returns nil when no rule needs letters. The rules that do read the
// table, and the statements run before screening (package pipeline runs them in a transaction of
// their own after the load).
func LettersSQL(rs []*Rule, from, to time.Time) []Statement {
	var channels []string
	lookback := 0
	for _, r := range rs {
		if l := r.Needs().Letters; l != nil {
			for _, c := range l.Channels {
				if !slices.Contains(channels, c) {
					channels = append(channels, c)
				}
			}
			lookback = max(lookback, r.Needs().LookbackDays)
		}
	}
	if channels == nil {
		return nil
	}
	slices.Sort(channels)
	return []Statement{
		{SQL: renderSQL(lettersTableSQL, nil)},
		{SQL: renderSQL(lettersStaleSQL, nil)},
		{SQL: renderSQL(lettersNewSQL, nil), Args: []any{sql.Named("channels", channels),
			sql.Named("from", from.Format(time.DateOnly)), sql.Named("to", to.Format(time.DateOnly)),
			sql.Named("lookback_days", lookback)}},
	}
}
