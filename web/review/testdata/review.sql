-- The SQL of the review tables, rendered from web/review/sql: the schema, and what the review app
-- and the ledger read and write.
-- Written by TestReviewSQL (go test -tags duckdb_arrow ./web/review -run TestReviewSQL -update).

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 1/15
-- The review tables (see Schema). dismissals belongs to the pipeline's schema and is created
-- here too, identically, so the review app works on a database no run has touched yet.
CREATE TABLE IF NOT EXISTS "matter_review" (
  matter_id VARCHAR NOT NULL, state VARCHAR NOT NULL, owner VARCHAR, plan VARCHAR, due_date DATE,
  taken_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ, version BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL, updated_by VARCHAR NOT NULL);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 2/15
CREATE TABLE IF NOT EXISTS "progress_notes" (
  matter_id VARCHAR NOT NULL, noted_at TIMESTAMPTZ NOT NULL, author VARCHAR NOT NULL, note VARCHAR NOT NULL);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 3/15
CREATE SEQUENCE IF NOT EXISTS audit_log_seq;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 4/15
CREATE TABLE IF NOT EXISTS "audit_log" (
  seq BIGINT NOT NULL DEFAULT nextval('audit_log_seq'), acted_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL,
  role VARCHAR NOT NULL, action VARCHAR NOT NULL, matter_id VARCHAR, before_state JSON, after_state JSON);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 5/15
CREATE TABLE IF NOT EXISTS "dismissals" (
  matter_id VARCHAR, run_id VARCHAR, dismissed_by VARCHAR, dismissed_at TIMESTAMPTZ,
  reason VARCHAR, lifted_at TIMESTAMPTZ, lifted_reason VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 6/15
-- 包案 (issue 15): who assigned the matter and by when its plan is due; the latest return visit
-- (回访) and the complainant's satisfaction; when an unsatisfied return visit reopened it (the
-- nightly run reads it). Added to databases made before them.
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS assigned_by VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 7/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS plan_deadline DATE;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 8/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS visited_at TIMESTAMPTZ;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 9/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS visited_by VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 10/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS visit_note VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 11/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS satisfaction VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 12/15
ALTER TABLE "matter_review" ADD COLUMN IF NOT EXISTS reopened_at TIMESTAMPTZ;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 13/15
-- Supervision (督办): the office presses a matter's owner with a note and a deadline; appended,
-- never changed, so the ledger can show every one. The latest is the one in force.
CREATE TABLE IF NOT EXISTS "supervisions" (
  matter_id VARCHAR NOT NULL, supervised_at TIMESTAMPTZ NOT NULL, supervised_by VARCHAR NOT NULL,
  note VARCHAR NOT NULL, deadline DATE NOT NULL);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 14/15
-- A dismissal's free note beside its configured reason (serve.dismissal_reasons).
ALTER TABLE "dismissals" ADD COLUMN IF NOT EXISTS note VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 15/15
-- Signed-in users' sessions (see sessions.go): keyed by a hash of the session token, never the
-- token itself, so that the table alone cannot sign anyone in.
CREATE TABLE IF NOT EXISTS "sessions" (
  token_hash VARCHAR NOT NULL, user_name VARCHAR NOT NULL, role VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL);

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_columns.sql, statement 1/2
-- A database only an earlier version has run on keeps its watchlists in a table, which may lack
-- the merged_ids and title the app reads: they are added (its titles empty: the app composes
-- them). A later version's run makes watchlist a view, which has them.
ALTER TABLE "watchlist" ADD COLUMN IF NOT EXISTS merged_ids VARCHAR[];

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_columns.sql, statement 2/2
ALTER TABLE "watchlist" ADD COLUMN IF NOT EXISTS title VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/reviewed.sql
(SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id));

-- ------------------------------------------------------------------------------------------------
-- sql/run_tables.sql
-- How many of the pipeline's tables the review reads exist (flags is a view since flags are
-- stored as spans, a table before); fewer than all means no run yet.
SELECT count(*)
FROM (SELECT table_name AS name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal)
WHERE name IN ('runs', 'watchlist', 'flags', 'cases');

-- ------------------------------------------------------------------------------------------------
-- sql/run_latest.sql
SELECT run_id, strftime(as_of, '%Y-%m-%d') FROM "runs" ORDER BY finished_at DESC, run_id DESC LIMIT 1;

