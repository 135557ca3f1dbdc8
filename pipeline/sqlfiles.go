package pipeline

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/rules"
)

// The stages' SQL lives in sql/*.sql, parsed and rendered when the package is initialised (see
// db.MustParse for what a file may splice in): everything a file names comes from sqlData and
// sqlFuncs, built from constants, so each statement is the same on every run and a broken file
// stops the program at start-up. Values are bound parameters ($name) when the statement runs.
//
// A file holds one statement, or a script of statements each ending with a ';' at the end of
// a line, run in order (see db.SplitStatements).
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// Temporary tables the stages build on their connection (the rules' are in internal/db), named
// once here. SQL files get them as Names.
const (
	// runFlagsTable collects the run's flags during screening until storeFlags stores them.
	runFlagsTable = "run_flags"
	// flagsKeptTable pairs the run's flags with the stored spans they carry on (see storeFlags).
	flagsKeptTable = "flags_kept"
	// flagReasonsTable holds the reasons of one rule's flags, carried or rendered by Go.
	flagReasonsTable = "flag_reasons"
	// flagTodoTable holds the flags of one rule whose reasons Go renders.
	flagTodoTable = "flag_todo"
	// flagLivenessTable holds the newest evidence and liveness of one rule's flags.
	flagLivenessTable = "flag_liveness"
	// matterMergesTable maps each flag's own matter id to the merged matter's (see mergeMatters);
	// mergedReasonsTable holds the reasons Go composed for matters of several flags.
	matterMergesTable  = "matter_merges"
	mergedReasonsTable = "merged_reasons"
	// mergeFlagsTable holds the flags of the matters whose reasons Go composes.
	mergeFlagsTable = "merge_flags"
	// runItemsTable holds the run's items, one per matter, as buildWatchlist makes them, from
	// runMergedTable (each matter's flags merged) and runItemFactsTable (what it takes from its
	// cases and events).
	runItemsTable     = "run_items"
	runMergedTable    = "run_merged"
	runItemFactsTable = "run_item_facts"
	// runTitlesTable holds the titles Go composed for the run's items (see titleWatchlist), from
	// the facts in titleFactsTable.
	runTitlesTable  = "run_titles"
	titleFactsTable = "title_facts"
	// runMeasuredTable holds the run's items with their measures; trackedTable each item's
	// state and note against earlier runs and dismissals (see track).
	runMeasuredTable = "run_measured"
	trackedTable     = "tracked"
	// runListedTable holds the run's watchlist, ranked, until storeWatchlist stores it;
	// watchlistKeptTable pairs its items with the stored spans they carry on.
	runListedTable     = "run_listed"
	watchlistKeptTable = "watchlist_kept"
	// linkCandidatesTable holds each unlinked contact's candidate cases (see linkContacts).
	linkCandidatesTable = "link_candidates"
	// placesTodoTable holds the texts place extraction reads (see places.go).
	placesTodoTable = "places_todo"
	// placesNewView is the Arrow view of the places found in one chunk of texts (storePlaces).
	placesNewView = "places_new"
	// runTopicsTable holds the run's emerging topics until the run is stored (see findTopics);
	// topicContactsTable the contacts of the period the stage reads, in the order of their cases.
	runTopicsTable     = "run_topics"
	topicContactsTable = "topic_contacts"
	// backtestTruthTable holds the ground truth of a backtest, one row per event and case.
	backtestTruthTable = "bt_truth"
	// caseDigestsNowTable holds a digest of each case's records as they stand; caseChangesTable
	// the cases where it differs from the latest stored run's, and what changed; of those,
	// changedCasesTable the cases whose records changed, rules.ChangedGroupCases those whose
	// records read by a rule by group changed (see rescreen.go).
	caseDigestsNowTable = "case_digests_now"
	caseChangesTable    = "case_changes"
	changedCasesTable   = "changed_cases"
	// standingFlagsTable holds the flags of one rule that stand from the latest stored run.
	standingFlagsTable = "standing_flags"
	// classifiedTable holds the category classifier's decisions (see classifyCategories).
	classifiedTable = "classified"
)

