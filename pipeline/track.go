package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/rules"
)

// States of a matter against the previous run.
const (
	StateNew        = "new"        // never on a watchlist before
	StateContinuing = "continuing" // on the previous watchlist, not materially worse
	StateWorse      = "worse"      // on the previous watchlist, materially worse now
	StateReopened   = "reopened"   // listed in an earlier run, or dismissed, and back
	StateCleared    = "cleared"    // on the previous watchlist, off this one
	StateSuppressed = "suppressed" // dismissed in review and not materially worse since
)

// States lists the states in report order.
var States = []string{StateNew, StateWorse, StateReopened, StateContinuing, StateCleared, StateSuppressed}

// changesDDL creates the table of each run's changes, including the matters it cleared or
// suppressed, which are not on its watchlist.
const changesDDL = `CREATE TABLE IF NOT EXISTS matter_changes (
  run_id VARCHAR, matter_id VARCHAR, state VARCHAR, prev_run_id VARCHAR, tier VARCHAR,
  prev_tier VARCHAR, note_zh VARCHAR, note_en VARCHAR)`

// runMeasuredTable is the connection-local table where track puts the run's items with their
// measures; trackedTable holds each item's state and note.
const (
	runMeasuredTable = "run_measured"
	trackedTable     = "tracked"
)

// track compares the run's items (in runItemsTable) with the previous run's watchlist and with
// review dismissals, writing only temporary tables; storeWatchlist then stores the outcome.
// The previous run is the latest with an earlier as-of date, so that a re-run of a night (a
// corrected export, a run killed while publishing) is compared with the night before, as the
// first attempt was, and gives the same watchlist.
//
//   - it measures each item (distinct complainants, highest level reached, days past the
//     deadline) so later runs can tell whether the matter got materially worse;
//   - it gives each item a state and a note saying what changed;
//   - it holds back items whose dismissal is still in force, and marks for lifting the
//     dismissal of items that got materially worse than when they were dismissed, saying why
//     they came back;
//   - it says so in the note of an item marked resolved in review that the data still flags.
//
// Materially worse means more distinct complainants, a higher level reached, newly past a
// deadline or at least w.WorseOverdueDays further past it; against the previous run a higher
// tier counts too. It returns the previous run's id ("" for none).
func track(ctx context.Context, q *sql.Conn, w configs.Watchlist, asOf time.Time) (string, error) {
	var prevRun sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT arg_max(run_id, finished_at) FROM runs WHERE as_of < CAST($1 AS DATE)`,
		asOf.Format(time.DateOnly)).Scan(&prevRun); err != nil {
		return "", fmt.Errorf("tracking: previous run: %w", err)
	}
	args := []any{sql.Named("prev_run", prevRun.String),
		sql.Named("as_of", asOf.Format(time.DateOnly)), sql.Named("step", w.WorseOverdueDays)}
	stmts := []string{
		// Measures of this run's items.
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[5]s AS
WITH item_cases AS (SELECT matter_id, unnest(case_ids) AS case_id FROM %[6]s),
seen AS (
  SELECT i.matter_id, t.person_id AS person, %[1]s AS lvl
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM %[6]s) i JOIN contacts t USING (contact_id)
  UNION ALL
  SELECT i.matter_id, c.complainant_id, %[2]s FROM item_cases i JOIN cases c USING (case_id)
),
overdue AS (
  SELECT i.matter_id, max(greatest(CAST($as_of AS DATE) - s.deadline, 0)) FILTER (WHERE s.pending) AS days
  FROM item_cases i JOIN %[3]s s USING (case_id) GROUP BY i.matter_id
),
m AS (
  SELECT matter_id, count(DISTINCT person)::INTEGER AS complainants, %[4]s AS top_level,
         coalesce(any_value(o.days), 0)::INTEGER AS days_overdue
  FROM seen LEFT JOIN overdue o USING (matter_id) GROUP BY matter_id
)
SELECT i.*, m.complainants, m.top_level, m.days_overdue FROM %[6]s i LEFT JOIN m USING (matter_id)`,
			levelRank("t.level"), levelRank("c.level"), rules.StateTable, rules.LevelCodeSQL("max(lvl)"),
			runMeasuredTable, runItemsTable),

		// Each item against the previous run, the dismissal in force and earlier listings.
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[12]s AS
WITH cur AS (SELECT * FROM %[13]s),
prev AS (SELECT * FROM watchlist WHERE run_id = $prev_run),
earlier AS (
  SELECT matter_id, max(as_of) AS last_listed FROM watchlist
  WHERE as_of < CAST($as_of AS DATE) AND matter_id IN (SELECT matter_id FROM cur)
  GROUP BY matter_id
),
dis AS (
  SELECT d.matter_id, d.dismissed_at, r.complainants, r.top_level, r.days_overdue, r.tier
  FROM dismissals d LEFT JOIN watchlist r ON r.run_id = d.run_id AND r.matter_id = d.matter_id
  WHERE d.lifted_at IS NULL
  QUALIFY row_number() OVER (PARTITION BY d.matter_id ORDER BY d.dismissed_at DESC) = 1
),
cmp AS (
  SELECT cur.matter_id, cur.tier, p.tier AS prev_tier, d.matter_id IS NOT NULL AS dismissed,
         d.dismissed_at, m.last_listed, p.matter_id IS NOT NULL AS listed_before,
         m.last_listed IS NOT NULL AS known,
         %[1]s AS vs_prev_zh, %[2]s AS vs_prev_en,
         %[3]s AS vs_dis_zh, %[4]s AS vs_dis_en,
         %[5]s AS tier_up,
         CASE WHEN r.state = 'resolved' THEN r.resolved_at END AS resolved_in_review
  FROM cur
  LEFT JOIN prev p USING (matter_id)
  LEFT JOIN dis d USING (matter_id)
  LEFT JOIN earlier m USING (matter_id)
  LEFT JOIN matter_review r USING (matter_id)
)
SELECT matter_id, tier, prev_tier,
  CASE
    WHEN dismissed AND vs_dis_zh = '' THEN '%[6]s'
    WHEN dismissed THEN '%[7]s'
    WHEN NOT listed_before AND known THEN '%[7]s'
    WHEN NOT listed_before THEN '%[8]s'
    WHEN vs_prev_zh <> '' OR tier_up THEN '%[9]s'
    ELSE '%[10]s'
  END AS state,
  concat_ws('；', CASE WHEN resolved_in_review IS NOT NULL
    THEN '审核中已于' || strftime(resolved_in_review, '%%Y-%%m-%%d') || '标记化解，数据仍显示预警' END, nullif(CASE
    WHEN dismissed AND vs_dis_zh <> '' THEN strftime(dismissed_at, '%%Y-%%m-%%d') || '核销后加重：' || vs_dis_zh
    WHEN NOT dismissed AND NOT listed_before AND known THEN '曾于' || strftime(last_listed, '%%Y-%%m-%%d') || '列入清单，再次出现'
    WHEN NOT dismissed AND listed_before THEN concat_ws('；', nullif(vs_prev_zh, ''), CASE WHEN tier_up THEN '等级升为' || %[11]s END)
    ELSE ''
  END, '')) AS note_zh,
  concat_ws('; ', CASE WHEN resolved_in_review IS NOT NULL
    THEN 'marked resolved in review on ' || strftime(resolved_in_review, '%%Y-%%m-%%d') || ' but still flagged by the data' END, nullif(CASE
    WHEN dismissed AND vs_dis_en <> '' THEN 'Dismissed on ' || strftime(dismissed_at, '%%Y-%%m-%%d') || ', back because ' || vs_dis_en
    WHEN NOT dismissed AND NOT listed_before AND known THEN 'Listed until ' || strftime(last_listed, '%%Y-%%m-%%d') || ', back on the list'
    WHEN NOT dismissed AND listed_before THEN concat_ws('; ', nullif(vs_prev_en, ''), CASE WHEN tier_up THEN 'tier up to ' || tier END)
    ELSE ''
  END, '')) AS note_en