-- ------------------------------------------------------------------------------------------------
-- sql/run_rules.sql
-- The run's rules as its record keeps them (runs.rule_counts: by id, each with its kind, family
-- and display names); NULL when the run is not stored.
SELECT CAST(rule_counts AS VARCHAR) FROM "runs" WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_count.sql
-- $1 the run; $2..$9 tier, township, category, rule, review state, change since the previous
-- run, owner, and the ids of the matters with the reminder asked for (see idsWith), '' for any;
-- $10 the review states of the tab shown (see Tabs).
SELECT count(*) FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, 'open') = $6)
  AND ($7 = '' OR w.state = $7)
  AND ($8 = '' OR m.owner = $8) AND ($9 = '' OR contains($9, chr(31) || w.matter_id || chr(31)))
  AND list_contains($10, coalesce(m.state, 'open'));

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_page.sql (reason_zh)
-- $1..$10 as in watchlist_count.sql; $11 the page size, $12 the offset, $13 the order: 'due' by
-- due date (matters without one last), else by rank. The page's ranks first, over narrow rows;
-- then the wide columns of those ranks only.
WITH page AS (
  SELECT w.rank FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, 'open') = $6)
  AND ($7 = '' OR w.state = $7)
  AND ($8 = '' OR m.owner = $8) AND ($9 = '' OR contains($9, chr(31) || w.matter_id || chr(31)))
  AND list_contains($10, coalesce(m.state, 'open'))
  ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank LIMIT $11 OFFSET $12
)
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w."reason_zh", ''),
  strftime(w.first_flagged, '%Y-%m-%d'), coalesce(m.state, 'open'), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids),
  coalesce(w.state, ''), coalesce(w."state_note_zh", ''), coalesce(w.title, '')
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 AND w.rank IN (SELECT rank FROM page) ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_page.sql (reason_en)
-- $1..$10 as in watchlist_count.sql; $11 the page size, $12 the offset, $13 the order: 'due' by
-- due date (matters without one last), else by rank. The page's ranks first, over narrow rows;
-- then the wide columns of those ranks only.
WITH page AS (
  SELECT w.rank FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, 'open') = $6)
  AND ($7 = '' OR w.state = $7)
  AND ($8 = '' OR m.owner = $8) AND ($9 = '' OR contains($9, chr(31) || w.matter_id || chr(31)))
  AND list_contains($10, coalesce(m.state, 'open'))
  ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank LIMIT $11 OFFSET $12
)
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w."reason_en", ''),
  strftime(w.first_flagged, '%Y-%m-%d'), coalesce(m.state, 'open'), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids),
  coalesce(w.state, ''), coalesce(w."state_note_en", ''), coalesce(w.title, '')
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 AND w.rank IN (SELECT rank FROM page) ORDER BY CASE WHEN $13 = 'due' THEN m.due_date END NULLS LAST, w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_tabs.sql
-- The matters of each review state under the filters $1..$10 of watchlist_count.sql (the review
-- state $6 '' and $10 every state): what each tab of the list counts (see Tabs).
SELECT coalesce(m.state, 'open'), count(*)
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND ($2 = '' OR w.tier = $2) AND ($3 = '' OR w.township = $3) AND ($4 = '' OR w.category = $4)
  AND ($5 = '' OR list_contains(w.rules, $5)) AND ($6 = '' OR coalesce(m.state, 'open') = $6)
  AND ($7 = '' OR w.state = $7)
  AND ($8 = '' OR m.owner = $8) AND ($9 = '' OR contains($9, chr(31) || w.matter_id || chr(31)))
  AND list_contains($10, coalesce(m.state, 'open'))
GROUP BY ALL ORDER BY 1;

-- ------------------------------------------------------------------------------------------------
-- sql/filter_townships.sql
SELECT DISTINCT township FROM "watchlist" WHERE run_id = $1 AND township IS NOT NULL ORDER BY 1;

-- ------------------------------------------------------------------------------------------------
-- sql/filter_categories.sql
SELECT DISTINCT category FROM "watchlist" WHERE run_id = $1 AND category IS NOT NULL ORDER BY 1;

