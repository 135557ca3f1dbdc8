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
-- The watchlist's size per tier in the last $2 runs up to run $1, oldest first.
WITH r AS (
  SELECT run_id, as_of, finished_at FROM runs
  WHERE finished_at <= (SELECT finished_at FROM runs WHERE run_id = $1)
  ORDER BY finished_at DESC LIMIT $2
)
SELECT r.run_id, strftime(r.as_of, '%Y-%m-%d'),
       count(w.tier) FILTER (w.tier = 'red'), count(w.tier) FILTER (w.tier = 'orange'),
       count(w.tier) FILTER (w.tier = 'yellow')
FROM r LEFT JOIN watchlist w USING (run_id)
GROUP BY r.run_id, r.as_of, r.finished_at ORDER BY r.finished_at, r.run_id;

-- ------------------------------------------------------------------------------------------------
-- sql/report_top.sql, lang zh
-- The run's first $2 matters by rank, with their reasons in the report's language.
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ', '),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_zh", '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/report_top.sql, lang en
-- The run's first $2 matters by rank, with their reasons in the report's language.
SELECT rank, matter_id, matter_kind, tier, score, array_to_string(rules, ', '),
  coalesce(township, ''), coalesce(category, ''), coalesce(responsible_unit, ''), coalesce("reason_en", '')
FROM watchlist WHERE run_id = $1 ORDER BY rank LIMIT $2;

-- ------------------------------------------------------------------------------------------------
-- sql/xlsx_watchlist.sql, lang zh
-- The workbook's watchlist sheet: the run's matters by rank, with reasons in the workbook's
-- language and each matter's review state and owner.
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w."reason_zh", ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''), coalesce(w.category, ''),
  w.first_flagged, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/xlsx_watchlist.sql, lang en
-- The workbook's watchlist sheet: the run's matters by rank, with reasons in the workbook's
-- language and each matter's review state and owner.
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w."reason_en", ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''), coalesce(w.category, ''),
  w.first_flagged, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/export_table.sql, lang zh
-- The run's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language.
CREATE OR REPLACE TEMP TABLE "export" AS
SELECT rank, matter_id, matter_kind, tier, state, score, rules, "reason_zh" AS reason, "state_note_zh" AS state_note,
       responsible_unit, township, category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/export_table.sql, lang en
-- The run's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language.
CREATE OR REPLACE TEMP TABLE "export" AS
SELECT rank, matter_id, matter_kind, tier, state, score, rules, "reason_en" AS reason, "state_note_en" AS state_note,
       responsible_unit, township, category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/export_parquet.sql
-- The export table to the file $1, as zstd-compressed Parquet.
COPY "export" TO $1 (FORMAT parquet, COMPRESSION zstd);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_csv.sql
-- watchlist.csv's rows: the export table, every column as text, id lists joined by ';'.
SELECT rank::VARCHAR, matter_id, matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), reason, state_note, responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';')
FROM "export" ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/quarantine_csv.sql
-- quarantine.csv's rows: what the runs in list $1 quarantined, in file and line order.
SELECT file, line::VARCHAR, field, reason, raw FROM quarantine
WHERE list_contains($1, run_id) ORDER BY file, line NULLS LAST, field, reason, raw;
