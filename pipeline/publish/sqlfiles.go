package publish

import (
	"embed"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/web/review"
)

// The stage's SQL lives in sql/*.sql, one statement a file, parsed and rendered when the
// package is initialised (see db.MustParse for what a file may splice in): everything a file
// names comes from sqlData and the whitelists below, built from constants, so a broken file
// stops the program at start-up. Values (run ids, limits, the Parquet file's path) are bound
// parameters.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// sqlData is what every SQL file may splice in: review's matter_review as the nightly run sees
// it (SQL text of package review's constants).
var sqlData = map[string]any{
	"reviewed": db.Fragment(review.Reviewed),
}

// langColumns are the watchlist's columns in each output language, as a file names them:
// {{.reason}} and {{.state_note}}, and matter_changes' {{.change_note}}.
var langColumns = map[string]map[string]any{
	review.LangZH: {"reason": db.Name("reason_zh"), "state_note": db.Name("state_note_zh"), "change_note": db.Name("note_zh")},
	review.LangEN: {"reason": db.Name("reason_en"), "state_note": db.Name("state_note_en"), "change_note": db.Name("note_en")},
}

// outputLangs are the output languages, in the order TestPublishSQL lists them.
var outputLangs = []string{review.LangZH, review.LangEN}

// The statements, by the Go file that runs them.
var (
	// report.go and xlsx.go: the run, and what report.html and the summary sheet count.
	runSQL           = statement("run.sql")
	summaryTierSQL   = statement("summary_by_tier.sql")
	summaryRuleSQL   = statement("summary_by_rule.sql")
	summaryTownSQL   = group("township")
	summaryCatSQL    = group("category")
	reportTrendSQL   = statement("report_trend.sql")
	reportTopSQL     = perLang("report_top.sql", "matter_columns.sql")
	xlsxWatchlistSQL = perLang("xlsx_watchlist.sql")
	reportBaoanSQL   = statement("report_baoan.sql")

	// leader.go: what the report and the workbook's first sheet show a leader.
	leaderTopSQL       = perLang("leader_top.sql", "matter_columns.sql")
	leaderTownSQL      = counts("township")
	leaderCatSQL       = counts("category")
	leaderUnitSQL      = counts("responsible_unit")
	leaderSuperviseSQL = statement("leader_supervise.sql")
	leaderChangesSQL   = statement("leader_changes.sql")
	leaderClearedSQL   = perLang("leader_cleared.sql")
	runNotesSQL        = statement("run_notes.sql")

	// topics.go: the run's emerging topics.
	topicsSQL       = statement("topics.sql")
	topicsRunSQL    = statement("topics_run.sql")
	topicsExistsSQL = statement("topics_exists.sql")

	// parquet.go, watchlist_csv.go and quarantine_csv.go.
	exportParquetSQL  = perLang("export_parquet.sql")
	watchlistCSVSQL   = perLang("watchlist_csv.sql")
	watchlistRanksSQL = statement("watchlist_ranks.sql")
	evidenceIDsSQL    = statement("evidence_ids.sql")
	quarantineCSVSQL  = statement("quarantine_csv.sql")
)

// snippetFiles are the files that only define templates other files include.
var snippetFiles = []string{"matter_columns.sql"}

// publishSQL is the folder sql/ with what its files may use.
var publishSQL = db.NewFiles("publish", sqlFiles, nil, sqlData)

// render renders file of sql/ with sqlData and data, recorded as variant; it panics if the file
// does not parse or render.
func render(file, variant string, data map[string]any, snippets ...string) string {
	return publishSQL.Statement(variant, data, file, snippets...)
}

// statement renders a file that is the same in every language.
func statement(file string) string { return render(file, "", nil) }

// group renders summary_by_group.sql for a column of the watchlist a summary counts by.
func group(column string) string {
	return render("summary_by_group.sql", "group "+column, map[string]any{"group": db.Name(column)})
}

// counts renders leader_counts.sql for a column of the watchlist it counts by, per tier.
func counts(column string) string {
	return render("leader_counts.sql", "group "+column, map[string]any{"group": db.Name(column)})
}

// langSQL is a statement rendered for each output language.
type langSQL map[string]string

// in is the statement for lang (review.Lang's choice for an unknown one).
func (s langSQL) in(lang string) string { return s[review.Lang(lang)] }

// perLang renders a file (with snippets, files defining templates it includes) for each output
// language, with langColumns.
func perLang(file string, snippets ...string) langSQL {
	out := langSQL{}
	for _, lang := range outputLangs {
		out[lang] = render(file, "lang "+lang, langColumns[lang], snippets...)
	}
	return out
}