-- ------------------------------------------------------------------------------------------------
-- sql/filter_rules.sql
SELECT DISTINCT unnest(rules) AS r FROM "watchlist" WHERE run_id = $1 ORDER BY 1;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_on_run.sql
-- Run $1 with its as-of date when its watchlist holds matter $2: the latest run is tried first,
-- reading one run's rows, before matter_run.sql reads every run's.
SELECT w.run_id, strftime(r.as_of, '%Y-%m-%d') FROM "watchlist" w JOIN "runs" r USING (run_id)
WHERE w.run_id = $1 AND w.matter_id = $2;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_run.sql
-- The latest run whose watchlist holds matter $1.
SELECT w.run_id, strftime(r.as_of, '%Y-%m-%d') FROM "watchlist" w JOIN "runs" r USING (run_id)
WHERE w.matter_id = $1 ORDER BY r.finished_at DESC LIMIT 1;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_merged_into.sql
-- The matter of run $1's watchlist that matter $2 merged into (they share cases), if any.
SELECT matter_id FROM "watchlist" WHERE run_id = $1 AND list_contains(merged_ids, $2) LIMIT 1;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_item.sql (reason_zh)
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w."reason_zh", ''),
  strftime(w.first_flagged, '%Y-%m-%d'), coalesce(m.state, 'open'), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids),
  coalesce(w.state, ''), coalesce(w."state_note_zh", ''), coalesce(w.title, '')
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND w.matter_id = $2;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_item.sql (reason_en)
SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''), coalesce(w."reason_en", ''),
  strftime(w.first_flagged, '%Y-%m-%d'), coalesce(m.state, 'open'), coalesce(m.owner, ''),
  coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), len(w.case_ids), len(w.contact_ids), len(w.event_ids),
  coalesce(w.state, ''), coalesce(w."state_note_en", ''), coalesce(w.title, '')
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id) WHERE w.run_id = $1 AND w.matter_id = $2;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_flags.sql (reason_zh)
-- The flags of matter $2 on run $1's watchlist, each with its case when it is a case's own (a
-- cluster's page lists its cases' flags too): a cluster's flags first, then by weight.
SELECT rule_id, family, coalesce("reason_zh", ''), CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END AS case_id
FROM "flags"
WHERE run_id = $1 AND matter_id = $2
ORDER BY matter_kind = 'case', weight DESC, rule_id, case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_flags.sql (reason_en)
-- The flags of matter $2 on run $1's watchlist, each with its case when it is a case's own (a
-- cluster's page lists its cases' flags too): a cluster's flags first, then by weight.
SELECT rule_id, family, coalesce("reason_en", ''), CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END AS case_id
FROM "flags"
WHERE run_id = $1 AND matter_id = $2
ORDER BY matter_kind = 'case', weight DESC, rule_id, case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_cases.sql
-- The cases of matter $2 on run $1's watchlist, at most $3.
SELECT case_id, strftime(received_date, '%Y-%m-%d'), channel, level, complainant_id,
  coalesce(township, ''), coalesce(category, ''), coalesce(target_org, ''), coalesce(responsible_unit, ''),
  coalesce(content, ''), coalesce(head_count, 1), coalesce(found_in_text, ''), coalesce(village, '')