// sqlData is what every SQL file may splice in: the temporary tables, as {{.run_items}} and so
// on, the columns every rule returns, and the matter states, quoted as literals.
var sqlData = map[string]any{
	"run_flags":            db.Name(runFlagsTable),
	"flags_kept":           db.Name(flagsKeptTable),
	"flag_reasons":         db.Name(flagReasonsTable),
	"flag_todo":            db.Name(flagTodoTable),
	"flag_liveness":        db.Name(flagLivenessTable),
	"matter_merges":        db.Name(matterMergesTable),
	"merged_reasons":       db.Name(mergedReasonsTable),
	"merge_flags":          db.Name(mergeFlagsTable),
	"run_items":            db.Name(runItemsTable),
	"run_merged":           db.Name(runMergedTable),
	"run_item_facts":       db.Name(runItemFactsTable),
	"run_titles":           db.Name(runTitlesTable),
	"title_facts":          db.Name(titleFactsTable),
	"run_measured":         db.Name(runMeasuredTable),
	"tracked":              db.Name(trackedTable),
	"run_listed":           db.Name(runListedTable),
	"watchlist_kept":       db.Name(watchlistKeptTable),
	"link_candidates":      db.Name(linkCandidatesTable),
	"bt_truth":             db.Name(backtestTruthTable),
	"classified":           db.Name(classifiedTable),
	"places_todo":          db.Name(placesTodoTable),
	"places_new":           db.Name(placesNewView),
	"run_topics":           db.Name(runTopicsTable),
	"topic_contacts":       db.Name(topicContactsTable),
	"case_contacts":        db.Name(rules.ContactsTable),
	"case_state":           db.Name(rules.StateTable),
	"rule_flags":           db.Name(rules.FlagsTable),
	"rescreen_state":       db.Name(rules.RescreenState),
	"rescreen_contacts":    db.Name(rules.RescreenContacts),
	"case_digests_now":     db.Name(caseDigestsNowTable),
	"case_changes":         db.Name(caseChangesTable),
	"changed_cases":        db.Name(changedCasesTable),
	"changed_group_cases":  db.Name(rules.ChangedGroupCases),
	"rescreen_group_cases": db.Name(rules.RescreenGroupCases),
	"standing_flags":       db.Name(standingFlagsTable),

	"flag_columns": db.Names(rules.FlagColumns...),

	"state_new":        db.Fragment(db.Literal(StateNew)),
	"state_continuing": db.Fragment(db.Literal(StateContinuing)),
	"state_worse":      db.Fragment(db.Literal(StateWorse)),
	"state_reopened":   db.Fragment(db.Literal(StateReopened)),
	"state_cleared":    db.Fragment(db.Literal(StateCleared)),
	"state_suppressed": db.Fragment(db.Literal(StateSuppressed)),
}

// sqlFuncs are the fragments SQL files may call for, built from the schema's code lists (package
// data); each takes a column expression written in the file.
var sqlFuncs = template.FuncMap{
	// level_rank: a level's rank, 1 (county) .. 4 (national), NULL for anything else.
	"level_rank": func(col string) db.Fragment { return db.Fragment(rules.LevelRankSQL(col)) },
	// level_code: a rank back to its level code.
	"level_code": func(col string) db.Fragment { return db.Fragment(rules.LevelCodeSQL(col)) },
	// level_label: a level code's name in lang (zh or en); anything else as it is.
	"level_label": levelLabel,
	// text: a message of the catalogue in lang, as a string literal; a format for printf().
	"text": func(lang, key string) db.Fragment { return db.Fragment(db.Literal(i18n.T(lang, key))) },
	// tier_label: a tier's name in lang.
	"tier_label": tierLabel,
}

