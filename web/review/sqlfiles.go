package review

import (
	"embed"

	"github.com/earlywarn/earlywarn/internal/db"
)

// The review's SQL lives in sql/*.sql, parsed and rendered when the package is initialised (see
// db.MustParse for what a file may splice in): everything a file names comes from sqlData,
// built from constants, so each statement is the same on every call and a broken file stops the
// program at start-up. Values, the watchlist's filters among them, are bound parameters ($1 …)
// when the statement runs.
//
// A file holds one statement, or (schema.sql) a script of statements each ending with a ';' at
// the end of a line. item_columns.sql, watchlist_filter.sql and latest_items.sql (each
// matter's latest watchlist item) define snippets other files include.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// The tables the review reads and writes: its own, and the pipeline's it reads.
const (
	matterReviewTable  = "matter_review"
	progressNotesTable = "progress_notes"
	auditLogTable      = "audit_log"
	dismissalsTable    = "dismissals"
	supervisionsTable  = "supervisions"
	sessionsTable      = "sessions"

	runsTable      = "runs"
	watchlistTable = "watchlist"
	flagsTable     = "flags"
	casesTable     = "cases"
	contactsTable  = "contacts"
	eventsTable    = "events"
	dueSoonTable   = "due_soon"
	changesTable   = "matter_changes"
)

// sqlData is what every SQL file may splice in: the tables, as {{.watchlist}} and so on, and
// the review states, quoted as literals. reviewed (the Reviewed subquery) is added once
// reviewed.sql is rendered.
var sqlData = map[string]any{
	"matter_review":  db.Name(matterReviewTable),
	"progress_notes": db.Name(progressNotesTable),
	"audit_log":      db.Name(auditLogTable),
	"dismissals":     db.Name(dismissalsTable),
	"supervisions":   db.Name(supervisionsTable),
	"sessions":       db.Name(sessionsTable),
	"runs":           db.Name(runsTable),
	"watchlist":      db.Name(watchlistTable),
	"flags":          db.Name(flagsTable),
	"cases":          db.Name(casesTable),
	"contacts":       db.Name(contactsTable),
	"events":         db.Name(eventsTable),
	"due_soon":       db.Name(dueSoonTable),
	"matter_changes": db.Name(changesTable),

	"state_open":      db.Fragment(db.Literal(StateOpen)),
	"state_owned":     db.Fragment(db.Literal(StateOwned)),
	"state_resolved":  db.Fragment(db.Literal(StateResolved)),
	"state_dismissed": db.Fragment(db.Literal(StateDismissed)),
}

// reasonColumns are the watchlist's and the flags' reason column in each language; a statement
// that shows reasons is rendered once per language, with the column as {{.reason}}, the
// watchlist's change note as {{.state_note}} and matter_changes' as {{.change_note}}.
var reasonColumns = map[string]string{LangZH: "reason_zh", LangEN: "reason_en"}

// noteColumns are the watchlist's change note column in each language; changeNoteColumns
// matter_changes'.
var (
	noteColumns       = map[string]string{LangZH: "state_note_zh", LangEN: "state_note_en"}
	changeNoteColumns = map[string]string{LangZH: "note_zh", LangEN: "note_en"}
)

