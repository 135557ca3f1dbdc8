package pipeline

import (
	"context"
	"database/sql"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

// namerOf names the rules of rs by their display names, any other by its id.
func namerOf(rs []*rules.Rule) RuleNamer {
	names := make(map[string]configs.RuleName, len(rs))
	for _, r := range rs {
		names[r.ID] = r.DisplayName
	}
	return func(lang, rule string) string {
		if n := names[rule].In(lang); n != "" {
			return n
		}
		return rule
	}
}

// buildWatchlist combines the run's flags (in runFlagsTable: reading them there costs the same
// however many runs the flags table holds) into one item per matter with a live flag, in
// runItemsTable: score (decayed with the age of each flag's newest evidence), tier, rules hit,
// one reason (see composeReasons), evidence, the date first flagged, the matters merged into
// it, and the matter's responsible unit, township and category, taken from the cases of the
// flag its reason tells first (for a cluster, the most common among them). A case matter's
// event evidence is every event of its case up to the as-of date; a cluster's is empty. Each
// item gets a title (see titleWatchlist). Items are ranked when they are stored (see
// storeWatchlist). It writes only temporary tables, in three statements so that no statement
// holds the evidence lists beside many joins (see sql/watchlist_merge.sql, watchlist_build.sql
// and watchlist_items.sql). It returns how many titles are bare (title.Compose).
func buildWatchlist(ctx context.Context, q *sql.Conn, w configs.Watchlist, name RuleNamer, lang string, asOf time.Time) (int64, error) {
	if err := composeReasons(ctx, q, name); err != nil {
		return 0, i18n.Wrap(err, "run.err.watchlist")
	}
	asOfArg := sql.Named("as_of", asOf.Format(time.DateOnly))
	if _, err := q.ExecContext(ctx, mergeWatchlistSQL, sql.Named("cap", w.StrengthCap), sql.Named("half_life", w.HalfLifeDays), asOfArg); err != nil {
		return 0, i18n.Wrap(err, "run.err.watchlist")
	}
	args := []any{sql.Named("red", w.Tiers.Red), sql.Named("orange", w.Tiers.Orange), asOfArg}
	// $found_<field>[_alone]_<lang>: the catalogue's run.found_in_text.<field>[_alone].
	for _, field := range []string{"township", "category", "township_alone", "category_alone"} {
		for _, lang := range i18n.Languages {
			args = append(args, sql.Named("found_"+field+"_"+lang, i18n.T(lang, "run.found_in_text."+field)))
		}
	}
	// $spread_<part>_<lang>: the catalogue's run.spread.<part>.
	for _, part := range []string{"township", "unit", "item", "more"} {
		for _, lang := range i18n.Languages {
			args = append(args, sql.Named("spread_"+part+"_"+lang, i18n.T(lang, "run.spread."+part)))
		}
	}
	if _, err := q.ExecContext(ctx, buildWatchlistSQL, args...); err != nil {
		return 0, i18n.Wrap(err, "run.err.watchlist")
	}
	if err := db.Exec(ctx, q, watchlistItemsSQL...); err != nil {
		return 0, i18n.Wrap(err, "run.err.watchlist")
	}
	bare, err := titleWatchlist(ctx, q, lang, w.TitleGist)
	if err != nil {
		return 0, i18n.Wrap(err, "run.err.watchlist")
	}
	return bare, nil
}