FROM "cases" WHERE case_id IN (SELECT unnest(case_ids) FROM "watchlist" WHERE run_id = $1 AND matter_id = $2) ORDER BY received_date, case_id LIMIT $3;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_timeline.sql
-- The evidence timeline of matter $2 on run $1's watchlist, at most $3 entries, each with the
-- count of all: its cases' receipt, its evidence contacts and every contact of its cases up to
-- the as-of date (a visit no rule counted is still part of the case's story), its evidence
-- events. Kind k: 0 received, 1 contact, 2 event (with an evaluation's result).
WITH t AS (
  SELECT received_date AS d, 0 AS k, case_id, case_id AS ref, '' AS what, '' AS result, channel, level, complainant_id AS person, coalesce(head_count, 1) AS n
  FROM "cases" WHERE case_id IN (SELECT unnest(case_ids) FROM "watchlist" WHERE run_id = $1 AND matter_id = $2)
  UNION ALL
  SELECT contact_date, 1, coalesce(case_id, ''), contact_id, '', '', channel, level, person_id, coalesce(head_count, 1)
  FROM "contacts"
  WHERE contact_id IN (SELECT unnest(contact_ids) FROM "watchlist" WHERE run_id = $1 AND matter_id = $2)
     OR case_id IN (SELECT unnest(case_ids) FROM "watchlist" WHERE run_id = $1 AND matter_id = $2)
        AND contact_date <= (SELECT as_of FROM "watchlist" WHERE run_id = $1 AND matter_id = $2)
  UNION ALL
  SELECT event_date, 2, case_id, event_id, event_type, coalesce(result, ''), '', '', '', 0
  FROM "events" WHERE event_id IN (SELECT unnest(event_ids) FROM "watchlist" WHERE run_id = $1 AND matter_id = $2)
)
SELECT strftime(d, '%Y-%m-%d'), k, case_id, ref, what, result, channel, level, person, n, count(*) OVER ()
FROM t ORDER BY d, k, ref LIMIT $3;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_history.sql (reason_zh)
-- Matter $1's history over the last $2 runs, at most $3 entries: the runs it came on, got
-- worse, came back, changed tier, went off or was kept off the watchlist in, newest first, each
-- with the note saying what changed. Nights it stayed as it was are left out. The bound on
-- run_id (run ids begin with the time the run started, and a run's changes are stored after
-- the runs before it) lets DuckDB skip the row groups of older runs: a year of nights at a
-- large county's scale is tens of millions of rows (0.7 s a page unbounded, 0.2 s for 90 of
-- 360 nights).
SELECT strftime(r.as_of, '%Y-%m-%d'), c.state, coalesce(c.tier, ''), coalesce(c.prev_tier, ''),
       coalesce(c."note_zh", '')
FROM "matter_changes" c JOIN "runs" r USING (run_id)
WHERE c.matter_id = $1
  AND c.run_id >= (SELECT min(run_id) FROM (SELECT run_id FROM "runs" ORDER BY seq DESC LIMIT $2))
  AND (c.state <> 'continuing' OR c.tier IS DISTINCT FROM c.prev_tier)
ORDER BY r.seq DESC
LIMIT $3;

-- ------------------------------------------------------------------------------------------------
-- sql/matter_history.sql (reason_en)
-- Matter $1's history over the last $2 runs, at most $3 entries: the runs it came on, got
-- worse, came back, changed tier, went off or was kept off the watchlist in, newest first, each
-- with the note saying what changed. Nights it stayed as it was are left out. The bound on
-- run_id (run ids begin with the time the run started, and a run's changes are stored after
-- the runs before it) lets DuckDB skip the row groups of older runs: a year of nights at a
-- large county's scale is tens of millions of rows (0.7 s a page unbounded, 0.2 s for 90 of
-- 360 nights).
SELECT strftime(r.as_of, '%Y-%m-%d'), c.state, coalesce(c.tier, ''), coalesce(c.prev_tier, ''),
       coalesce(c."note_en", '')
FROM "matter_changes" c JOIN "runs" r USING (run_id)
WHERE c.matter_id = $1
  AND c.run_id >= (SELECT min(run_id) FROM (SELECT run_id FROM "runs" ORDER BY seq DESC LIMIT $2))
  AND (c.state <> 'continuing' OR c.tier IS DISTINCT FROM c.prev_tier)
ORDER BY r.seq DESC
LIMIT $3;

-- ------------------------------------------------------------------------------------------------
-- sql/review_load.sql
SELECT state, owner, plan, due_date, taken_at, resolved_at, version,
  assigned_by, plan_deadline, visited_at, visited_by, visit_note, satisfaction, reopened_at
FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) WHERE matter_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/apply_run.sql
-- The latest run whose watchlist holds matter $1; NULL when none does.
SELECT arg_max(w.run_id, r.finished_at) FROM "watchlist" w JOIN "runs" r USING (run_id) WHERE w.matter_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/apply_dismiss.sql
INSERT INTO "dismissals" (matter_id, run_id, dismissed_by, dismissed_at, reason, lifted_at, lifted_reason, note)
VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6);

-- ------------------------------------------------------------------------------------------------
-- sql/apply_note.sql
INSERT INTO "progress_notes" VALUES ($1, $2, $3, $4);

-- ------------------------------------------------------------------------------------------------
-- sql/apply_clear.sql
DELETE FROM "matter_review" WHERE matter_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/apply_review.sql
INSERT INTO "matter_review" (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version,
  updated_at, updated_by, assigned_by, plan_deadline, visited_at, visited_by, visit_note, satisfaction, reopened_at)
VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, $8, $9, $10, $11, CAST($12 AS DATE), $13, $14, $15, $16, $17);

-- ------------------------------------------------------------------------------------------------
-- sql/audit_append.sql
INSERT INTO "audit_log" (acted_at, actor, role, action, matter_id, before_state, after_state)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- ------------------------------------------------------------------------------------------------
-- sql/audit_log.sql
-- The latest $1 entries, newest first, of matter $2, or of all when $2 is ''.
SELECT seq, acted_at, actor, role, action, coalesce(matter_id, ''),
  coalesce(CAST(before_state AS VARCHAR), ''), coalesce(CAST(after_state AS VARCHAR), '')
FROM "audit_log" WHERE ($2 = '' OR matter_id = $2) ORDER BY seq DESC LIMIT $1;

-- ------------------------------------------------------------------------------------------------
-- sql/notes.sql
SELECT noted_at, author, note FROM "progress_notes" WHERE matter_id = $1 ORDER BY noted_at;

-- ------------------------------------------------------------------------------------------------
-- sql/audit_page.sql
-- One page of the audit log, newest first: the entries of user $1, action $2 and matter $3 ('' for
-- any) acted at or after $4 and before $5 (NULL for no bound), $6 of them from offset $7; each
-- with how many entries match.
SELECT seq, acted_at, actor, role, action, coalesce(matter_id, ''),
  coalesce(CAST(before_state AS VARCHAR), ''), coalesce(CAST(after_state AS VARCHAR), ''), count(*) OVER ()
FROM "audit_log"
WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR matter_id = $3)
  AND ($4::TIMESTAMPTZ IS NULL OR acted_at >= $4::TIMESTAMPTZ) AND ($5::TIMESTAMPTZ IS NULL OR acted_at < $5::TIMESTAMPTZ)
ORDER BY seq DESC LIMIT $6 OFFSET $7;

-- ------------------------------------------------------------------------------------------------
-- sql/audit_actors.sql
-- The users the audit log names, for its filter.
SELECT DISTINCT actor FROM "audit_log" ORDER BY 1;

-- ------------------------------------------------------------------------------------------------
-- sql/apply_undismiss.sql
-- Undoing a dismissal in review: every dismissal of matter $1 still in force is lifted at $2
-- with reason $3.
UPDATE "dismissals" SET lifted_at = $2, lifted_reason = $3 WHERE matter_id = $1 AND lifted_at IS NULL;

-- ------------------------------------------------------------------------------------------------
-- sql/apply_supervise.sql
INSERT INTO "supervisions" (matter_id, supervised_at, supervised_by, note, deadline) VALUES ($1, $2, $3, $4, CAST($5 AS DATE));

-- ------------------------------------------------------------------------------------------------
-- sql/supervisions.sql
-- The supervisions of matter $1, oldest first.
SELECT supervised_at, supervised_by, note, strftime(deadline, '%Y-%m-%d') FROM "supervisions"
WHERE matter_id = $1 ORDER BY supervised_at;

-- ------------------------------------------------------------------------------------------------
-- sql/reminders.sql
-- Every owned matter, with the title of its latest watchlist item, and its reminders (see Reminders): $1 today (a DATE in the office's zone),
-- $2 the first instant of the day 30 days before today, $3 that of the day serve.plan_days days
-- before today.
--   no_progress          本月未报进展: owned since before $2 (or reopened then) and no progress
--                        note since $2;
--   no_plan              无方案: no plan, and its plan deadline passed, or (none set) owned since
--                        before $3;
--   overdue              已逾期: past its due date;
--   supervision_overdue  督办逾期: the latest supervision's deadline passed with no progress note
--                        since that supervision.
WITH notes AS (SELECT matter_id, max(noted_at) AS last_note FROM "progress_notes" GROUP BY matter_id),
sup AS (
  SELECT matter_id, arg_max(deadline, supervised_at) AS deadline, max(supervised_at) AS pressed_at
  FROM "supervisions" GROUP BY matter_id
),
titles AS (
  SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit,
         arg_max(w.title, r.finished_at) AS title
  FROM "watchlist" w JOIN "runs" r USING (run_id)
  -- Only the matters someone owns or owned, which the ledger and the reminders list: every
  -- matter's items of every run (1.35 M matters over several nights at 10^8) ran the
  -- publishing out of memory.
  WHERE w.matter_id IN (SELECT matter_id FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) WHERE owner IS NOT NULL)
  GROUP BY w.matter_id
)
SELECT m.matter_id, coalesce(t.title, ''), coalesce(t.township, ''), coalesce(t.category, ''), m.owner, coalesce(m.plan, ''), coalesce(strftime(m.due_date, '%Y-%m-%d'), ''),
  coalesce(strftime(m.plan_deadline, '%Y-%m-%d'), ''), m.taken_at, n.last_note, coalesce(strftime(s.deadline, '%Y-%m-%d'), ''),
  coalesce(coalesce(m.reopened_at, m.taken_at) < $2 AND (n.last_note IS NULL OR n.last_note < $2), false) AS no_progress,
  coalesce(coalesce(m.plan, '') = '' AND (m.plan_deadline < CAST($1 AS DATE) OR (m.plan_deadline IS NULL AND m.taken_at < $3)), false) AS no_plan,
  coalesce(m.due_date < CAST($1 AS DATE), false) AS overdue,
  coalesce(s.deadline < CAST($1 AS DATE) AND (n.last_note IS NULL OR n.last_note <= s.pressed_at), false) AS supervision_overdue
FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m LEFT JOIN notes n USING (matter_id) LEFT JOIN sup s USING (matter_id)
  LEFT JOIN titles t USING (matter_id)
WHERE m.state = 'owned' AND m.owner IS NOT NULL
ORDER BY m.owner, m.matter_id;

-- ------------------------------------------------------------------------------------------------
-- sql/resolved_since.sql
-- How many matters each owner resolved since $1 (the month's first instant) that are still resolved.
SELECT owner, count(*) FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id))
WHERE state = 'resolved' AND owner IS NOT NULL AND resolved_at >= $1 GROUP BY owner;

-- ------------------------------------------------------------------------------------------------
-- sql/due_soon_exists.sql
-- Whether the database has the due-soon table (runs of earlier versions did not make it).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'due_soon';

-- ------------------------------------------------------------------------------------------------
-- sql/due_soon.sql
-- A run's due-soon list (临期预警), by responsible unit, then the most urgent first; whether each
-- case is a matter on that run's watchlist, and its content (for its gist).
SELECT d.case_id, d.stage, strftime(d.deadline, '%Y-%m-%d'), d.days_left,
       coalesce(d.responsible_unit, ''), coalesce(d.township, ''), coalesce(d.category, ''),
       w.matter_id IS NOT NULL, coalesce(c.content, '')
FROM "due_soon" d
LEFT JOIN "watchlist" w ON w.run_id = d.run_id AND w.matter_id = 'case:' || d.case_id
LEFT JOIN "cases" c ON c.case_id = d.case_id
WHERE d.run_id = $1
ORDER BY d.responsible_unit NULLS LAST, d.deadline, d.case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/due_soon_days.sql
-- The due-soon setting (watchlist.due_soon_days) a run made its list with, 0 for none or for a
-- run of an earlier version; and whether its cases show the gist of their content
-- (watchlist.title_gist; earlier versions showed it).
SELECT coalesce(CAST(json_extract(record, '$.due_soon_days') AS INTEGER), 0),
       coalesce(CAST(json_extract(record, '$.title_gist') AS BOOLEAN), true)
FROM "runs" WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/ledger.sql
-- The matters of the monthly ledger (月度包案台账) of the month [$1, $2): every matter owned now
-- and taken before the month ended, and every one resolved since the month began (a matter
-- resolved after the month was still owned in it), with the latest watchlist item it appeared in.
WITH last AS (
  SELECT w.matter_id, arg_max(w.tier, r.finished_at) AS tier, arg_max(w.township, r.finished_at) AS township,
         arg_max(w.category, r.finished_at) AS category, arg_max(w.responsible_unit, r.finished_at) AS unit,
         arg_max(w.title, r.finished_at) AS title
  FROM "watchlist" w JOIN "runs" r USING (run_id)
  -- Only the matters someone owns or owned, which the ledger and the reminders list: every
  -- matter's items of every run (1.35 M matters over several nights at 10^8) ran the
  -- publishing out of memory.
  WHERE w.matter_id IN (SELECT matter_id FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) WHERE owner IS NOT NULL)
  GROUP BY w.matter_id
)
SELECT m.matter_id, coalesce(l.title, ''), coalesce(l.tier, ''), coalesce(l.township, ''), coalesce(l.category, ''), coalesce(l.unit, ''),
       m.owner, coalesce(m.assigned_by, ''), coalesce(m.plan, ''), m.state, m.taken_at,
       coalesce(strftime(m.due_date, '%Y-%m-%d'), ''), coalesce(strftime(m.plan_deadline, '%Y-%m-%d'), ''),
       m.resolved_at, (SELECT max(noted_at) FROM "progress_notes" p WHERE p.matter_id = m.matter_id),
       m.visited_at, coalesce(m.visited_by, ''), coalesce(m.visit_note, ''), coalesce(m.satisfaction, '')
