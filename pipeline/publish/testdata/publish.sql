-- The SQL of the publish stage, rendered from pipeline/publish/sql: what writing a run's
-- watchlist.parquet, watchlist.csv, quarantine.csv, report.html and watchlist.xlsx executes.
-- Values are bound parameters.
-- Written by TestPublishSQL (go test -tags duckdb_arrow ./pipeline/publish -run TestPublishSQL -update).

-- ------------------------------------------------------------------------------------------------
-- sql/run.sql
-- The run: its as-of date and when it finished (NULL while it runs).
SELECT strftime(as_of, '%Y-%m-%d'), finished_at FROM runs WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/summary_by_tier.sql
-- The run's watchlist items per tier, red first.
SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier ORDER BY CASE tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END;

-- ------------------------------------------------------------------------------------------------
-- sql/summary_by_rule.sql
-- The run's watchlist items per rule that flagged them, most first.
SELECT r, count(*) AS n FROM (SELECT unnest(rules) AS r FROM watchlist WHERE run_id = $1) GROUP BY r ORDER BY n DESC, r;

-- ------------------------------------------------------------------------------------------------
-- sql/summary_by_group.sql, group township
-- The run's watchlist items per value of a column (township or category), most first.
SELECT coalesce("township", ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/summary_by_group.sql, group category
-- The run's watchlist items per value of a column (township or category), most first.
SELECT coalesce("category", ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/report_trend.sql
-- The watchlist's size per tier over the last $2 screening dates up to run $1's, oldest first:
-- one run per date (run $1 for its own date, else the date's latest run finished before run $1),
-- so that screening a past night again does not make the chart run backwards.
WITH me AS (SELECT as_of, finished_at FROM runs WHERE run_id = $1),
r AS (
  SELECT run_id, as_of FROM runs
  WHERE as_of <= (SELECT as_of FROM me) AND finished_at <= (SELECT finished_at FROM me)
  QUALIFY row_number() OVER (PARTITION BY as_of ORDER BY run_id = $1 DESC, finished_at DESC) = 1
  ORDER BY as_of DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of ORDER BY r.as_of;

-- ------------------------------------------------------------------------------------------------
-- sql/report_top.sql, lang zh
-- The run's first $2 matters by rank, with their reasons and change notes in the report's
-- language (rule ids joined by ';').
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ';'),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_zh", ''),
  coalesce(state, ''), coalesce("state_note_zh", ''), coalesce(title, '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/report_top.sql, lang en
-- The run's first $2 matters by rank, with their reasons and change notes in the report's
-- language (rule ids joined by ';').
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ';'),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_en", ''),
  coalesce(state, ''), coalesce("state_note_en", ''), coalesce(title, '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/xlsx_watchlist.sql, lang zh
-- The workbook's watchlist sheet: the run's first $2 matters by rank, with reasons and change
-- notes in the workbook's language (rule ids joined by ';') and each matter's title, days past
-- its deadline (NULL when it has none, or the data no deadline that means anything), review state
-- and owner.
SELECT w.rank, w.matter_id, coalesce(w.title, ''), w.matter_kind, w.tier, coalesce(w.state, ''), w.score, array_to_string(w.rules, ';'),
  coalesce(w."reason_zh", ''), coalesce(w."state_note_zh", ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''),
  coalesce(w.category, ''), w.first_flagged, w.days_overdue, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/xlsx_watchlist.sql, lang en
-- The workbook's watchlist sheet: the run's first $2 matters by rank, with reasons and change
-- notes in the workbook's language (rule ids joined by ';') and each matter's title, days past
-- its deadline (NULL when it has none, or the data no deadline that means anything), review state
-- and owner.
SELECT w.rank, w.matter_id, coalesce(w.title, ''), w.matter_kind, w.tier, coalesce(w.state, ''), w.score, array_to_string(w.rules, ';'),
  coalesce(w."reason_en", ''), coalesce(w."state_note_en", ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''),
  coalesce(w.category, ''), w.first_flagged, w.days_overdue, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/report_baoan.sql
-- The matters of run $1's watchlist that are owned (包案) or resolved in review, by rank: owner,
-- review state and due date; its title (with township and category for one stored without).
SELECT w.rank, w.matter_id, coalesce(w.title, ''), w.township, w.category, w.tier, m.owner, m.state, coalesce(strftime(m.due_date, '%Y-%m-%d'), '')
FROM watchlist w JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 AND m.owner IS NOT NULL AND m.state IN ('owned', 'resolved')
ORDER BY w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_top.sql, lang zh
-- The matters to act on of run $1: red ones, and orange ones that are new, worse or back; those
-- new, worse or back first (what changed since the previous run, which a backlog of red matters
-- long past their deadlines would push out of the list), each part in rank order (red first,
-- then by score). At most $2, each with how many qualify. Columns as in report_top.sql, then
-- that number.
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ';'),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_zh", ''),
  coalesce(state, ''), coalesce("state_note_zh", ''), coalesce(title, ''), count(*) OVER ()
FROM watchlist
WHERE run_id = $1 AND (tier = 'red' OR tier = 'orange' AND state IN ('new', 'worse', 'reopened'))
ORDER BY state IN ('new', 'worse', 'reopened') DESC, rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_top.sql, lang en
-- The matters to act on of run $1: red ones, and orange ones that are new, worse or back; those
-- new, worse or back first (what changed since the previous run, which a backlog of red matters
-- long past their deadlines would push out of the list), each part in rank order (red first,
-- then by score). At most $2, each with how many qualify. Columns as in report_top.sql, then
-- that number.
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ';'),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_en", ''),
  coalesce(state, ''), coalesce("state_note_en", ''), coalesce(title, ''), count(*) OVER ()
FROM watchlist
WHERE run_id = $1 AND (tier = 'red' OR tier = 'orange' AND state IN ('new', 'worse', 'reopened'))
ORDER BY state IN ('new', 'worse', 'reopened') DESC, rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_counts.sql, group township
-- The run's watchlist items per value of a column (township, category or responsible unit) and
-- tier, the most red first, then the most orange, then the most in all: the leaders' tables
-- show the first of them (the rest summed as other), and a unit with a red matter is not among
-- the rest while one with only yellow ones is listed.
SELECT coalesce("township", ''), count(*) FILTER (tier = 'red') AS red, count(*) FILTER (tier = 'orange') AS orange,
  count(*) FILTER (tier = 'yellow'), count(*) AS n
FROM watchlist WHERE run_id = $1 GROUP BY 1 ORDER BY red DESC, orange DESC, n DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_counts.sql, group category
-- The run's watchlist items per value of a column (township, category or responsible unit) and
-- tier, the most red first, then the most orange, then the most in all: the leaders' tables
-- show the first of them (the rest summed as other), and a unit with a red matter is not among
-- the rest while one with only yellow ones is listed.
SELECT coalesce("category", ''), count(*) FILTER (tier = 'red') AS red, count(*) FILTER (tier = 'orange') AS orange,
  count(*) FILTER (tier = 'yellow'), count(*) AS n
FROM watchlist WHERE run_id = $1 GROUP BY 1 ORDER BY red DESC, orange DESC, n DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_counts.sql, group responsible_unit
-- The run's watchlist items per value of a column (township, category or responsible unit) and
-- tier, the most red first, then the most orange, then the most in all: the leaders' tables
-- show the first of them (the rest summed as other), and a unit with a red matter is not among
-- the rest while one with only yellow ones is listed.
SELECT coalesce("responsible_unit", ''), count(*) FILTER (tier = 'red') AS red, count(*) FILTER (tier = 'orange') AS orange,
  count(*) FILTER (tier = 'yellow'), count(*) AS n
FROM watchlist WHERE run_id = $1 GROUP BY 1 ORDER BY red DESC, orange DESC, n DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_supervise.sql
-- Supervision (督办) by responsible unit: the run's items with a pending case past its deadline
-- or a stalled flag, each counted under the unit of the case that puts it there: a stalled
-- flag's case, whatever unit the item itself names (a cluster that took in another unit's
-- overdue case counts it under that unit, not under the cluster's). An item past a deadline
-- without a stalled flag (the rule switched off) counts under its own unit. For each unit: its
-- items, how many are red, how many are past a deadline and how many stalled, and the most days
-- any of them is past its deadline (its own cases', for a stalled flag); most first.
WITH items AS (
  SELECT matter_id, tier, responsible_unit, days_overdue FROM watchlist
  WHERE run_id = $1 AND (days_overdue > 0 OR list_contains(families, 'stalled'))
),
stalled AS (
  SELECT i.matter_id, i.tier, c.responsible_unit,
         max(CAST(json_extract(f.facts, '$.days_overdue') AS INTEGER)) AS days_overdue, true AS stalled
  FROM items i
  JOIN flags f ON f.run_id = $1 AND f.matter_id = i.matter_id AND f.family = 'stalled'
  JOIN cases c ON c.case_id = f.case_ids[1]
  GROUP BY ALL
),
by_unit AS (
  SELECT * FROM stalled
  UNION ALL
  SELECT matter_id, tier, responsible_unit, days_overdue, false FROM items
  WHERE matter_id NOT IN (SELECT matter_id FROM stalled)
)
SELECT coalesce(responsible_unit, ''), count(*) AS n, count(*) FILTER (tier = 'red'),
  count(*) FILTER (days_overdue > 0), count(*) FILTER (stalled),
  coalesce(max(days_overdue), 0)
FROM by_unit
GROUP BY 1 ORDER BY n DESC, 6 DESC, 1;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_changes.sql
-- The run's matters per change state against the previous run (cleared and suppressed among
-- them), with the previous run and its as-of date ('' for none).
SELECT c.state, count(*), coalesce(max(c.prev_run_id), ''), coalesce(strftime(max(r.as_of), '%Y-%m-%d'), '')
FROM matter_changes c LEFT JOIN runs r ON r.run_id = c.prev_run_id
WHERE c.run_id = $1 GROUP BY c.state;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_cleared.sql, lang zh
-- The matters run $1 cleared (on the previous run's watchlist, not on this one) as the previous
-- run listed them, with why they cleared (the change note), in its rank order: at most $2, each
-- with how many were cleared.
SELECT c.matter_id, coalesce(w.matter_kind, ''), coalesce(c.prev_tier, ''), coalesce(c."note_zh", ''), coalesce(w.township, ''),
  coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(array_to_string(w.rules, ';'), ''),
  coalesce(w."reason_zh", ''), coalesce(strftime(w.as_of, '%Y-%m-%d'), ''), coalesce(w.title, ''), count(*) OVER ()
FROM matter_changes c LEFT JOIN watchlist w ON w.run_id = c.prev_run_id AND w.matter_id = c.matter_id
WHERE c.run_id = $1 AND c.state = 'cleared'
ORDER BY w.rank NULLS LAST, c.matter_id LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/leader_cleared.sql, lang en
-- The matters run $1 cleared (on the previous run's watchlist, not on this one) as the previous
-- run listed them, with why they cleared (the change note), in its rank order: at most $2, each
-- with how many were cleared.
SELECT c.matter_id, coalesce(w.matter_kind, ''), coalesce(c.prev_tier, ''), coalesce(c."note_en", ''), coalesce(w.township, ''),
  coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(array_to_string(w.rules, ';'), ''),
  coalesce(w."reason_en", ''), coalesce(strftime(w.as_of, '%Y-%m-%d'), ''), coalesce(w.title, ''), count(*) OVER ()
FROM matter_changes c LEFT JOIN watchlist w ON w.run_id = c.prev_run_id AND w.matter_id = c.matter_id
WHERE c.run_id = $1 AND c.state = 'cleared'
ORDER BY w.rank NULLS LAST, c.matter_id LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/run_notes.sql
-- What the run's record says beside the watchlist: its input warnings (a JSON array; NULL when
-- it has none), how many matters the rules flagged that were quiet and not listed (NULL for a
-- record from an earlier version), whether its data had no closing records, its as-of date
-- with the latest case received or contact made when an event's date far past it set that date
-- ('' otherwise), its input files (a JSON array: rows quarantined and set aside) and the records
-- whose case the database does not hold (a JSON object; NULL when there are none).
SELECT CAST(record->'warnings' AS VARCHAR), CAST(record->>'quiet_matters' AS BIGINT),
       coalesce(CAST(record->>'deadlines_unknown' AS BOOLEAN), false),
       coalesce(record->>'as_of', ''), coalesce(record->>'records_latest', ''),
       CAST(record->'inputs' AS VARCHAR), CAST(record->'links'->'records_of_missing_cases' AS VARCHAR)
FROM runs WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/topics.sql
-- The run's emerging topics (新出现的热点话题), most significant first, lists as JSON text.
SELECT rank, phrase, CAST(to_json(coalesce(related, [])) AS VARCHAR), complainants, messages, expected,
       p_value, CAST(first_date AS VARCHAR), CAST(last_date AS VARCHAR),
       CAST(to_json(coalesce(example_case_ids, [])) AS VARCHAR), CAST(to_json(coalesce(places, [])) AS VARCHAR),
       CAST(to_json(coalesce(place_messages, [])) AS VARCHAR)
FROM topic_bursts WHERE run_id = $1 ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/topics_run.sql
-- The topics settings of the run as its record keeps them (a JSON object; NULL when topics were
-- off or the record is from an earlier version).
SELECT CAST(record->'topics' AS VARCHAR) FROM runs WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/topics_exists.sql
-- Whether the database holds topic_bursts (one an earlier version made does not, until a run).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'topic_bursts' AND schema_name = 'main' AND NOT temporary;

-- ------------------------------------------------------------------------------------------------
-- sql/export_parquet.sql, lang zh
-- Run $1's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language, to the file $2 as zstd-compressed Parquet. DuckDB streams the rows to the
-- file: none is held in a table or in Go. A row group holds 20,000 rows, not DuckDB's 122,880:
-- the writer keeps a row group's lists of ids in memory, which it cannot spill, and a million
-- matters' evidence would not fit a small memory_limit.
COPY (
  SELECT rank, matter_id, title, matter_kind, tier, state, score, rules, "reason_zh" AS reason, "state_note_zh" AS state_note,
         responsible_unit, township, category, first_flagged, days_overdue, case_ids, contact_ids, event_ids
  FROM watchlist WHERE run_id = $1 ORDER BY rank
) TO $2 (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 20000);

-- ------------------------------------------------------------------------------------------------
-- sql/export_parquet.sql, lang en
-- Run $1's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language, to the file $2 as zstd-compressed Parquet. DuckDB streams the rows to the
-- file: none is held in a table or in Go. A row group holds 20,000 rows, not DuckDB's 122,880:
-- the writer keeps a row group's lists of ids in memory, which it cannot spill, and a million
-- matters' evidence would not fit a small memory_limit.
COPY (
  SELECT rank, matter_id, title, matter_kind, tier, state, score, rules, "reason_en" AS reason, "state_note_en" AS state_note,
         responsible_unit, township, category, first_flagged, days_overdue, case_ids, contact_ids, event_ids
  FROM watchlist WHERE run_id = $1 ORDER BY rank
) TO $2 (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 20000);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_csv.sql, lang zh
-- watchlist.csv's rows of run $1 ranked $2 to $3 (one page), every column as text, with the
-- matter's title (empty for one stored before titles), reasons and change notes in the output
-- language, days past the deadline (empty when the data has no closing records), id lists
-- joined by ';'; the rules twice, the first shown by their names, the last (rule_ids) as they
-- are.
SELECT rank::VARCHAR, matter_id, coalesce(title, ''), matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), "reason_zh", "state_note_zh", responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), coalesce(days_overdue::VARCHAR, ''), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';'), array_to_string(rules, ';')
FROM watchlist WHERE run_id = $1 AND rank BETWEEN $2 AND $3 ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_csv.sql, lang en
-- watchlist.csv's rows of run $1 ranked $2 to $3 (one page), every column as text, with the
-- matter's title (empty for one stored before titles), reasons and change notes in the output
-- language, days past the deadline (empty when the data has no closing records), id lists
-- joined by ';'; the rules twice, the first shown by their names, the last (rule_ids) as they
-- are.
SELECT rank::VARCHAR, matter_id, coalesce(title, ''), matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), "reason_en", "state_note_en", responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), coalesce(days_overdue::VARCHAR, ''), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';'), array_to_string(rules, ';')
FROM watchlist WHERE run_id = $1 AND rank BETWEEN $2 AND $3 ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_ranks.sql
-- The last rank of run $1's watchlist (0 when it is empty): watchlist.csv is read in pages of ranks.
SELECT coalesce(max(rank), 0) FROM watchlist WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/evidence_ids.sql
-- The ids in run $1's watchlist: the lengths of its matters' case, contact and event id lists,
-- summed (0 when it is empty). Publishing decides from it whether its lanes fit its memory side
-- by side.
SELECT coalesce(sum(len(case_ids) + len(contact_ids) + len(event_ids)), 0) FROM watchlist WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/quarantine_csv.sql
-- quarantine.csv's rows: what the runs in list $1 quarantined, and the identifiers they set
-- aside in rows they loaded (their reasons say so), in file and line order.
SELECT file, line::VARCHAR, record_id, field, reason, raw
FROM (SELECT * FROM quarantine UNION ALL BY NAME SELECT * FROM set_aside)
WHERE list_contains($1, run_id) ORDER BY file, line NULLS LAST, field, reason, raw;