// The stages' statements, in the order a run executes them; a backtest's last.
var (
	schemaSQL       = script("schema.sql")
	flagsMigrateSQL = script("schema_flags_migrate.sql")
	flagsViewSQL    = script("schema_flags.sql")

	watchlistMigrateSQL = script("schema_watchlist_migrate.sql")
	watchlistViewSQL    = script("schema_watchlist.sql")

	hasRunsSQL          = statement("run_has_runs.sql")
	latestRunSQL        = statement("run_latest.sql")
	lastRunAsOfSQL      = statement("run_last_as_of.sql")
	runsAfterSQL        = statement("run_after.sql")
	storedRecordSQL     = statement("run_stored_record.sql")
	standingRunSQL      = statement("run_standing.sql")
	sameBasisSQL        = statement("run_same_basis.sql")
	unpublishedLoadsSQL = statement("run_unpublished_loads.sql")

	adoptedLoadsSQL = statement("run_adopted_loads.sql")
	adoptLoadsSQL   = script("run_adopt_loads.sql")

	linkClearSQL    = statement("link_clear.sql")
	linkUnlinkedSQL = statement("link_unlinked.sql")
	linkContactsSQL = script("link_contacts.sql")
	linkCountsSQL   = statement("link_counts.sql")
	missingCasesSQL = statement("missing_cases.sql")

	classifyPendingSQL = statement("classify_pending.sql")
	classifyTableSQL   = statement("classify_table.sql")
	classifyApplySQL   = statement("classify_apply.sql")
	labelledCasesSQL   = statement("labelled_cases.sql")
	placeTextsSQL      = statement("place_texts.sql")
	placeTextsLastSQL  = statement("place_texts_last.sql")

	dataDatesSQL     = statement("run_data_dates.sql")
	recordsLatestSQL = statement("run_records_latest.sql")
	afterAsOfSQL     = statement("run_after_as_of.sql")

	placesTodoSQL  = statement("places_todo.sql")
	placesCountSQL = statement("places_count.sql")
	placesClearSQL = statement("places_clear.sql")
	placesChunkSQL = statement("places_chunk.sql")
	placesStoreSQL = statement("places_store.sql")
	placesDoneSQL  = statement("places_done.sql")

	checkClosingSQL = statement("check_closing.sql")
	checkStaleSQL   = statement("check_stale.sql")
	checkLettersSQL = statement("check_letters.sql")
	checkTextSQL    = statement("check_text.sql")
	checkPersonsSQL = statement("check_persons.sql")

	runFlagsSQL            = statement("screen_run_flags.sql")
	rescreenDigestsSQL     = script("rescreen_digests.sql")
	rescreenPrevSQL        = statement("rescreen_prev.sql")
	rescreenCasesSQL       = script("rescreen_cases.sql")
	rescreenCarrySQL       = script("rescreen_carry.sql")
	rescreenMovedSQL       = statement("rescreen_moved.sql")
	rescreenCarryGroupsSQL = script("rescreen_carry_groups.sql")
	flagReasonsSQL         = statement("screen_flag_reasons.sql")
	flagCarriedSQL         = rescreenedOrNot("screen_flag_carried.sql")
	flagTodoSQL            = rescreenedOrNot("screen_flag_todo.sql")
	flagFactsSQL           = statement("screen_flag_facts.sql")
	flagLivenessSQL        = rescreenedOrNot("screen_flag_liveness.sql")
	// flagLivenessGroupsSQL is flagLivenessSQL for a rule by group screened again for some groups.
	flagLivenessGroupsSQL = stageSQL.Statement("rescreened by group", map[string]any{"rescreened": true, "by_case": false},
		"screen_flag_liveness.sql")
	collectFlagsSQL = rescreenedOrNot("screen_collect_flags.sql")

	mergeMembersSQL     = statement("merge_members.sql")
	mergeTablesSQL      = script("merge_tables.sql")
	mergeApplySQL       = statement("merge_apply.sql")
	mergeFlagsSQL       = statement("merge_flags.sql")
	mergeReasonFlagsSQL = statement("merge_reason_flags.sql")
	mergeReasonRangeSQL = statement("merge_reason_range.sql")
	mergedReasonsSQL    = statement("merged_reasons.sql")

	mergeWatchlistSQL = statement("watchlist_merge.sql", "tiers.sql")
	buildWatchlistSQL = statement("watchlist_build.sql")
	watchlistItemsSQL = script("watchlist_items.sql")
	titleFactsSQL     = statement("watchlist_title_facts.sql")
	titleRangeSQL     = statement("watchlist_title_range.sql")
	runTitlesSQL      = statement("watchlist_titles.sql")
	titleDedupSQL     = script("watchlist_title_dedup.sql")
	prevRunSQL        = statement("track_prev_run.sql")
	trackChangesSQL   = script("track_changes.sql", "tiers.sql", "track_worse.sql")

	nextRunSeqSQL     = statement("run_next_seq.sql")
	storeFlagsSQL     = script("store_flags.sql")
	rescreenStoreSQL  = script("rescreen_store.sql")
	storeWatchlistSQL = script("store_watchlist.sql", "tiers.sql")
	changeCountsSQL   = statement("store_change_counts.sql")
	storeDueSoonSQL   = statement("store_due_soon.sql")
	tierCountsSQL     = statement("run_tier_counts.sql")
	quietMattersSQL   = statement("run_quiet_matters.sql")
	familyCountsSQL   = statement("run_family_counts.sql")
	recordRunSQL      = statement("run_record.sql")

	backtestTablesSQL = script("backtest_tables.sql")
	backtestOpenSQL   = statement("backtest_open_cases.sql")
	backtestFlagsSQL  = statement("backtest_flags.sql")
	matterDaysSQL     = statement("backtest_matter_days.sql")
	backtestScoreSQL  = statement("backtest_score.sql")
	backtestKindsSQL  = statement("backtest_score_kinds.sql")
	backtestDailySQL  = statement("backtest_daily.sql")
	backtestDueSQL    = statement("backtest_due_cases.sql")
	backtestDueScore  = statement("backtest_due_soon.sql")
)

