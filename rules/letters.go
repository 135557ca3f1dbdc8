package rules

import (
	"database/sql"
	"slices"
	"time"
)

// LettersSQL returns the statements that bring table case_letters, the cases' texts reduced as
// the copied_letters rule compares them, up to date for screening rs as of each day from .. to.
// They drop the reduced texts whose text changed, and reduce the texts that the rules needing
// letters (Needs.Letters) compare on one of those days (of their channels, in their periods) and
// that are not reduced yet, so that a night reduces only the texts new or changed. Those rules
// read the table: the statements run before screening with them (package pipeline runs them in
// a transaction of their own after the load). It returns nil when no rule needs letters.
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
