package rules

import (
	"embed"
	"text/template"

	"github.com/earlywarn/earlywarn/internal/db"
)

// The rules' SQL lives in sql/*.sql, one statement a file, parsed when the package is
// initialised (see db.MustParse for what a file may splice in). Every file may name the
// temporary tables of sqlTables; the rest of its data is listed where it runs.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// SQL files, by the Go file that runs them.
var (
	caseContactsSQL = parseSQL("case_contacts.sql")
	caseEventsSQL   = parseSQL("case_events.sql")
	caseStateSQL    = parseSQL("case_state.sql")
	workdaysSQL     = parseSQL("workdays.sql")

	ruleFlagsSQL   = parseSQL("rule_flags.sql")
	ruleFlagsAsSQL = parseSQL("rule_flags_as.sql")

	repeatSQL    = parseSQL("repeat.sql")
	headCountSQL = parseSQL("head_count.sql")
	waveSQL      = parseSQL("wave.sql")

	waveSegmentsSQL = parseSQL("wave_segments.sql", "records_from.sql")
	waveListSQL     = parseSQL("wave_list.sql")
	waveTestsSQL    = parseSQL("wave_tests.sql")

	rescreenGroupsSQL   = parseSQL("rescreen_groups.sql")
	stretchesStoreSQL   = parseSQL("stretches_store.sql", "records_from.sql")
	stretchesChangedSQL = parseSQL("stretches_changed.sql", "records_from.sql")

	lettersTableSQL     = parseSQL("letters_table.sql")
	lettersStaleSQL     = parseSQL("letters_stale.sql")
	lettersNewSQL       = parseSQL("letters_new.sql")
	copiedExactSQL      = parseSQL("copied_exact.sql", "copied_most.sql")
	copiedCandidatesSQL = parseSQL("copied_candidates.sql")
	copiedMembersSQL    = parseSQL("copied_members.sql")
	copiedSimilarSQL    = parseSQL("copied_similar.sql", "copied_most.sql")

	hotRangesSQL      = parseSQL("hot_ranges.sql")
	hotMentionRowsSQL = parseSQL("hot_mention_rows.sql")
	hotMentionsSQL    = parseSQL("hot_mentions.sql")
	hotContactsSQL    = parseSQL("hot_contacts.sql", "records_from.sql")
	hotDocTablesSQL   = parseSQL("hot_doc_tables.sql")
	hotDocKeysSQL     = parseSQL("hot_doc_keys.sql")
	hotDocAllSQL      = parseSQL("hot_doc_all.sql")
	hotDocDeltaSQL    = parseSQL("hot_doc_delta.sql")
	hotCandidatesSQL  = parseSQL("hot_candidates.sql")
	hotDocCandsSQL    = parseSQL("hot_doc_candidates.sql")
	hotDocTextsSQL    = parseSQL("hot_doc_texts.sql")
	hotDocMentionsSQL = parseSQL("hot_doc_mentions.sql")
	hotDocNextSQL     = parseSQL("hot_doc_next.sql")
	hotDocStoreSQL    = parseSQL("hot_doc_store.sql")
	hotBatchSQL       = parseSQL("hot_batch.sql")
	hotBatchTextsSQL  = parseSQL("hot_batch_texts.sql")
	hotMembersSQL     = parseSQL("hot_members.sql")
	hotEpisodesSQL    = parseSQL("hot_episodes.sql")
	hotIssueSQL       = parseSQL("hot_issue.sql")

	higherLevelSQL = parseSQL("higher_level.sql")
	continuedSQL   = parseSQL("continued_after_answer.sql")

	stalledSQL = map[string]*db.Template{
		CheckOverdue:    parseSQL("stalled.sql", "stalled_overdue.sql"),
		CheckNoProgress: parseSQL("stalled.sql", "stalled_no_progress.sql"),
		CheckExtensions: parseSQL("stalled.sql", "stalled_extensions.sql"),
	}

	baselineStartSQL      = parseSQL("baseline_start.sql", "records_from.sql")
	baselineStrataSQL     = parseSQL("baseline_strata.sql", "baseline_stratum.sql")
	baselineStrataListSQL = parseSQL("baseline_strata_list.sql")
	baselineCountsSQL     = parseSQL("baseline_counts.sql", "baseline_stratum.sql")
	baselineEpisodesSQL   = parseSQL("baseline_episodes.sql")
	baselineFlagsSQL      = parseSQL("baseline_flags.sql", "baseline_stratum.sql")
)

// sqlFuncs are the fragments SQL files may call for, built from the schema's code lists (package
// data); each takes a column expression written in the file.
var sqlFuncs = template.FuncMap{
	"level_rank": func(col string) db.Fragment { return db.Fragment(LevelRankSQL(col)) },
	"level_code": func(col string) db.Fragment { return db.Fragment(LevelCodeSQL(col)) },
	"event_seq":  func(col string) db.Fragment { return db.Fragment(eventSeqSQL(col)) },
}

// sqlTables are the temporary tables every SQL file may name, as {{.case_state}} and so on.
var sqlTables = map[string]any{
	"case_contacts":        db.Name(ContactsTable),
	"case_state":           db.Name(StateTable),
	"case_events":          db.Name(db.CaseEvents),
	"work_days":            db.Name(WorkdaysTable),
	"rule_flags":           db.Name(FlagsTable),
	"copied_members":       db.Name(db.CopiedMembers),
	"wave_segments":        db.Name(db.WaveSegments),
	"wave_tests":           db.Name(db.WaveTests),
	"hot_mentions":         db.Name(db.HotMentions),
	"hot_members":          db.Name(db.HotMembers),
	"hot_episodes":         db.Name(db.HotEpisodes),
	"hot_batch":            db.Name(db.HotBatch),
	"hot_doc_keys":         db.Name(db.HotDocKeys),
	"hot_doc_read":         db.Name(db.HotDocRead),
	"hot_candidates":       db.Name(db.HotCandidates),
	"hot_doc_next":         db.Name(db.HotDocNext),
	"baseline_strata":      db.Name(db.BaselineStrata),
	"baseline_episodes":    db.Name(db.BaselineEpisodes),
	"changed_group_cases":  db.Name(ChangedGroupCases),
	"rescreen_groups":      db.Name(RescreenGroups),
	"rescreen_group_cases": db.Name(RescreenGroupCases),
}

// rulesSQL is the folder sql/ with what its files may use.
var rulesSQL = db.NewFiles("rules", sqlFiles, sqlFuncs, sqlTables)

// parseSQL parses files of sql/ as one template (see db.MustParse); it panics if one does not
// parse.
func parseSQL(files ...string) *db.Template { return rulesSQL.Parse(files...) }

// renderSQL returns t's statement for the tables and data, which may hold only whitelisted
// identifiers (db.Name), fragments built from constants (db.Fragment) and switches (bool); a
// failure is a bug in this package, so it panics.
func renderSQL(t *db.Template, data map[string]any) string { return rulesSQL.Render(t, data) }