FROM cmp`,
			worseNotes("p", "zh"), worseNotes("p", "en"), worseNotes("d", "zh"), worseNotes("d", "en"),
			tierRankSQL("cur.tier")+" < "+tierRankSQL("p.tier"),
			StateSuppressed, StateReopened, StateNew, StateWorse, StateContinuing, tierZH("tier"),
			trackedTable, runMeasuredTable),
	}
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s, usedArgs(s, args)...); err != nil {
			return "", fmt.Errorf("tracking: %w", err)
		}
	}
	return prevRun.String, nil
}

// storeWatchlist stores the run's items as runID's watchlist, without those held back by a
// dismissal, ranked 1..n by tier, then score (highest first), the date first flagged and the
// matter id; it lifts the dismissals of matters that came back, and records the run's
// changes against prevRun, including the matters it cleared. It returns the number of items
// per state.
func storeWatchlist(ctx context.Context, q *sql.Conn, runID, prevRun string) (map[string]int64, error) {
	args := []any{sql.Named("run_id", runID), sql.Named("prev_run", prevRun)}
	stmts := []string{
		fmt.Sprintf(`INSERT INTO watchlist (run_id, rank, matter_id, matter_kind, tier, score, rules, families,
  reason_zh, reason_en, responsible_unit, township, category, case_ids, contact_ids, event_ids, first_flagged,
  as_of, complainants, top_level, days_overdue, state, state_note_zh, state_note_en)
