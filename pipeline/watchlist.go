package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// buildWatchlist combines the run's flags into one watchlist item per matter: score, tier,
// rules hit, reasons, evidence, the date first flagged, and the matter's responsible unit,
// township and category (for a cluster, the most common among its cases). A case matter's
// event evidence is every event of its case up to the as-of date; a cluster's is empty.
func buildWatchlist(ctx context.Context, q *sql.Conn, runID string, w WatchlistConfig, asOf time.Time) (int64, error) {
	stmt := fmt.Sprintf(`INSERT INTO watchlist (run_id, rank, matter_id, matter_kind, tier, score, rules,
  families, reason_zh, reason_en, responsible_unit, township, category, case_ids, contact_ids,
  event_ids, first_flagged, as_of)
WITH f AS (
  SELECT *, CASE min_tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 2 END AS min_rank
  FROM flags WHERE run_id = $run_id
),
m AS (
  SELECT matter_id, min(matter_kind) AS matter_kind,
         round(sum(weight * least(strength, $cap)), 2) AS score,
         min(min_rank) AS min_rank,
         list(rule_id ORDER BY weight DESC, rule_id) AS rules,
         list(DISTINCT family ORDER BY family) AS families,
         string_agg(reason_zh, '' ORDER BY weight DESC, rule_id) AS reason_zh,
         string_agg(reason_en, ' ' ORDER BY weight DESC, rule_id) AS reason_en,
         %s,
         %s,
         min(first_flagged) AS first_flagged
  FROM f GROUP BY matter_id
),
ev AS (
  SELECT c.matter_id, list_sort(list(e.event_id)) AS event_ids
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM m WHERE matter_kind = 'case') c
  JOIN events e USING (case_id)
  WHERE e.event_date <= CAST($as_of AS DATE)
  GROUP BY c.matter_id
),
mc AS (
  SELECT m.matter_id, c.responsible_unit, c.township, c.category
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM m) m JOIN cases c USING (case_id)
),
%s,
%s,
%s,
ranked AS (
  SELECT m.*, coalesce(ev.event_ids, []::VARCHAR[]) AS event_ids, u.responsible_unit, t.township, g.category,
         least(CASE WHEN score >= $red THEN 0 WHEN score >= $orange THEN 1 ELSE 2 END, min_rank) AS tier_rank
  FROM m
  LEFT JOIN ev USING (matter_id)
  LEFT JOIN top_responsible_unit u USING (matter_id)
  LEFT JOIN top_township t USING (matter_id)
  LEFT JOIN top_category g USING (matter_id)
)
SELECT $run_id, row_number() OVER (ORDER BY tier_rank, score DESC, first_flagged, matter_id),
       matter_id, matter_kind, ['red', 'orange', 'yellow'][tier_rank + 1], score, rules, families,
       reason_zh, reason_en, responsible_unit, township, category, case_ids, contact_ids, event_ids,
       first_flagged, CAST($as_of AS DATE)
FROM ranked`, mergeIDs("case_ids"), mergeIDs("contact_ids"),
		mostCommon("responsible_unit"), mostCommon("township"), mostCommon("category"))
	res, err := q.ExecContext(ctx, stmt,
		sql.Named("run_id", runID), sql.Named("cap", w.StrengthCap),
		sql.Named("red", w.Tiers.Red), sql.Named("orange", w.Tiers.Orange),
		sql.Named("as_of", asOf.Format(time.DateOnly)))
	if err != nil {
		return 0, fmt.Errorf("watchlist: %w", err)
	}
	return res.RowsAffected()
}

// mergeIDs unions an evidence list over a matter's flags. Rules return sorted, distinct lists,
// so a matter with one flag (most of them) keeps its list as it is.
func mergeIDs(col string) string {
	return fmt.Sprintf("CASE WHEN count(*) = 1 THEN any_value(%[1]s) ELSE list_sort(list_distinct(flatten(list(%[1]s)))) END AS %[1]s", col)
}

// mostCommon is a CTE top_<col> giving, per matter, the value of col most common among its
// cases, ties broken by the larger value so the choice is reproducible.
func mostCommon(col string) string {
	return fmt.Sprintf(`top_%[1]s AS (
  SELECT matter_id, arg_max(%[1]s, (n, %[1]s)) AS %[1]s
  FROM (SELECT matter_id, %[1]s, count(*) AS n FROM mc WHERE %[1]s IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
)`, col)
}