FROM (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m LEFT JOIN last l USING (matter_id)
WHERE m.owner IS NOT NULL AND m.taken_at < $2
  AND (m.state = 'owned' OR (m.state = 'resolved' AND m.resolved_at >= $1))
ORDER BY m.owner, m.due_date NULLS LAST, m.matter_id;

-- ------------------------------------------------------------------------------------------------
-- sql/ledger_month.sql
-- What happened to matters in the month [$1, $2), oldest first: the progress notes (kind
-- 'note': time, author, note, '') and the supervisions (kind 'supervision': time, by whom,
-- note, deadline).
SELECT matter_id, 'note' AS kind, noted_at AS happened_at, author, note, '' AS deadline FROM "progress_notes"
WHERE noted_at >= $1 AND noted_at < $2
UNION ALL
SELECT matter_id, 'supervision', supervised_at, supervised_by, note, strftime(deadline, '%Y-%m-%d') FROM "supervisions"
WHERE supervised_at >= $1 AND supervised_at < $2
ORDER BY happened_at, kind;

-- ------------------------------------------------------------------------------------------------
-- sql/bulletin_run.sql
-- The run a month's bulletin counts the live matters of: the latest run screened as of a day
-- before $1 (the first day after the month).
SELECT run_id, strftime(as_of, '%Y-%m-%d') FROM "runs" WHERE as_of < CAST($1 AS DATE)
ORDER BY finished_at DESC, run_id DESC LIMIT 1;

-- ------------------------------------------------------------------------------------------------
-- sql/bulletin_live.sql
-- The live matters of run $1: on its watchlist and neither resolved nor dismissed in review,
-- with where they are, who is responsible and whether a case of theirs is past its deadline.
SELECT w.matter_id, coalesce(w.township, ''), coalesce(w.category, ''), coalesce(w.responsible_unit, ''),
       coalesce(w.days_overdue, 0) > 0
FROM "watchlist" w LEFT JOIN (SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = 'dismissed' AND d.matter_id IS NULL THEN 'open' ELSE r.state END AS state
FROM "matter_review" r LEFT JOIN (SELECT DISTINCT matter_id FROM "dismissals" WHERE lifted_at IS NULL) d USING (matter_id)) m USING (matter_id)
WHERE w.run_id = $1 AND coalesce(m.state, 'open') NOT IN ('resolved', 'dismissed')
ORDER BY w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/bulletin_changes.sql
-- How many matters each change against the previous run (new, worse, reopened, cleared, …)
-- came to in the runs screened as of a day in [$1, $2): a matter counted once per change
-- however many of the month's runs saw it.
SELECT c.state, count(DISTINCT c.matter_id) FROM "matter_changes" c JOIN "runs" r USING (run_id)
WHERE r.as_of >= CAST($1 AS DATE) AND r.as_of < CAST($2 AS DATE) GROUP BY c.state;

-- ------------------------------------------------------------------------------------------------
-- sql/session_create.sql
INSERT INTO "sessions" (token_hash, user_name, role, csrf, created_at, last_seen, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- ------------------------------------------------------------------------------------------------
-- sql/session_load.sql
SELECT user_name, role, csrf, created_at, last_seen, expires_at
FROM "sessions" WHERE token_hash = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/session_touch.sql
UPDATE "sessions" SET last_seen = $2, expires_at = $3 WHERE token_hash = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/session_delete.sql
DELETE FROM "sessions" WHERE token_hash = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/session_purge.sql
-- A session is over when its expiry has passed, or when it has been idle longer than the idle
-- limit in force now ($2 is now less the limit), which may be shorter than when it was set.
DELETE FROM "sessions" WHERE expires_at < $1 OR last_seen < $2;