WITH listed AS (
  -- Ranked in a narrow projection: sorting whole items costs far more.
  SELECT i.matter_id, row_number() OVER (ORDER BY %[4]s, i.score DESC, i.first_flagged, i.matter_id) AS rank,
         t.state, t.note_zh, t.note_en
  FROM %[1]s i JOIN %[2]s t USING (matter_id)
  WHERE t.state <> '%[3]s'
)
SELECT $run_id, l.rank, i.matter_id, i.matter_kind, i.tier, i.score, i.rules, i.families, i.reason_zh,
  i.reason_en, i.responsible_unit, i.township, i.category, i.case_ids, i.contact_ids, i.event_ids,
  i.first_flagged, i.as_of, i.complainants, i.top_level, i.days_overdue, l.state, l.note_zh, l.note_en
FROM %[1]s i JOIN listed l USING (matter_id)`, runMeasuredTable, trackedTable, StateSuppressed, tierRankSQL("i.tier")),

		fmt.Sprintf(`UPDATE dismissals SET lifted_at = now(),
  lifted_reason = (SELECT t.note_zh FROM %[1]s t WHERE t.matter_id = dismissals.matter_id)
WHERE lifted_at IS NULL AND matter_id IN (SELECT matter_id FROM %[1]s WHERE state = '%[2]s')`, trackedTable, StateReopened),

		fmt.Sprintf(`INSERT INTO matter_changes
SELECT $run_id, matter_id, state, nullif($prev_run, ''), tier, prev_tier, note_zh, note_en FROM %[1]s
UNION ALL
SELECT $run_id, p.matter_id, '%[2]s', $prev_run, NULL, p.tier, '', ''
FROM watchlist p
WHERE p.run_id = $prev_run AND p.matter_id NOT IN (SELECT matter_id FROM %[1]s)`, trackedTable, StateCleared),
	}
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s, usedArgs(s, args)...); err != nil {
			return nil, fmt.Errorf("store watchlist: %w", err)
		}
	}
	counts := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT state, count(*) FROM matter_changes WHERE run_id = $1 GROUP BY state`, runID)
	if err != nil {
		return nil, fmt.Errorf("store watchlist: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		counts[state] = n
	}
	return counts, rows.Err()
}

// worseNotes is a SQL expression listing, in lang, how the current item (cur) is materially
// worse than the reference ref (the previous run's item or the dismissed one): ” when it is
// not. Complainants and levels only count up; days past the deadline count once newly overdue
// or $step days further.
func worseNotes(ref, lang string) string {
	parts := map[string][3]string{
		"zh": {
			`'信访人由' || %[1]s.complainants || '人增至' || cur.complainants || '人'`,
			`'越级至' || ` + levelLabel("cur.top_level", "zh"),
			`'超期' || cur.days_overdue || '天（此前' || coalesce(%[1]s.days_overdue, 0) || '天）'`,
		},
		"en": {
			`'complainants up from ' || %[1]s.complainants || ' to ' || cur.complainants`,
			`'reached ' || ` + levelLabel("cur.top_level", "en") + ` || ' level'`,
			`cur.days_overdue || ' days overdue (was ' || coalesce(%[1]s.days_overdue, 0) || ')'`,
		},
	}[lang]
	sep := map[string]string{"zh": "；", "en": "; "}[lang]
	return fmt.Sprintf(`concat_ws('%[4]s',
    CASE WHEN cur.complainants > %[1]s.complainants THEN `+parts[0]+` END,
    CASE WHEN %[2]s > %[3]s THEN `+parts[1]+` END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce(%[1]s.days_overdue, 0) = 0
              OR cur.days_overdue >= %[1]s.days_overdue + $step) THEN `+parts[2]+` END)`,
		ref, levelRank("cur.top_level"), levelRank(ref+".top_level"), sep)
}

// usedArgs keeps the named arguments a statement refers to; DuckDB rejects unused ones.
func usedArgs(stmt string, args []any) []any {
	var out []any
	for _, a := range args {
		if strings.Contains(stmt, "$"+a.(sql.NamedArg).Name) {
			out = append(out, a)
		}
	}
	return out
}

// levelRank is a level's rank, 1 (county) .. 4 (national), and 0 for no or an unknown level.
func levelRank(col string) string {
	return "coalesce(" + rules.LevelRankSQL(col) + ", 0)"
}

func levelLabel(col, lang string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, l := range data.Levels {
		name := l.ZH
		if lang == "en" {
			name = l.EN
		}
		fmt.Fprintf(&b, " WHEN '%s' THEN '%s'", l.Code, name)
	}
	b.WriteString(" ELSE " + col + " END")
	return b.String()
}

func tierRankSQL(col string) string {
	return fmt.Sprintf("CASE %s WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END", col)
}

func tierZH(col string) string {
	return fmt.Sprintf("CASE %s WHEN 'red' THEN '红' WHEN 'orange' THEN '橙' ELSE '黄' END", col)
}
