package db

import "context"

// Temporary tables the screening builds on its connection (a DuckDB temporary table lives as long
// as the connection that made it), named once here. SQL files get them as Names.
const (
	// CaseContacts holds the contacts of the cases received by the screening date, with an
	// integer case key; package rules builds it before any rule runs.
	CaseContacts = "case_contacts"
	// CaseEvents holds what each case's events say as of the screening date, until CaseState is
	// built from it.
	CaseEvents = "case_events"
	// CaseState holds one row per case: its stage, deadline and progress as of the screening date.
	CaseState = "case_state"
	// WorkDays numbers the working days around the screening date, for working-day deadlines.
	WorkDays = "work_days"
	// RuleFlags holds one rule's flags as it is materialised.
	RuleFlags = "rule_flags"
	// RescreenContacts and RescreenState hold the rows of CaseContacts and CaseState of the
	// cases a rule by case screens again (see package rules' MaterializeCases).
	RescreenContacts = "rescreen_contacts"
	RescreenState    = "rescreen_state"
	// ChangedGroupCases lists the cases whose records a rule by group reads changed since the
	// latest stored run; such a rule (see package rules' MaterializeGroups) screens their groups
	// again, which it lists in RescreenGroups, their cases in RescreenGroupCases.
	ChangedGroupCases  = "changed_group_cases"
	RescreenGroups     = "rescreen_groups"
	RescreenGroupCases = "rescreen_group_cases"

	// CopiedMembers, BaselineStrata, BaselineEpisodes, WaveSegments and WaveTests carry what
	// the rules computed in Go (near-identical letters, baseline strata and alarm episodes, the
	// wave rule's windows and their tests) back into SQL.
	CopiedMembers    = "copied_members"
	BaselineStrata   = "baseline_strata"
	BaselineEpisodes = "baseline_episodes"
	WaveSegments     = "wave_segments"
	WaveTests        = "wave_tests"
	// HotMentions holds the places the texts of the cases hot_issue reads name, in the order of
	// the cases' rows.
	HotMentions = "hot_mentions"
	// HotMembers and HotEpisodes carry the hot_issue rule's episodes, found in Go, into SQL;
	// HotBatch lists the cases whose texts the rule reads again for a batch of places.
	HotMembers  = "hot_members"
	HotEpisodes = "hot_episodes"
	HotBatch    = "hot_batch"
	// HotDocKeys holds every screened case's text key and whether the hot_issue rule's period
	// holds it; HotDocRead the cases whose texts it reads and what it does with each (add it to
	// its document frequencies, take it out, or keep it for a place's topics); HotCandidates the
	// cases of the places that may hold a hot issue; HotDocNext the document frequencies counted,
	// until the run stores them with HotDocRead (rules.StoreKept).
	HotDocKeys    = "hot_doc_keys"
	HotDocRead    = "hot_doc_read"
	HotCandidates = "hot_candidates"
	HotDocNext    = "hot_doc_next"
)

// DropTemp drops the temporary tables named, if they exist, stopping at the first error.
func DropTemp(ctx context.Context, q Querier, names ...string) error {
	for _, n := range names {
		if err := Exec(ctx, q, "DROP TABLE IF EXISTS temp.main."+Ident(n)); err != nil {
			return err
		}
	}
	return nil
}

// IsTable reports whether the database's main schema holds a table (not a view) of that name.
func IsTable(ctx context.Context, q Querier, name string) (bool, error) {
	n, err := Column[int64](ctx, q, "SELECT count(*) FROM duckdb_tables() "+
		"WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1", name)
	if err != nil {
		return false, err
	}
	return n[0] > 0, nil
}