// stageSQL is the folder sql/ with what its files may use.
var stageSQL = db.NewFiles("pipeline", sqlFiles, sqlFuncs, sqlData)

// script renders file of sql/ (with snippets, files defining templates it includes) as a list of
// statements; it panics if a file does not parse or render.
func script(file string, snippets ...string) []string {
	return stageSQL.Script("", nil, file, snippets...)
}

// statement renders a file of sql/ holding one statement.
func statement(file string, snippets ...string) string {
	return stageSQL.Statement("", nil, file, snippets...)
}

// rescreenedOrNot renders a file of sql/ holding one statement for a rule screened whole
// ([false]) and for a rule by case screened again for some cases ([true], see rescreen.go), which
// the file may tell from a rule by group only by by_case.
func rescreenedOrNot(file string) map[bool]string {
	return map[bool]string{
		false: stageSQL.Statement("", map[string]any{"rescreened": false, "by_case": false}, file),
		true:  stageSQL.Statement("rescreened", map[string]any{"rescreened": true, "by_case": true}, file),
	}
}

// eachRange calls f for the rows of the temporary table, numbered from 0 in its column i,
// size numbers at a time (from, to: the numbers from to to-1), then drops the table. Go reads
// large results so: the driver holds a query's whole result until it is read.
func eachRange(ctx context.Context, q db.Querier, table string, size int64, f func(from, to int64) error) error {
	defer db.DropTemp(context.WithoutCancel(ctx), q, table)
	n, err := db.Column[int64](ctx, q, "SELECT coalesce(max(i) + 1, 0) FROM temp.main."+db.Ident(table))
	if err != nil {
		return err
	}
	for from := int64(0); from < n[0]; from += size {
		if err := f(from, from+size); err != nil {
			return err
		}
	}
	return nil
}

// execStatements runs each statement with those of the named args it refers to (DuckDB rejects
// the others), stopping at the first error, which names the statement's first line.
func execStatements(ctx context.Context, q db.Querier, args []any, stmts ...string) error {
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s, usedArgs(s, args)...); err != nil {
			return fmt.Errorf("%s: %w", db.FirstLine(s), err)
		}
	}
	return nil
}

// usedArgs keeps the named arguments a statement refers to outside its '--' comment lines.
func usedArgs(stmt string, args []any) []any {
	var code strings.Builder
	for line := range strings.Lines(stmt) {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			code.WriteString(line)
		}
	}
	var out []any
	for _, a := range args {
		if strings.Contains(code.String(), "$"+a.(sql.NamedArg).Name) {
			out = append(out, a)
		}
	}
	return out
}

// tierLabel is a SQL expression naming the tier in col in lang.
func tierLabel(col, lang string) db.Fragment {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, t := range configs.TierNames {
		fmt.Fprintf(&b, " WHEN %s THEN %s", db.Literal(t), db.Literal(i18n.Label(lang, "tier", t)))
	}
	b.WriteString(" ELSE " + col + " END")
	return db.Fragment(b.String())
}

// levelLabel is a SQL expression naming the level code in col in lang (zh or en); anything else
// stays as it is.
func levelLabel(col, lang string) db.Fragment {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, l := range data.Levels {
		name := l.Label(lang)
		fmt.Fprintf(&b, " WHEN %s THEN %s", db.Literal(l.Code), db.Literal(name))
	}
	b.WriteString(" ELSE " + col + " END")
	return db.Fragment(b.String())
}