// The statements, by the file they come from.
var (
	// Schema creates the review tables (see schema.sql). The dismissals table belongs to the
	// pipeline's schema (it is the contract with the nightly run) and is created here too,
	// identically, so the review app works on a database no run has touched yet.
	//
	//   - matter_review: one row per matter a leader has acted on: its state (owned, resolved,
	//     dismissed), owner (包案领导), plan, due date and a version that every change increments
	//     (optimistic concurrency: a change based on an older version is refused).
	//   - progress_notes: dated progress records of a matter, appended, never changed.
	//   - supervisions: the office's supervisions (督办) of owned matters, appended, never
	//     changed: a separate table rather than columns of matter_review because a matter is
	//     often pressed more than once and the monthly ledger shows each; the latest is the one
	//     in force (its deadline decides the 督办逾期 reminder).
	//   - audit_log: every action in the review app, appended, never changed: who, when, what,
	//     the matter, and its review state before and after as JSON.
	//   - sessions: the signed-in users (see sessions.go), by a hash of their session token.
	Schema = script("schema.sql")
	// watchlistColumnsSQL gives an earlier version's watchlist table the columns the app reads.
	watchlistColumnsSQL = script("schema_watchlist_columns.sql")

	// Reviewed is matter_review as it stands for the nightly run: a dismissal the run has lifted
	// (the matter got materially worse) leaves the matter open again. Join it as a table. The
	// statements below splice it in as {{.reviewed}}, so it is rendered before them.
	Reviewed = fragment("reviewed.sql", "reviewed")

	runTablesSQL = statement("run_tables.sql")
	runLatestSQL = statement("run_latest.sql")
	runRulesSQL  = statement("run_rules.sql")

	watchlistCountSQL = statement("watchlist_count.sql", "watchlist_filter.sql")
	watchlistPageSQL  = perLang("watchlist_page.sql", "watchlist_filter.sql", "item_columns.sql")
	watchlistTabsSQL  = statement("watchlist_tabs.sql", "watchlist_filter.sql")
	filterTownships   = statement("filter_townships.sql")
	filterCategories  = statement("filter_categories.sql")
	filterRules       = statement("filter_rules.sql")

	matterOnRunSQL    = statement("matter_on_run.sql")
	matterRunSQL      = statement("matter_run.sql")
	mergedIntoSQL     = statement("matter_merged_into.sql")
	matterItemSQL     = perLang("matter_item.sql", "item_columns.sql")
	matterFlagsSQL    = perLang("matter_flags.sql")
	matterCasesSQL    = statement("matter_cases.sql")
	matterTimelineSQL = statement("matter_timeline.sql")
	matterHistorySQL  = perLang("matter_history.sql")

	reviewLoadSQL   = statement("review_load.sql")
	applyRunSQL     = statement("apply_run.sql")
	applyDismissSQL = statement("apply_dismiss.sql")
	applyNoteSQL    = statement("apply_note.sql")
	applyClearSQL   = statement("apply_clear.sql")
	applyReviewSQL  = statement("apply_review.sql")
	auditAppendSQL  = statement("audit_append.sql")
	auditLogSQL     = statement("audit_log.sql")
	notesSQL        = statement("notes.sql")
	auditPageSQL    = statement("audit_page.sql")
	auditActorsSQL  = statement("audit_actors.sql")

	applyUndismissSQL = statement("apply_undismiss.sql")
	applySuperviseSQL = statement("apply_supervise.sql")
	supervisionsSQL   = statement("supervisions.sql")
	remindersSQL      = statement("reminders.sql", "latest_items.sql")
	resolvedSinceSQL  = statement("resolved_since.sql")

	dueSoonExistsSQL = statement("due_soon_exists.sql")
	dueSoonSQL       = statement("due_soon.sql")
	dueSoonDaysSQL   = statement("due_soon_days.sql")

	ledgerSQL      = statement("ledger.sql", "latest_items.sql")
	ledgerMonthSQL = statement("ledger_month.sql")

	bulletinRunSQL     = statement("bulletin_run.sql")
	bulletinLiveSQL    = statement("bulletin_live.sql")
	bulletinChangesSQL = statement("bulletin_changes.sql")

	sessionCreateSQL = statement("session_create.sql")
	sessionLoadSQL   = statement("session_load.sql")
	sessionTouchSQL  = statement("session_touch.sql")
	sessionDeleteSQL = statement("session_delete.sql")
	sessionPurgeSQL  = statement("session_purge.sql")
)

// snippetFiles are the files that only define templates other files include.
var snippetFiles = []string{"item_columns.sql", "watchlist_filter.sql", "latest_items.sql"}

// reviewSQL is the folder sql/ with what its files may use (sqlData, which fragment adds to).
var reviewSQL = db.NewFiles("review", sqlFiles, nil, sqlData)

// script renders a file of sql/ (with snippets, files defining templates it includes) as a list
// of statements.
func script(file string, snippets ...string) []string {
	return reviewSQL.Script("", nil, file, snippets...)
}

// statement renders a file of sql/ holding one statement.
func statement(file string, snippets ...string) string {
	return reviewSQL.Statement("", nil, file, snippets...)
}

// fragment renders a file of sql/ holding a piece of SQL other files splice in as {{.name}}, and
// adds it to sqlData.
func fragment(file, name string) string {
	s := statement(file)
	sqlData[name] = db.Fragment(s)
	return s
}

// langSQL is a statement rendered once per language of its reasons.
type langSQL map[string]string

// in is the statement showing reasons in lang; in the default language for any other.
func (l langSQL) in(lang string) string {
	if s, ok := l[lang]; ok {
		return s
	}
	return l[LangZH]
}

// perLang renders a file of sql/ holding one statement once per reason column.
func perLang(file string, snippets ...string) langSQL {
	out := langSQL{}
	for _, lang := range []string{LangZH, LangEN} {
		col := reasonColumns[lang]
		out[lang] = reviewSQL.Statement(col, map[string]any{"reason": db.Name(col), "state_note": db.Name(noteColumns[lang]), "change_note": db.Name(changeNoteColumns[lang])}, file, snippets...)
	}
	return out
}
