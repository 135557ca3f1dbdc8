-- The SQL of the pipeline's stages, rendered from pipeline/sql: what a run and a backtest execute
-- besides the rules' statements and the DDL of the canonical and review tables.
-- Written by TestStageSQL (go test -tags duckdb_arrow ./pipeline -run TestStageSQL -update).

-- ------------------------------------------------------------------------------------------------
-- sql/check_field.sql
-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim("township"), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim("township"), '')) AS distinct_values,
       coalesce(min(nullif(trim("township"), '')), '') AS one_value
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/check_field.sql
-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim("village"), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim("village"), '')) AS distinct_values,
       coalesce(min(nullif(trim("village"), '')), '') AS one_value
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/check_field.sql
-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim("category"), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim("category"), '')) AS distinct_values,
       coalesce(min(nullif(trim("category"), '')), '') AS one_value
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/check_field.sql
-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim("target_org"), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim("target_org"), '')) AS distinct_values,
       coalesce(min(nullif(trim("target_org"), '')), '') AS one_value
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/check_field.sql
-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim("responsible_unit"), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim("responsible_unit"), '')) AS distinct_values,
       coalesce(min(nullif(trim("responsible_unit"), '')), '') AS one_value
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 1/24
-- The pipeline's own tables; the canonical record tables come from package data and the review
-- tables from web/review. Every run and backtest creates those missing.

-- loaded_files: each input file a run loaded, by checksum, so that later runs skip it.
CREATE TABLE IF NOT EXISTS loaded_files (
  sha256 VARCHAR, path VARCHAR, table_name VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
  rows_quarantined BIGINT, run_id VARCHAR, loaded_at TIMESTAMPTZ);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 2/24
-- mapping: the digest of the profile source a file was read through ('' for canonical files):
-- the same file read through a changed profile loads again.
ALTER TABLE loaded_files ADD COLUMN IF NOT EXISTS mapping VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 3/24
-- quarantine: the rows a run rejected, with the file line and field at fault.
CREATE TABLE IF NOT EXISTS quarantine (
  run_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 4/24
-- record_id: the quarantined record's own id (its case id for an event without one), as the
-- export writes it, where the row was read that far (NULL for records a reader rejected whole:
-- their raw text shows it), so that a clerk finds the record by the id too.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS record_id VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 5/24
-- set_aside: the identifiers a run set aside in rows it loaded (an id number or phone that is
-- not one, which then identifies no one), as quarantine has them; the reason ends row_kept.
CREATE TABLE IF NOT EXISTS set_aside (
  run_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR, record_id VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 6/24
-- runs: one record per stored run.
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, as_of DATE, version VARCHAR,
  config_path VARCHAR, config_hash VARCHAR, inputs JSON, rule_params JSON, rule_counts JSON,
  timings JSON, watchlist_items BIGINT);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 7/24
-- record: the whole run record, as summary.json holds it, so that a run's outputs can be
-- written again from the database (NULL for runs an earlier version stored).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS record JSON;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 8/24
-- seq: the order runs were stored in (1, 2, ...), which flag_spans and watchlist_spans refer
-- to. Runs an earlier version stored get theirs in the order they finished.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS seq BIGINT;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 9/24
UPDATE runs SET seq = n.seq
FROM (
  SELECT run_id, (SELECT coalesce(max(seq), 0) FROM runs) + row_number() OVER (ORDER BY finished_at, run_id) AS seq
  FROM runs WHERE seq IS NULL
) n
WHERE runs.run_id = n.run_id;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 10/24
-- flag_spans: every rule's flags, with their reasons in each language, each stored once for the
-- consecutive runs that flagged it alike: runs from_seq to to_seq (NULL while the latest run
-- still has it). View flags (schema_flags.sql) gives every run's flags.
--
-- A flag's matter_id is the matter it is listed under: its own (rule_matter_id) or, when it
-- shares cases with other flags' matters, the merged matter's. last_evidence is the date of the
-- newest evidence behind it; live whether it kept its matter on the watchlist (NULL for runs
-- an earlier version stored).
CREATE TABLE IF NOT EXISTS flag_spans (
  from_seq BIGINT, to_seq BIGINT, rule_id VARCHAR, family VARCHAR, weight DOUBLE, min_tier VARCHAR,
  matter_id VARCHAR, matter_kind VARCHAR, case_ids VARCHAR[], contact_ids VARCHAR[],
  first_flagged DATE, strength DOUBLE, facts JSON, reason_zh VARCHAR, reason_en VARCHAR,
  rule_matter_id VARCHAR, last_evidence DATE, live BOOLEAN);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 11/24
-- watchlist_spans: each matter's item on the watchlist, what it says and its evidence, stored
-- once for the consecutive runs that list it alike: runs from_seq to to_seq (NULL while the
-- latest run lists it so), at most a week of runs (see store_watchlist.sql). What changes from
-- night to night, the rank, tier, score, days past the deadline and state, is in
-- watchlist_ranks; view watchlist (schema_watchlist.sql) gives every run's watchlist as one row
-- per matter, ranked.
--
-- merged_ids are the other matters (ids their rules gave them) merged into this one because they
-- share cases with it; last_evidence the newest evidence behind its flags; title the matter's
-- title for people (internal/title: place, category, target organisation, the gist of its
-- content), NULL for runs an earlier version stored.
CREATE TABLE IF NOT EXISTS watchlist_spans (
  from_seq BIGINT, to_seq BIGINT, matter_id VARCHAR, matter_kind VARCHAR, rules VARCHAR[],
  families VARCHAR[], reason_zh VARCHAR, reason_en VARCHAR, responsible_unit VARCHAR,
  township VARCHAR, category VARCHAR, case_ids VARCHAR[], contact_ids VARCHAR[],
  event_ids VARCHAR[], first_flagged DATE, complainants INTEGER, top_level VARCHAR,
  merged_ids VARCHAR[], last_evidence DATE, title VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 12/24
-- watchlist_ranks: every run's watchlist, one row per matter: its rank, the from_seq of the span
-- holding its item, tier, score, days past the deadline, and its state against the previous run
-- with the note saying what changed. Each row carries its run's as-of date (one value a run,
-- stored in next to no space), so that view watchlist reads a run's items without its record,
-- which is stored after them.
CREATE TABLE IF NOT EXISTS watchlist_ranks (
  run_id VARCHAR, as_of DATE, rank INTEGER, matter_id VARCHAR, from_seq BIGINT, tier VARCHAR,
  score DOUBLE, days_overdue INTEGER, state VARCHAR, state_note_zh VARCHAR, state_note_en VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 13/24
-- matter_changes: each run's changes against the previous run, including the matters it
-- cleared or suppressed, which are not on its watchlist.
CREATE TABLE IF NOT EXISTS matter_changes (
  run_id VARCHAR, matter_id VARCHAR, state VARCHAR, prev_run_id VARCHAR, tier VARCHAR,
  prev_tier VARCHAR, note_zh VARCHAR, note_en VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 14/24
-- due_soon: each run's due-soon list (临期预警): the cases pending as of its as-of date whose
-- current stage falls due within watchlist.due_soon_days of it (days_left 0 = due that day).
-- Computed each run from the case state, so a case whose stage moved on is on no later list.
CREATE TABLE IF NOT EXISTS due_soon (
  run_id VARCHAR, case_id VARCHAR, stage VARCHAR, deadline DATE, days_left INTEGER,
  responsible_unit VARCHAR, township VARCHAR, category VARCHAR, received_date DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 15/24
-- case_places: the places and organisations each case's text (content) names, found by package
-- internal/places before screening when an enabled rule needs them (hot_issue), one row a
-- mention in the order written (ord 1, 2, …), in_subject when it is on the text's first line.
-- text_hash is DuckDB's hash of the extraction's version and gazetteer (the salt) and the text,
-- so that a run extracts only the cases that are new or whose text or gazetteer changed. A case
-- whose text names no place has one row with ord 0 and no key. name is the place's name (a
-- gazetteer entry's own name when found through the gazetteer); written is the mention as the
-- text writes it (an alias, 梅溪青秀 for 梅溪青秀小区), which the hot_issue rule masks. Earlier
-- versions kept an md5 (content_hash) instead: their rows have no text_hash and are read again
-- once.
CREATE TABLE IF NOT EXISTS case_places (
  case_id VARCHAR, ord INTEGER, key VARCHAR, name VARCHAR, kind VARCHAR, context VARCHAR,
  in_subject BOOLEAN);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 16/24
ALTER TABLE case_places ADD COLUMN IF NOT EXISTS written VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 17/24
ALTER TABLE case_places DROP COLUMN IF EXISTS content_hash;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 18/24
ALTER TABLE case_places ADD COLUMN IF NOT EXISTS text_hash UBIGINT;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 19/24
-- topic_bursts: each run's emerging topics (新出现的热点话题, pipeline/topics.go), most significant
-- first: a phrase of the cases' text and the phrases that rose with it; in the run's window, its
-- distinct complainants and messages (contacts) against the complainants its baseline expects,
-- the test's p value and baseline days, its first and last day, a few case ids (first written
-- first) and its townships with most messages. Not matters: a topic is about what is said.
CREATE TABLE IF NOT EXISTS topic_bursts (
  run_id VARCHAR, rank INTEGER, phrase VARCHAR, related VARCHAR[], complainants INTEGER,
  messages INTEGER, expected DOUBLE, p_value DOUBLE, baseline_days INTEGER, first_date DATE,
  last_date DATE, example_case_ids VARCHAR[], places VARCHAR[], place_messages INTEGER[]);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 20/24
-- case_digests: a digest of each case's records (its cases row, contacts and events) as the
-- latest stored run screened them, with what the rules by group read of them, so that the next
-- run can tell which cases' records changed since (see pipeline/rescreen.go and
-- rescreen_digests.sql).
CREATE TABLE IF NOT EXISTS case_digests (case_id VARCHAR, digest UBIGINT);

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 21/24
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS group_key UBIGINT;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 22/24
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS group_digest UBIGINT;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 23/24
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS resolved BOOLEAN;

-- ------------------------------------------------------------------------------------------------
-- sql/schema.sql, statement 24/24
-- screened_stretches: the unbroken stretches of the records (package rules, records_from.sql) up
-- to the latest stored run's as-of date, so that the next run can tell whether they changed
-- before it (rules.StretchesChanged).
CREATE TABLE IF NOT EXISTS screened_stretches (s DATE, e DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags_migrate.sql, statement 1/5
-- A database an earlier version made keeps its flags in table flags, one copy per run: they move
-- to flag_spans, each as a span of its own run, left open for the latest run's (the flags of runs
-- no longer recorded go), and the table makes way for view flags. Its columns added over time
-- come first.
ALTER TABLE flags ADD COLUMN IF NOT EXISTS rule_matter_id VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags_migrate.sql, statement 2/5
ALTER TABLE flags ADD COLUMN IF NOT EXISTS last_evidence DATE;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags_migrate.sql, statement 3/5
ALTER TABLE flags ADD COLUMN IF NOT EXISTS live BOOLEAN;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags_migrate.sql, statement 4/5
INSERT INTO flag_spans
SELECT r.seq, CASE WHEN r.seq < (SELECT max(seq) FROM runs) THEN r.seq END, f.rule_id, f.family, f.weight, f.min_tier, f.matter_id, f.matter_kind, f.case_ids, f.contact_ids,
       f.first_flagged, f.strength, f.facts, f.reason_zh, f.reason_en, f.rule_matter_id, f.last_evidence, f.live
FROM flags f JOIN runs r USING (run_id);

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags_migrate.sql, statement 5/5
DROP TABLE flags;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_flags.sql
-- flags: every run's flags, from flag_spans, in the columns of the table earlier versions kept.
CREATE OR REPLACE VIEW flags AS
SELECT r.run_id, f.* EXCLUDE (from_seq, to_seq)
FROM flag_spans f JOIN runs r ON r.seq >= f.from_seq AND (f.to_seq IS NULL OR r.seq <= f.to_seq);

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 1/6
-- A database an earlier version made keeps its watchlists in table watchlist, one copy per run:
-- each run's items move to watchlist_spans as spans of their own run, left open for the latest
-- run's, and their ranks and measures to watchlist_ranks (the items of runs no longer recorded
-- go); the table makes way for view watchlist. Its columns added over time come first.
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS merged_ids VARCHAR[];

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 2/6
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS last_evidence DATE;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 3/6
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS title VARCHAR;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 4/6
INSERT INTO watchlist_spans
SELECT r.seq, CASE WHEN r.seq < (SELECT max(seq) FROM runs) THEN r.seq END, w.matter_id, w.matter_kind, w.rules,
       w.families, w.reason_zh, w.reason_en, w.responsible_unit, w.township, w.category, w.case_ids, w.contact_ids,
       w.event_ids, w.first_flagged, w.complainants, w.top_level, w.merged_ids, w.last_evidence, w.title
FROM watchlist w JOIN runs r USING (run_id)
ORDER BY r.seq, w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 5/6
INSERT INTO watchlist_ranks
SELECT w.run_id, r.as_of, w.rank, w.matter_id, r.seq, w.tier, w.score, w.days_overdue, w.state, w.state_note_zh, w.state_note_en
FROM watchlist w JOIN runs r USING (run_id)
ORDER BY r.seq, w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist_migrate.sql, statement 6/6
DROP TABLE watchlist;

-- ------------------------------------------------------------------------------------------------
-- sql/schema_watchlist.sql
-- watchlist: every run's watchlist, one row per matter, ranked, in the columns of the table
-- earlier versions kept: its rank and measures from watchlist_ranks, its item from the span that
-- holds it. The join on from_seq lets DuckDB read only the spans of the runs' last week (it
-- filters the spans' scan by the least and greatest from_seq of the ranks read).
CREATE OR REPLACE VIEW watchlist AS
SELECT k.run_id, k.rank, k.matter_id, s.matter_kind, k.tier, k.score, s.rules, s.families, s.reason_zh,
       s.reason_en, s.responsible_unit, s.township, s.category, s.case_ids, s.contact_ids, s.event_ids,
       s.first_flagged, k.as_of, s.complainants, s.top_level, k.days_overdue, k.state, k.state_note_zh,
       k.state_note_en, s.merged_ids, s.last_evidence, s.title
FROM watchlist_ranks k JOIN watchlist_spans s USING (matter_id, from_seq);

-- ------------------------------------------------------------------------------------------------
-- sql/run_has_runs.sql
-- Whether the database holds the runs table (a new one does not, until its first load commits).
SELECT count(*) FROM duckdb_tables() WHERE table_name = 'runs' AND schema_name = 'main' AND NOT temporary;

-- ------------------------------------------------------------------------------------------------
-- sql/run_latest.sql
-- The latest stored run, as the review app picks it.
SELECT run_id FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1;

-- ------------------------------------------------------------------------------------------------
-- sql/run_last_as_of.sql
-- The as-of date of the last stored run (in the order runs are stored); NULL before the first.
-- A run whose as-of date is left to the data takes it when the data's latest date is earlier.
SELECT (SELECT as_of FROM runs ORDER BY seq DESC LIMIT 1);

-- ------------------------------------------------------------------------------------------------
-- sql/run_after.sql
-- The runs stored after run $1, oldest first; none when $1 is not a stored run.
SELECT run_id FROM runs
WHERE finished_at > (SELECT finished_at FROM runs WHERE run_id = $1)
ORDER BY finished_at, run_id;

-- ------------------------------------------------------------------------------------------------
-- sql/run_stored_record.sql
-- Run $1's record: the whole of it, or (NULL for runs an earlier version stored) its columns.
-- The JSON columns as text, which the driver would decode into maps.
SELECT record::VARCHAR, run_id, started_at, finished_at, coalesce(strftime(as_of, '%Y-%m-%d'), ''),
  coalesce(version, ''), coalesce(config_path, ''), coalesce(config_hash, ''), inputs::VARCHAR,
  rule_counts::VARCHAR, timings::VARCHAR, coalesce(watchlist_items, 0)
FROM runs WHERE run_id = $1;

-- ------------------------------------------------------------------------------------------------
-- sql/run_standing.sql
-- The latest stored run, when its results still stand: it screened as of $as_of with the same
-- basis ($basis: the config's behaviour, the program and the publish settings; see runBasis),
-- and nobody has acted in review since it started (an action other than those in $inert, which
-- change no matter: signing in or out, starting a run; an owner's change, a progress note, a
-- supervision or a dismissal). No row otherwise. The caller checks that nothing was
-- loaded, classified or read for places since.
WITH latest AS (SELECT * FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1)
SELECT run_id FROM latest
WHERE as_of = CAST($as_of AS DATE)
  AND json_extract_string(record, '$.basis') = $basis
  AND NOT EXISTS (SELECT 1 FROM audit_log WHERE acted_at >= latest.started_at AND NOT list_contains(CAST($inert AS VARCHAR[]), action))
  AND NOT EXISTS (SELECT 1 FROM matter_review WHERE updated_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM progress_notes WHERE noted_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM supervisions WHERE supervised_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM dismissals WHERE dismissed_at >= latest.started_at);

-- ------------------------------------------------------------------------------------------------
-- sql/run_same_basis.sql
-- Whether the latest stored run is on screening basis $basis (its record's screen_basis; NULL
-- for runs an earlier version stored): then its flags' reasons are this run's for the same
-- facts, and its flags stand for the cases whose records did not change.
SELECT count(*) > 0 FROM runs
WHERE seq = (SELECT max(seq) FROM runs) AND json_extract_string(record, '$.screen_basis') = $basis;

-- ------------------------------------------------------------------------------------------------
-- sql/run_unpublished_loads.sql
-- The files the runs in list $1 loaded (those runs' outputs were never published whole).
SELECT run_id, sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, coalesce(mapping, '')
FROM loaded_files
WHERE list_contains($1, run_id)
ORDER BY loaded_at, path;

-- ------------------------------------------------------------------------------------------------
-- sql/run_adopted_loads.sql
-- The files of loads whose run was never stored (killed or failed after its load committed).
SELECT run_id, sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, coalesce(mapping, '')
FROM loaded_files
WHERE run_id NOT IN (SELECT run_id FROM runs)
ORDER BY loaded_at, path;

-- ------------------------------------------------------------------------------------------------
-- sql/run_adopt_loads.sql, statement 1/3
-- The run $1 adopts the files, quarantined rows and identifiers set aside of loads whose run
-- was never stored.
UPDATE loaded_files SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);

-- ------------------------------------------------------------------------------------------------
-- sql/run_adopt_loads.sql, statement 2/3
UPDATE quarantine SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);

-- ------------------------------------------------------------------------------------------------
-- sql/run_adopt_loads.sql, statement 3/3
UPDATE set_aside SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);

-- ------------------------------------------------------------------------------------------------
-- sql/link_clear.sql
-- Links are rebuilt from all contacts on every load, so that a link follows the data as it is.
DELETE FROM contact_links;

-- ------------------------------------------------------------------------------------------------
-- sql/link_unlinked.sql
SELECT count(*) FROM contacts WHERE case_id IS NULL;

-- ------------------------------------------------------------------------------------------------
-- sql/link_contacts.sql, statement 1/2
-- link_candidates: each contact without a case id, with the cases it may belong to: a case of
-- the same person, received or contacted about in the $window days up to the contact, whose
-- category and township do not contradict the contact's. A case received after the contact is
-- not a candidate (a contact recorded with a case id may be dated before the case's receipt): a
-- link rests only on records dated on or before its contact, so screening as of any date sees
-- the links that the data up to that date gives.
CREATE OR REPLACE TEMP TABLE "link_candidates" AS
WITH u AS (SELECT contact_id, contact_date, person_id, category, township FROM contacts WHERE case_id IS NULL),
activity AS (
  -- The cases and contacts of the people with an unlinked contact: few beside the whole.
  SELECT complainant_id AS person_id, case_id, received_date AS d FROM cases
  WHERE complainant_id IN (SELECT person_id FROM u)
  UNION ALL
  SELECT person_id, case_id, contact_date FROM contacts
  WHERE case_id IS NOT NULL AND person_id IN (SELECT person_id FROM u)
),
cand AS (
  SELECT DISTINCT u.contact_id, u.contact_date, a.case_id
  FROM u JOIN activity a ON a.person_id = u.person_id
   AND a.d <= u.contact_date AND a.d > u.contact_date - CAST($window AS INTEGER)
  JOIN cases c ON c.case_id = a.case_id AND c.received_date <= u.contact_date
  WHERE (u.category IS NULL OR u.category = c.category)
    AND (u.township IS NULL OR u.township = c.township)
)
SELECT u.contact_id, any_value(u.contact_date) AS contact_date, count(c.case_id) AS candidates,
       min(c.case_id) AS case_id
FROM u LEFT JOIN cand c USING (contact_id)
GROUP BY u.contact_id;

-- ------------------------------------------------------------------------------------------------
-- sql/link_contacts.sql, statement 2/2
-- A contact with exactly one candidate is linked to it; a case takes at most $cap contacts,
-- the earliest.
INSERT INTO contact_links
SELECT contact_id, case_id, 'person_window' FROM (
  SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY contact_date, contact_id) AS nth
  FROM "link_candidates" WHERE candidates = 1
) WHERE nth <= $cap;

-- ------------------------------------------------------------------------------------------------
-- sql/link_counts.sql
-- Contacts without a case id, links made, contacts with several candidates, contacts with one
-- (those not linked were capped), contacts with none (their person has no case in the window,
-- or is unknown: no id number, name or phone that identifies one).
SELECT count(*), (SELECT count(*) FROM contact_links),
  count(*) FILTER (WHERE candidates > 1), count(*) FILTER (WHERE candidates = 1),
  count(*) FILTER (WHERE candidates = 0)
FROM "link_candidates";

-- ------------------------------------------------------------------------------------------------
-- sql/missing_cases.sql
-- Records that name a case the database does not hold (its row quarantined, or in no file),
-- which screening, reading records with their case, counts for nothing until the case loads:
-- how many contacts and events, and up to five of their case ids, smallest first, joined by
-- chr(31).
WITH k AS (
  SELECT case_id FROM contacts ANTI JOIN cases USING (case_id) WHERE case_id IS NOT NULL
), e AS (
  SELECT case_id FROM events ANTI JOIN cases USING (case_id)
)
SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM e),
       coalesce((SELECT array_to_string(list(case_id ORDER BY case_id)[1:5], chr(31)) FROM (SELECT case_id FROM k UNION SELECT case_id FROM e)), '');

-- ------------------------------------------------------------------------------------------------
-- sql/classify_pending.sql
-- The next cases, after case id $after, that a category classifier has to classify: loaded
-- with the category empty or one of $unknown, and not classified yet (their found_in_text has
-- no category_model), with their content and what was found in their text; in case id order.
SELECT case_id, coalesce(content, '') AS content, coalesce(found_in_text, '') AS found_in_text
FROM cases
WHERE list_contains(CAST($unknown AS VARCHAR[]), coalesce(trim(category), ''))
  AND json_extract_string(found_in_text, '$.category_model') IS NULL
  AND case_id > $after
ORDER BY case_id
LIMIT $limit;

-- ------------------------------------------------------------------------------------------------
-- sql/classify_table.sql
-- What the category classifier decided for each case: the category (NULL: left as it was) and
-- the case's found_in_text with the classification added.
CREATE OR REPLACE TEMP TABLE "classified" (case_id VARCHAR, category VARCHAR, found_in_text VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/classify_apply.sql
-- The classifier's decisions into the cases.
UPDATE cases SET category = coalesce(c.category, cases.category), found_in_text = c.found_in_text
FROM "classified" c
WHERE cases.case_id = c.case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/labelled_cases.sql
-- The loaded cases as training texts for a category classifier: content and category, in case
-- id order.
SELECT coalesce(content, '') AS content, coalesce(trim(category), '') AS category
FROM cases
ORDER BY case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/place_texts.sql
-- The loaded cases' texts, for learning the office's place names (earlywarn learn-places): the
-- rows $from to $to of cases, as the driver holds a query's whole result until it is read.
SELECT content
FROM cases
WHERE rowid BETWEEN $from AND $to AND content IS NOT NULL AND trim(content) <> '';

-- ------------------------------------------------------------------------------------------------
-- sql/place_texts_last.sql
-- The last row of cases (-1 when there are none), to read their texts in ranges (place_texts.sql).
SELECT coalesce(max(rowid), -1) FROM cases;

-- ------------------------------------------------------------------------------------------------
-- sql/run_data_dates.sql
-- The span of the data: its earliest date, and its latest date not after $today, the day of the
-- run. A run without an as-of date screens as of the latest; an as-of date before the earliest
-- would screen nothing and is refused. Records dated after the day of the run are quarantined on
-- load; the filter keeps out any that a run with its clock or time zone set later loaded.
SELECT min(first), max(latest) FROM (
  SELECT min(received_date) AS first, max(received_date) FILTER (WHERE received_date <= CAST($today AS DATE)) AS latest FROM cases
  UNION ALL
  SELECT min(contact_date), max(contact_date) FILTER (WHERE contact_date <= CAST($today AS DATE)) FROM contacts
  UNION ALL
  SELECT min(event_date), max(event_date) FILTER (WHERE event_date <= CAST($today AS DATE)) FROM events);

-- ------------------------------------------------------------------------------------------------
-- sql/run_records_latest.sql
-- The latest day up to $as_of a case was received or a contact made (not an event's), for a run
-- that took its as-of date from the data: see recordsLatest.
SELECT max(d) FROM (
  SELECT max(received_date) AS d FROM cases WHERE received_date <= CAST($as_of AS DATE)
  UNION ALL
  SELECT max(contact_date) FROM contacts WHERE contact_date <= CAST($as_of AS DATE));

-- ------------------------------------------------------------------------------------------------
-- sql/run_after_as_of.sql
-- The records dated after the as-of date, per table: loaded, and left out of this screening (a
-- case received later, a contact or event dated later, as if not yet recorded).
SELECT 'cases', count(*) FROM cases WHERE received_date > CAST($as_of AS DATE)
UNION ALL
SELECT 'contacts', count(*) FROM contacts WHERE contact_date > CAST($as_of AS DATE)
UNION ALL
SELECT 'events', count(*) FROM events WHERE event_date > CAST($as_of AS DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/places_todo.sql
-- Place extraction, step 1: the cases whose text has not been read for places with this
-- extraction ($salt: its version and the gazetteer's digest) as it stands, by their row in
-- cases (r), without the text: Go reads the texts in chunks of rows (places_chunk.sql), so that
-- the texts are neither copied nor read here. The cases never read (those without a text among
-- them: places_chunk.sql leaves them out), and those read before whose first row in
-- case_places (ord 0 or 1) holds another hash than their text's now, a text gone included
-- (their mentions go, and nothing is read).
CREATE OR REPLACE TEMP TABLE "places_todo" AS
SELECT c.rowid AS r, c.case_id
FROM cases c LEFT JOIN case_places p ON p.case_id = c.case_id AND p.ord <= 1
WHERE p.case_id IS NULL OR p.text_hash IS DISTINCT FROM hash(CAST($salt AS VARCHAR), c.content);

-- ------------------------------------------------------------------------------------------------
-- sql/places_count.sql
-- Place extraction, step 1b: the chunks of the cases to read, $chunk at a time in the
-- order of their rows: each chunk's first and last row.
SELECT min(r), max(r)
FROM (SELECT r, (row_number() OVER (ORDER BY r) - 1) // CAST($chunk AS BIGINT) AS k FROM "places_todo")
GROUP BY k ORDER BY k;

-- ------------------------------------------------------------------------------------------------
-- sql/places_clear.sql
-- Place extraction, step 2: the old mentions of the cases to read (of an earlier text or
-- extraction) go; Go then appends the new ones to case_places chunk by chunk.
DELETE FROM case_places WHERE case_id IN (SELECT case_id FROM "places_todo");

-- ------------------------------------------------------------------------------------------------
-- sql/places_chunk.sql
-- Place extraction, step 3: one chunk of the texts to read, the rows $from to $to of cases (a
-- case without a text has none), each with the hash its places are stored with (places_todo.sql).
SELECT t.r, t.case_id, c.content, hash(CAST($salt AS VARCHAR), c.content)
FROM cases c JOIN "places_todo" t ON t.r = c.rowid
WHERE c.rowid BETWEEN $from AND $to AND t.r BETWEEN $from AND $to AND c.content IS NOT NULL
ORDER BY t.r;

-- ------------------------------------------------------------------------------------------------
-- sql/places_store.sql
-- Place extraction, step 3b: what the workers found in one chunk (places_new, an Arrow view of
-- case_places' columns; see storePlaces) into case_places.
INSERT INTO case_places BY NAME SELECT * FROM "places_new";

-- ------------------------------------------------------------------------------------------------
-- sql/places_done.sql
-- Place extraction, step 4: the texts to read are read.
DROP TABLE "places_todo";

-- ------------------------------------------------------------------------------------------------
-- sql/check_closing.sql
-- Input check for the rules that read the outcome of handling (see inputcheck.go): the events
-- up to the screening date that end or answer a stage (answered, reviewed, re-reviewed,
-- terminated, closed), and the cases received more than $clock_days days before it, which by
-- the clocks should have been answered by then, that stand in a pending stage.
SELECT
  (SELECT count(*) FROM events
   WHERE event_date <= CAST($as_of AS DATE)
     AND event_type IN ('answered', 'reviewed', 'rereviewed', 'terminated', 'closed')) AS closing_events,
  (SELECT count(*) FROM "case_state"
   WHERE pending AND received_date < CAST($as_of AS DATE) - CAST($clock_days AS INTEGER)) AS past_clock;

-- ------------------------------------------------------------------------------------------------
-- sql/check_stale.sql
-- Input check for the stalled rules (see inputcheck.go): the cases standing in a pending stage
-- as of the screening date, and those of them received more than $stale_days days before it.
SELECT count(*) FILTER (WHERE pending),
       count(*) FILTER (WHERE pending AND received_date < CAST($as_of AS DATE) - CAST($stale_days AS INTEGER))
FROM "case_state";

-- ------------------------------------------------------------------------------------------------
-- sql/check_letters.sql
-- Input check of a copied-letters rule (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date: how many in all, how many came through the
-- rule's channels, how many of those have $min_chars letters or more once reduced to their
-- letters as the rule reduces them (table case_letters, which holds the letters it compares:
-- the run has reduced every text of the rule's channels and period before screening, and
-- holds none for a case without text), and how many of those share the commonest text.
WITH period AS (
  SELECT list_contains(CAST($channels AS VARCHAR[]), s.channel) AS of_channels,
         l.letters_len >= CAST($min_chars AS INTEGER) AS letter, l.h
  FROM "case_state" s LEFT JOIN case_letters l ON l.case_id = s.case_id
  WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
texts AS (
  SELECT of_channels, letter, count(*) AS n
  FROM (SELECT of_channels, of_channels AND coalesce(letter, false) AS letter, h FROM period)
  GROUP BY of_channels, letter, CASE WHEN letter THEN h END
)
SELECT coalesce(sum(n), 0) AS cases,
       coalesce(sum(n) FILTER (WHERE of_channels), 0) AS of_channels,
       coalesce(sum(n) FILTER (WHERE letter), 0) AS letters,
       coalesce(max(n) FILTER (WHERE letter), 0) AS commonest
FROM texts;

-- ------------------------------------------------------------------------------------------------
-- sql/check_text.sql
-- Input check of a rule that reads the cases' text (hot_issue; see inputcheck.go), over the
-- cases received in the $lookback_days days up to the screening date: how many in all, and how
-- many have a text with at least one letter.
SELECT count(*) AS cases,
       count(*) FILTER (WHERE regexp_matches(coalesce(c.content, ''), '\p{L}')) AS texts
FROM cases c JOIN "case_state" s ON s.ck = c.rowid
WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/check_persons.sql
-- Input check of the complainants (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, and how
-- many name no complainant (a profile's row without one gets its own id, 'U:' and the row's).
SELECT count(*) AS cases, count(*) FILTER (WHERE starts_with(complainant_id, 'U:')) AS unknown
FROM "case_state"
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_run_flags.sql
-- run_flags: the run's flags, collected rule by rule, with the columns of flags.
CREATE OR REPLACE TEMP TABLE "run_flags" AS FROM flags LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_digests.sql, statement 1/4
-- case_digests_now: a digest of each case's records as they stand now, whatever their dates:
-- its cases row, its contacts (those linked to it included) and its events, each row hashed
-- and the hashes of a case's contacts and of its events combined by xor, so that their order
-- does not count. The case's text (content, found_in_text) is left out: no rule by case reads
-- it. For the rules by group: group_key digests the fields they may group by
-- (rules.GroupByFields), so that a case that left its group shows (rescreen_moved.sql);
-- group_digest what they read of a case's records (its receipt, those fields and its
-- contacts, not its events); resolved is the case's state as of this run's date, which is all
-- they read of its events. case_changes: the cases whose digest or resolved state differs from
-- what the latest stored run kept in case_digests (new cases and cases gone included), with
-- what changed: their records (digest: changed_cases), what the rules by group read (group_digest
-- or resolved: changed_group_cases), and whether a case of that run left its group (its row
-- gone or its group_key changed: rescreen_moved.sql). A changed group_digest or group_key
-- changes the digest.
CREATE OR REPLACE TEMP TABLE "case_digests_now" AS
WITH k AS (
  SELECT coalesce(k.case_id, l.case_id) AS case_id,
         bit_xor(hash(k.contact_id, k.contact_date, k.channel, k.level, k.person_id, k.head_count)) AS h
  FROM contacts k LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
  GROUP BY ALL
),
e AS (
  SELECT case_id, bit_xor(hash(event_id, event_type, event_date, result)) AS h
  FROM events
  GROUP BY case_id
)
SELECT c.case_id,
       hash(c.received_date, c.channel, c.level, c.complainant_id, c.head_count, c.category, c.township,
            c.village, c.target_org, c.responsible_unit, c.status, k.h, e.h) AS digest,
       hash(c.township, c.village, c.category, c.target_org, c.responsible_unit) AS group_key,
       hash(c.received_date, c.township, c.village, c.category, c.target_org, c.responsible_unit, k.h) AS group_digest,
       s.resolved
FROM cases c LEFT JOIN k USING (case_id) LEFT JOIN e USING (case_id) LEFT JOIN "case_state" s USING (case_id);

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_digests.sql, statement 2/4
CREATE OR REPLACE TEMP TABLE "case_changes" AS
SELECT coalesce(n.case_id, o.case_id) AS case_id,
       n.digest IS DISTINCT FROM o.digest AS records,
       n.group_digest IS DISTINCT FROM o.group_digest OR n.resolved IS DISTINCT FROM o.resolved AS for_groups,
       n.digest IS DISTINCT FROM o.digest AND o.case_id IS NOT NULL AND n.group_key IS DISTINCT FROM o.group_key AS left_group
FROM "case_digests_now" n FULL JOIN case_digests o ON o.case_id = n.case_id
WHERE n.digest IS DISTINCT FROM o.digest OR n.resolved IS DISTINCT FROM o.resolved;

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_digests.sql, statement 3/4
CREATE OR REPLACE TEMP TABLE "changed_cases" AS
SELECT case_id FROM "case_changes" WHERE records;

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_digests.sql, statement 4/4
CREATE OR REPLACE TEMP TABLE "changed_group_cases" AS
SELECT case_id FROM "case_changes" WHERE for_groups;

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_prev.sql
-- The latest stored run's as-of date and the rules it screened (not skipped), for rescreening.
SELECT as_of, coalesce(list(r.key) FILTER (WHERE NOT coalesce(CAST(json_extract(r.value, '$.skipped') AS BOOLEAN), false)), [])
FROM runs, json_each(record, '$.rules') r
WHERE seq = (SELECT max(seq) FROM runs)
GROUP BY as_of;

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_cases.sql, statement 1/2
-- The cases a rule by case screens again as of $as_of, when the latest stored run screened as
-- of $prev_as_of and its flags stand for the other cases (see pipeline/rescreen.go): the cases
-- whose records changed since (changed_cases), and those whose flag the calendar can change:
-- received after $prev_as_of, with an event dated after it, or with a contact that crossed one
-- of the rule's horizons (the boundaries "contact_date > as_of - h" its query reads, for h in
-- $horizons, 0 among them). Their rows of case_state and case_contacts, for the rule's query.
CREATE OR REPLACE TEMP TABLE "rescreen_state" AS
SELECT *
FROM "case_state"
WHERE received_date > CAST($prev_as_of AS DATE)
   OR case_id IN (SELECT case_id FROM "changed_cases")
   OR case_id IN (SELECT case_id FROM events
                  WHERE event_date > CAST($prev_as_of AS DATE) AND event_date <= CAST($as_of AS DATE))
   OR ck IN (SELECT k.ck
             FROM "case_contacts" k, (SELECT unnest(CAST($horizons AS INTEGER[])) AS h) b
             WHERE k.contact_date > CAST($prev_as_of AS DATE) - b.h
               AND k.contact_date <= CAST($as_of AS DATE) - b.h);

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_cases.sql, statement 2/2
CREATE OR REPLACE TEMP TABLE "rescreen_contacts" AS
SELECT * FROM "case_contacts" WHERE ck IN (SELECT ck FROM "rescreen_state");

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_carry.sql, statement 1/2
-- The flags of rule $rule_id the latest stored run had for the cases the rule does not screen
-- again: those not in rescreen_state, nor changed and now out of the screening (received after
-- $as_of). They stand as they were, with their newest evidence and reasons (standing_flags,
-- which screen_flag_liveness.sql and screen_collect_flags.sql take instead of finding them
-- again).
CREATE OR REPLACE TEMP TABLE "standing_flags" AS
SELECT rule_matter_id AS matter_id, matter_kind, case_ids, contact_ids, first_flagged, strength, facts, last_evidence,
       reason_zh, reason_en
FROM flag_spans
WHERE to_seq IS NULL AND rule_id = $rule_id
  AND case_ids[1] NOT IN (SELECT case_id FROM "rescreen_state")
  AND case_ids[1] NOT IN (SELECT case_id FROM "changed_cases");

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_carry.sql, statement 2/2
INSERT INTO "rule_flags" SELECT * EXCLUDE (last_evidence, reason_zh, reason_en) FROM "standing_flags";

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_moved.sql
-- Whether a case whose records changed since the latest stored run may have left the group a
-- rule by group put it in then: its cases row is gone, or its group fields changed
-- (case_changes.left_group; unknown in case_digests a database made before group keys kept).
-- The rules by group are then screened whole: the group it left is not known. A scalar.
SELECT coalesce(bool_or(left_group), false) FROM "case_changes";

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_carry_groups.sql, statement 1/2
-- The flags of rule $rule_id, by group, the latest stored run had for the groups the rule does
-- not screen again: those of no case in rescreen_group_cases (a flag's cases are all of its
-- group, and a changed case's group is screened again). They stand as they were, with their
-- newest evidence and reasons (standing_flags, as in rescreen_carry.sql).
CREATE OR REPLACE TEMP TABLE "standing_flags" AS
SELECT rule_matter_id AS matter_id, matter_kind, case_ids, contact_ids, first_flagged, strength, facts, last_evidence,
       reason_zh, reason_en
FROM flag_spans
WHERE to_seq IS NULL AND rule_id = $rule_id
  AND case_ids[1] NOT IN (SELECT case_id FROM "rescreen_group_cases");

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_carry_groups.sql, statement 2/2
INSERT INTO "rule_flags" SELECT * EXCLUDE (last_evidence, reason_zh, reason_en) FROM "standing_flags";

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_reasons.sql
-- flag_reasons: the reasons of one rule's flags in every language: those carried from the
-- latest stored run (screen_flag_carried.sql) and those Go renders (appended).
CREATE OR REPLACE TEMP TABLE "flag_reasons" (matter_id VARCHAR, zh VARCHAR, en VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_carried.sql
-- The reasons of the latest stored run's flag of the same rule ($rule_id) and matter, for the
-- flags whose facts are the same: run only when that run is on this run's basis (the same
-- config and program render the same reasons from the same facts). For a rule screened again
-- for some cases or groups (rescreened), the flags that stand (standing_flags) keep their
-- reasons apart (see screen_collect_flags.sql).
INSERT INTO "flag_reasons"
SELECT f.matter_id, s.reason_zh, s.reason_en
FROM "rule_flags" f
JOIN flag_spans s ON s.to_seq IS NULL AND s.rule_id = $rule_id AND s.rule_matter_id = f.matter_id AND s.facts = f.facts
  AND s.reason_zh IS NOT NULL AND s.reason_en IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_carried.sql
-- The reasons of the latest stored run's flag of the same rule ($rule_id) and matter, for the
-- flags whose facts are the same: run only when that run is on this run's basis (the same
-- config and program render the same reasons from the same facts). For a rule screened again
-- for some cases or groups (rescreened), the flags that stand (standing_flags) keep their
-- reasons apart (see screen_collect_flags.sql).
INSERT INTO "flag_reasons"
SELECT f.matter_id, s.reason_zh, s.reason_en
FROM "rule_flags" f
JOIN flag_spans s ON s.to_seq IS NULL AND s.rule_id = $rule_id AND s.rule_matter_id = f.matter_id AND s.facts = f.facts
  AND s.reason_zh IS NOT NULL AND s.reason_en IS NOT NULL
WHERE f.matter_id NOT IN (SELECT matter_id FROM "standing_flags");

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_todo.sql
-- flag_todo: the flags of one rule whose reasons Go renders, numbered from 0 (i) so that it
-- reads their facts a range at a time (screen_flag_facts.sql): those with no reason carried
-- (flag_reasons) and, for a rule screened again for some cases or groups (rescreened), not
-- among the flags that stand (standing_flags).
CREATE OR REPLACE TEMP TABLE "flag_todo" AS
SELECT row_number() OVER () - 1 AS i, f.matter_id, f.facts
FROM "rule_flags" f
WHERE f.matter_id NOT IN (SELECT matter_id FROM "flag_reasons");

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_todo.sql
-- flag_todo: the flags of one rule whose reasons Go renders, numbered from 0 (i) so that it
-- reads their facts a range at a time (screen_flag_facts.sql): those with no reason carried
-- (flag_reasons) and, for a rule screened again for some cases or groups (rescreened), not
-- among the flags that stand (standing_flags).
CREATE OR REPLACE TEMP TABLE "flag_todo" AS
SELECT row_number() OVER () - 1 AS i, f.matter_id, f.facts
FROM "rule_flags" f
WHERE f.matter_id NOT IN (SELECT matter_id FROM "flag_reasons")
  AND f.matter_id NOT IN (SELECT matter_id FROM "standing_flags");

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_facts.sql
-- The facts of the flags of flag_todo numbered $from to $to - 1, for Go to render their
-- reasons from.
SELECT matter_id, facts FROM "flag_todo" WHERE i >= $from AND i < $to;

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_liveness.sql
-- flag_liveness: for each of one rule's flags (in rule_flags), its newest evidence and whether
-- it is live on $as_of. The newest evidence is the latest date of the contacts behind it, or
-- $as_of for a flag that describes its case as it stands that day ($current: the stalled
-- family). A flag is live when its newest evidence is at most $active_days days old
-- ($active_days = 0: always), or when any of its cases is pending.
--
-- For a rule screened again for some cases or groups (rescreened), the flags that stand from the
-- latest stored run (standing_flags, see rescreen_carry.sql) keep the newest evidence it found;
-- for a rule by case (by_case), the others' contacts are among those of the cases screened
-- again (rescreen_contacts).
CREATE OR REPLACE TEMP TABLE "flag_liveness" AS
WITH latest AS (
  SELECT f.matter_id, max(c.contact_date) AS last_evidence
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM "rule_flags"
        WHERE NOT $current) f
  JOIN contacts c USING (contact_id)
  GROUP BY f.matter_id
),
pending AS (
  SELECT f.matter_id, bool_or(s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM "rule_flags" WHERE NOT $current AND $active_days > 0) f
  JOIN "case_state" s USING (case_id)
  GROUP BY f.matter_id
)
SELECT f.matter_id,
       CASE WHEN $current THEN CAST($as_of AS DATE) ELSE l.last_evidence END AS last_evidence,
       $current OR $active_days = 0 OR coalesce(p.pending, false)
         OR coalesce(CAST($as_of AS DATE) - l.last_evidence <= $active_days, false) AS live
FROM "rule_flags" f LEFT JOIN latest l USING (matter_id) LEFT JOIN pending p USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_liveness.sql
-- flag_liveness: for each of one rule's flags (in rule_flags), its newest evidence and whether
-- it is live on $as_of. The newest evidence is the latest date of the contacts behind it, or
-- $as_of for a flag that describes its case as it stands that day ($current: the stalled
-- family). A flag is live when its newest evidence is at most $active_days days old
-- ($active_days = 0: always), or when any of its cases is pending.
--
-- For a rule screened again for some cases or groups (rescreened), the flags that stand from the
-- latest stored run (standing_flags, see rescreen_carry.sql) keep the newest evidence it found;
-- for a rule by case (by_case), the others' contacts are among those of the cases screened
-- again (rescreen_contacts).
CREATE OR REPLACE TEMP TABLE "flag_liveness" AS
WITH latest AS (
  SELECT f.matter_id, max(c.contact_date) AS last_evidence
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM "rule_flags"
        WHERE NOT $current AND matter_id NOT IN (SELECT matter_id FROM "standing_flags")) f
  JOIN "rescreen_contacts" c USING (contact_id)
  GROUP BY f.matter_id
  UNION ALL
  SELECT matter_id, last_evidence FROM "standing_flags" WHERE NOT $current
),
pending AS (
  SELECT f.matter_id, bool_or(s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM "rule_flags" WHERE NOT $current AND $active_days > 0) f
  JOIN "case_state" s USING (case_id)
  GROUP BY f.matter_id
)
SELECT f.matter_id,
       CASE WHEN $current THEN CAST($as_of AS DATE) ELSE l.last_evidence END AS last_evidence,
       $current OR $active_days = 0 OR coalesce(p.pending, false)
         OR coalesce(CAST($as_of AS DATE) - l.last_evidence <= $active_days, false) AS live
FROM "rule_flags" f LEFT JOIN latest l USING (matter_id) LEFT JOIN pending p USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_flag_liveness.sql
-- flag_liveness: for each of one rule's flags (in rule_flags), its newest evidence and whether
-- it is live on $as_of. The newest evidence is the latest date of the contacts behind it, or
-- $as_of for a flag that describes its case as it stands that day ($current: the stalled
-- family). A flag is live when its newest evidence is at most $active_days days old
-- ($active_days = 0: always), or when any of its cases is pending.
--
-- For a rule screened again for some cases or groups (rescreened), the flags that stand from the
-- latest stored run (standing_flags, see rescreen_carry.sql) keep the newest evidence it found;
-- for a rule by case (by_case), the others' contacts are among those of the cases screened
-- again (rescreen_contacts).
CREATE OR REPLACE TEMP TABLE "flag_liveness" AS
WITH latest AS (
  SELECT f.matter_id, max(c.contact_date) AS last_evidence
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM "rule_flags"
        WHERE NOT $current AND matter_id NOT IN (SELECT matter_id FROM "standing_flags")) f
  JOIN contacts c USING (contact_id)
  GROUP BY f.matter_id
  UNION ALL
  SELECT matter_id, last_evidence FROM "standing_flags" WHERE NOT $current
),
pending AS (
  SELECT f.matter_id, bool_or(s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM "rule_flags" WHERE NOT $current AND $active_days > 0) f
  JOIN "case_state" s USING (case_id)
  GROUP BY f.matter_id
)
SELECT f.matter_id,
       CASE WHEN $current THEN CAST($as_of AS DATE) ELSE l.last_evidence END AS last_evidence,
       $current OR $active_days = 0 OR coalesce(p.pending, false)
         OR coalesce(CAST($as_of AS DATE) - l.last_evidence <= $active_days, false) AS live
FROM "rule_flags" f LEFT JOIN latest l USING (matter_id) LEFT JOIN pending p USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_collect_flags.sql
-- One rule's flags with their reasons and liveness join the run's, each under its own matter
-- id until matters that share cases merge (see merge_matters.sql). The flags that stand for a
-- rule screened again for some cases or groups (rescreened) keep their reasons (standing_flags).
INSERT INTO "run_flags" (rule_id, family, weight, min_tier, "matter_id", "matter_kind", "case_ids", "contact_ids", "first_flagged", "strength", "facts", reason_zh, reason_en,
  rule_matter_id, last_evidence, live)
SELECT $flag_rule_id, $flag_family, $flag_weight, $flag_min_tier,
       f."matter_id", f."matter_kind", f."case_ids", f."contact_ids", f."first_flagged", f."strength", f."facts", r.zh, r.en,
       f.matter_id, l.last_evidence, l.live
FROM "rule_flags" f
JOIN "flag_reasons" r USING (matter_id)
JOIN "flag_liveness" l USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/screen_collect_flags.sql
-- One rule's flags with their reasons and liveness join the run's, each under its own matter
-- id until matters that share cases merge (see merge_matters.sql). The flags that stand for a
-- rule screened again for some cases or groups (rescreened) keep their reasons (standing_flags).
INSERT INTO "run_flags" (rule_id, family, weight, min_tier, "matter_id", "matter_kind", "case_ids", "contact_ids", "first_flagged", "strength", "facts", reason_zh, reason_en,
  rule_matter_id, last_evidence, live)
SELECT $flag_rule_id, $flag_family, $flag_weight, $flag_min_tier,
       f."matter_id", f."matter_kind", f."case_ids", f."contact_ids", f."first_flagged", f."strength", f."facts", r.zh, r.en,
       f.matter_id, l.last_evidence, l.live
FROM "rule_flags" f
JOIN (SELECT matter_id, zh, en FROM "flag_reasons"
      UNION ALL SELECT matter_id, reason_zh, reason_en FROM "standing_flags") r USING (matter_id)
JOIN "flag_liveness" l USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/merge_members.sql
-- The matters that may merge, with the cases they hold: every cluster flag's matter with each
-- of its cases, and every case flag's matter whose case is among the clusters'.
WITH cl AS (
  SELECT DISTINCT rule_matter_id, unnest(case_ids) AS case_id FROM "run_flags" WHERE matter_kind = 'cluster'
)
SELECT rule_matter_id, case_id FROM cl
UNION ALL
SELECT DISTINCT rule_matter_id, case_ids[1] FROM "run_flags"
WHERE matter_kind = 'case' AND case_ids[1] IN (SELECT case_id FROM cl)
ORDER BY ALL;

-- ------------------------------------------------------------------------------------------------
-- sql/merge_tables.sql
-- matter_merges: each member of a merge (rule_matter_id, the id its rule gave it), the merge it
-- belongs to (component), and the merged matter's id, which merge_apply.sql chooses.
CREATE OR REPLACE TEMP TABLE "matter_merges" (rule_matter_id VARCHAR, component BIGINT, matter_id VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/merge_apply.sql
-- Each merge keeps the oldest id among its members: the member first listed under its own id on
-- a watchlist before $as_of, else the first listed as merged into another, else the first
-- flagged, a cluster before a case, then the smallest id.
UPDATE "matter_merges" SET matter_id = k.kept
FROM (
  SELECT m.component,
         arg_min(m.rule_matter_id, (coalesce(o.listed, DATE '9999-12-31'), coalesce(g.listed, DATE '9999-12-31'),
                                    f.first_flagged, f.kind <> 'cluster', m.rule_matter_id)) AS kept
  FROM "matter_merges" m
  LEFT JOIN (
    SELECT matter_id AS rule_matter_id, min(as_of) AS listed FROM watchlist
    WHERE as_of < CAST($as_of AS DATE) AND matter_id IN (SELECT rule_matter_id FROM "matter_merges")
    GROUP BY ALL
  ) o USING (rule_matter_id)
  LEFT JOIN (
    SELECT rule_matter_id, min(as_of) AS listed
    FROM (SELECT as_of, unnest(merged_ids) AS rule_matter_id FROM watchlist
          WHERE as_of < CAST($as_of AS DATE) AND len(merged_ids) > 0)
    WHERE rule_matter_id IN (SELECT rule_matter_id FROM "matter_merges")
    GROUP BY ALL
  ) g USING (rule_matter_id)
  JOIN (
    SELECT rule_matter_id, min(first_flagged) AS first_flagged, max(matter_kind) AS kind
    FROM "run_flags" GROUP BY ALL
  ) f USING (rule_matter_id)
  GROUP BY m.component
) k
WHERE "matter_merges".component = k.component;

-- ------------------------------------------------------------------------------------------------
-- sql/merge_flags.sql
-- The flags of merged matters take the merged matter's id.
UPDATE "run_flags" SET matter_id = m.matter_id
FROM "matter_merges" m
WHERE "run_flags".rule_matter_id = m.rule_matter_id;

-- ------------------------------------------------------------------------------------------------
-- sql/merge_reason_flags.sql
-- merge_flags: the flags of every matter with more than one flag and a live one, in the order
-- its reason tells them (told): cluster flags first, then case by case (the case whose flags
-- weigh most first), each by weight, highest first, then rule id; flags of one rule (a group
-- rule's episodes merged into one matter) by the date first flagged, then their own matter id,
-- so that the reason reads in time order and is the same in every run. Matters are numbered
-- from 0 (i), so that Go reads them a range at a time (merge_reason_range.sql).
CREATE OR REPLACE TEMP TABLE "merge_flags" AS
WITH f AS (
  SELECT matter_id, matter_kind, case_ids[1] AS case_id, weight, rule_id, first_flagged, rule_matter_id, reason_zh, reason_en,
         count(*) OVER (PARTITION BY matter_id) AS flags,
         bool_or(live) OVER (PARTITION BY matter_id) AS live_matter,
         max(weight) OVER (PARTITION BY matter_id, matter_kind, CASE WHEN matter_kind = 'case' THEN case_ids[1] END) AS case_weight
  FROM "run_flags"
)
SELECT dense_rank() OVER (ORDER BY matter_id) - 1 AS i,
       row_number() OVER (ORDER BY matter_id, matter_kind = 'case', -case_weight, CASE WHEN matter_kind = 'case' THEN case_id END,
                          -weight, rule_id, first_flagged, rule_matter_id) AS told,
       matter_id, matter_kind, CASE WHEN matter_kind = 'case' THEN case_id ELSE '' END AS case_id, rule_id, reason_zh, reason_en
FROM f
WHERE flags > 1 AND live_matter;

-- ------------------------------------------------------------------------------------------------
-- sql/merge_reason_range.sql
-- The flags of merge_flags' matters numbered $from to $to - 1, by matter as their reasons tell
-- them.
SELECT matter_id, matter_kind, case_id, rule_id, reason_zh, reason_en
FROM "merge_flags"
WHERE i >= $from AND i < $to
ORDER BY told;

-- ------------------------------------------------------------------------------------------------
-- sql/merged_reasons.sql
-- merged_reasons: the reason of every matter of several flags in each language, composed by Go.
CREATE OR REPLACE TEMP TABLE "merged_reasons" (matter_id VARCHAR, reason_zh VARCHAR, reason_en VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_merge.sql
-- The run's items before their places and events (see watchlist_build.sql): the run's flags
-- (in run_flags) combined into one row per matter that has a live flag, with score, lowest
-- tier allowed, rules hit, reasons, evidence lists, the date first flagged, the newest
-- evidence, the other matters merged into it and the cases of its lead flag (lead_case_ids,
-- NULL when the matter has one flag and so leads with all its cases): the flag its reason tells
-- first (see merge_reason_flags.sql). The reason of a matter of several flags is the one Go
-- composed (merged_reasons).
--
-- A flag's strength counts up to $cap, and halves for every $half_life days of age of its newest
-- evidence ($half_life = 0: no decay); the score is the sum of weight × strength.
CREATE OR REPLACE TEMP TABLE "run_merged" AS
WITH f AS (
  SELECT * EXCLUDE (live), weight * least(strength, $cap) * CASE
           WHEN $half_life = 0 OR last_evidence IS NULL THEN 1
           ELSE pow(0.5, greatest(CAST($as_of AS DATE) - last_evidence, 0) / $half_life) END AS points
  FROM (
    -- A join with the matters' counts, not a window: a window would hold every flag's lists.
    SELECT *, CASE min_tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END AS min_rank
    FROM "run_flags"
    JOIN (SELECT matter_id, count(*) AS flags FROM "run_flags" GROUP BY matter_id HAVING bool_or(live)) USING (matter_id)
  )
),
lead AS (
  -- The cases of the first flag in merge_reason_flags.sql's order: a cluster's before a case's,
  -- then by weight (highest first), case id, rule id, the date first flagged and its own id. By
  -- an ordered row_number(), not arg_min() with that order as a key over the matter's window:
  -- DuckDB's window arg_min() with a composite key crashed the process now and then (a
  -- segmentation fault in ConstructSortKeyRecursive, or "Cannot create a string of size
  -- 4294967360"), about one run in six on a small county.
  SELECT matter_id, case_ids AS lead_case_ids
  FROM f WHERE flags > 1
  QUALIFY row_number() OVER (PARTITION BY matter_id ORDER BY matter_kind = 'case', -weight,
            CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END, rule_id, first_flagged, rule_matter_id) = 1
),
m AS (
  -- Most matters have one flag and take it as it is; only the others need ordered merging.
  SELECT matter_id, matter_kind, round(points, 2) AS score, min_rank,
         [rule_id] AS rules, [family] AS families, reason_zh, reason_en, case_ids, contact_ids, first_flagged,
         last_evidence, []::VARCHAR[] AS merged_ids, NULL::VARCHAR[] AS lead_case_ids
  FROM f WHERE flags = 1
  UNION ALL
  SELECT matter_id, matter_kind, score, min_rank,
         list_transform(hits, h -> h.rule_id) AS rules, families,
         r.reason_zh, r.reason_en, case_ids, contact_ids, first_flagged, last_evidence, merged_ids, lead_case_ids
  FROM (
    -- Rules in order of weight, highest first, then rule id: sorting each matter's short list
    -- costs far less than ordered aggregates. Windows over each matter, not a GROUP BY, here and
    -- below: DuckDB cannot spill the states of aggregates that collect (list), and a GROUP BY
    -- holds every matter's at once.
    SELECT matter_id, max(matter_kind) OVER w AS matter_kind,
           round(sum(points) OVER w, 2) AS score,
           min(min_rank) OVER w AS min_rank,
           list_sort(list_distinct(list({'neg_weight': -weight, 'rule_id': rule_id}) OVER w)) AS hits,
           list_sort(list_distinct(list(family) OVER w)) AS families,
           list_sort(list_distinct(flatten(list(case_ids) OVER w))) AS case_ids,
           list_sort(list_distinct(flatten(list(contact_ids) OVER w))) AS contact_ids,
           min(first_flagged) OVER w AS first_flagged,
           max(last_evidence) OVER w AS last_evidence,
           coalesce(list_sort(list_distinct(list(rule_matter_id) FILTER (WHERE rule_matter_id <> matter_id) OVER w)), []) AS merged_ids
    FROM f WHERE flags > 1
    WINDOW w AS (PARTITION BY matter_id)
    QUALIFY row_number() OVER w = 1
  ) JOIN "merged_reasons" r USING (matter_id) JOIN lead USING (matter_id)
)
SELECT * FROM m;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_build.sql
-- run_item_facts: what each of the run's items (run_merged, see watchlist_merge.sql) takes
-- from its cases and events: its tier, its responsible unit, township and category, its
-- reasons with where its place or category was found, and its event evidence. The three places
-- are taken from the cases of the matter's lead flag (lead_case_ids; all its cases when NULL),
-- so that a merged matter's title and unit name what its reason leads with. For a cluster, each
-- is the most common among those cases, ties broken by the larger value so the choice is
-- reproducible. A case matter's event evidence is every event of its case up to $as_of; a
-- cluster's is empty. The lists of run_merged stay out of this statement: DuckDB cannot spill
-- a statement's output while it builds a table, and with every matter's evidence beside five
-- joins' tables it ran out of memory where each part alone fits.
--
-- When the matter's township or category was found in its cases' text by the profile (cases.
-- found_in_text), its reasons say so, with the words that matched ($found_<field>_<lang>: a
-- printf format of the value and the words), or without them when the only word is the value
-- itself ($found_<field>_alone_<lang>, of the value).
--
-- When the matter's cases (all of them: a merged matter's other flags may reach beyond its
-- lead's) lie in several townships or with several responsible units, the columns name the
-- lead's most common one and the reasons say how many there are and which, most cases first
-- ($spread_<field>_<lang>: a printf format of the count and the list; at most three, in the
-- columns' order, each formatted by $spread_item_<lang> of its name and cases, the list ended
-- by $spread_more_<lang> when there are more).
--
-- An item is red from score $red, orange from $orange, and never below the min_tier of any of
-- its flags.
CREATE OR REPLACE TEMP TABLE "run_item_facts" AS
WITH ev AS (
  SELECT c.matter_id, list_sort(list(e.event_id) OVER (PARTITION BY c.matter_id)) AS event_ids
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM "run_merged" WHERE matter_kind = 'case') c
  JOIN events e USING (case_id)
  WHERE e.event_date <= CAST($as_of AS DATE)
  QUALIFY row_number() OVER (PARTITION BY c.matter_id) = 1
),
mc AS (
  -- Every case of each matter, lead telling those of its lead flag (all of them when it has no
  -- lead_case_ids) from a merged matter's others, which only the spread counts.
  SELECT m.matter_id, m.lead, c.responsible_unit, c.township, c.category, c.found_in_text
  FROM (
    SELECT matter_id, unnest(coalesce(lead_case_ids, case_ids)) AS case_id, true AS lead FROM "run_merged"
    UNION ALL
    SELECT matter_id, case_id, false
    FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM "run_merged" WHERE lead_case_ids IS NOT NULL)
    ANTI JOIN (SELECT matter_id, unnest(lead_case_ids) AS case_id FROM "run_merged" WHERE lead_case_ids IS NOT NULL)
      USING (matter_id, case_id)
  ) m JOIN cases c USING (case_id)
),
top_responsible_unit AS (
  SELECT matter_id, arg_max(responsible_unit, (n, responsible_unit)) AS responsible_unit
  FROM (SELECT matter_id, responsible_unit, count(*) AS n FROM mc WHERE lead AND responsible_unit IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_township AS (
  SELECT matter_id, arg_max(township, (n, township)) AS township
  FROM (SELECT matter_id, township, count(*) AS n FROM mc WHERE lead AND township IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_category AS (
  SELECT matter_id, arg_max(category, (n, category)) AS category
  FROM (SELECT matter_id, category, count(*) AS n FROM mc WHERE lead AND category IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
spread_top AS (
  -- The townships and responsible units of a matter whose cases lie in more than one (n), the
  -- three with the most cases (r). Windows, which spill, rather than a list aggregate over every
  -- matter, whose states DuckDB holds in memory: at 10^8 contacts that ran out of it.
  SELECT matter_id, field, v, cases, count(*) OVER per AS n, row_number() OVER (per ORDER BY cases DESC, v DESC) AS r
  FROM (SELECT matter_id, 'township' AS field, township AS v, count(*) AS cases FROM mc WHERE township IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT matter_id, 'unit', responsible_unit, count(*) FROM mc WHERE responsible_unit IS NOT NULL GROUP BY ALL)
  WINDOW per AS (PARTITION BY matter_id, field)
  QUALIFY n > 1 AND r <= 3
),
spread AS (
  SELECT matter_id, field, any_value(n) AS n, list_sort(list({'r': r, 'v': v, 'cases': cases})) AS top
  FROM spread_top GROUP BY matter_id, field
),
found AS (
  -- The words that matched for the matter's township and category, at most three of each.
  SELECT matter_id,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.township'))
           FILTER (WHERE mc.township = t.township) OVER w))[1:3] AS township_words,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.category'))
           FILTER (WHERE mc.category = g.category) OVER w))[1:3] AS category_words
  FROM mc JOIN top_township t USING (matter_id) JOIN top_category g USING (matter_id)
  WHERE mc.lead AND mc.found_in_text IS NOT NULL
  WINDOW w AS (PARTITION BY matter_id)
  QUALIFY row_number() OVER w = 1
)
SELECT m.matter_id, m.matter_kind,
       ['red', 'orange', 'yellow'][least(CASE WHEN score >= $red THEN 0 WHEN score >= $orange THEN 1 ELSE 2 END, min_rank) + 1] AS tier,
       m.score, m.rules, m.families,
       m.reason_zh
         || CASE WHEN township_words = [t.township] THEN printf($found_township_alone_zh, t.township)
                 WHEN len(township_words) > 0 THEN printf($found_township_zh, t.township, array_to_string(township_words, '、')) ELSE '' END
         || CASE WHEN category_words = [g.category] THEN printf($found_category_alone_zh, g.category)
                 WHEN len(category_words) > 0 THEN printf($found_category_zh, g.category, array_to_string(category_words, '、')) ELSE '' END
         || CASE WHEN st.n > 1 THEN printf($spread_township_zh, st.n,
              array_to_string(list_transform(st.top, x -> printf($spread_item_zh, x.v, x.cases)), '、')
              || CASE WHEN st.n > 3 THEN $spread_more_zh ELSE '' END) ELSE '' END
         || CASE WHEN su.n > 1 THEN printf($spread_unit_zh, su.n,
              array_to_string(list_transform(su.top, x -> printf($spread_item_zh, x.v, x.cases)), '、')
              || CASE WHEN su.n > 3 THEN $spread_more_zh ELSE '' END) ELSE '' END AS reason_zh,
       m.reason_en
         || CASE WHEN township_words = [t.township] THEN printf($found_township_alone_en, t.township)
                 WHEN len(township_words) > 0 THEN printf($found_township_en, t.township, array_to_string(township_words, ', ')) ELSE '' END
         || CASE WHEN category_words = [g.category] THEN printf($found_category_alone_en, g.category)
                 WHEN len(category_words) > 0 THEN printf($found_category_en, g.category, array_to_string(category_words, ', ')) ELSE '' END
         || CASE WHEN st.n > 1 THEN printf($spread_township_en, st.n,
              array_to_string(list_transform(st.top, x -> printf($spread_item_en, x.v, x.cases)), ', ')
              || CASE WHEN st.n > 3 THEN $spread_more_en ELSE '' END) ELSE '' END
         || CASE WHEN su.n > 1 THEN printf($spread_unit_en, su.n,
              array_to_string(list_transform(su.top, x -> printf($spread_item_en, x.v, x.cases)), ', ')
              || CASE WHEN su.n > 3 THEN $spread_more_en ELSE '' END) ELSE '' END AS reason_en,
       u.responsible_unit, t.township, g.category,
       coalesce(ev.event_ids, []::VARCHAR[]) AS event_ids, m.first_flagged, CAST($as_of AS DATE) AS as_of, m.last_evidence
FROM "run_merged" m
LEFT JOIN ev USING (matter_id)
LEFT JOIN top_responsible_unit u USING (matter_id)
LEFT JOIN top_township t USING (matter_id)
LEFT JOIN top_category g USING (matter_id)
LEFT JOIN found USING (matter_id)
LEFT JOIN spread st ON st.matter_id = m.matter_id AND st.field = 'township'
LEFT JOIN spread su ON su.matter_id = m.matter_id AND su.field = 'unit';

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_items.sql, statement 1/3
-- run_items: the run's items, one per matter that has a live flag, as the stages after
-- buildWatchlist read them: run_merged's evidence lists beside run_item_facts' places, tier,
-- reasons and events.
CREATE OR REPLACE TEMP TABLE "run_items" AS
SELECT f.matter_id, f.matter_kind, f.tier, f.score, f.rules, f.families, f.reason_zh, f.reason_en,
       f.responsible_unit, f.township, f.category, m.case_ids, m.contact_ids, f.event_ids,
       f.first_flagged, f.as_of, m.merged_ids, f.last_evidence, m.lead_case_ids
FROM "run_item_facts" f JOIN "run_merged" m USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_items.sql, statement 2/3
DROP TABLE "run_item_facts";

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_items.sql, statement 3/3
DROP TABLE "run_merged";

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_title_facts.sql
-- title_facts: the facts of each run item's title (internal/title), numbered from 0 (i) in the
-- order of the items' matter ids, for Go to read a range at a time (watchlist_title_range.sql):
-- its township and category as the item has them; the village and target organisation most
-- common among its lead flag's cases (run_items.lead_case_ids) in that township (ties broken by
-- the larger value, so the choice is reproducible), the village only when more than half of
-- those cases are in it; how many townships and target organisations all its cases name (a
-- merged matter's other flags may reach beyond its lead's), when more than one; the place a
-- hot issue's text names (its flags' facts.place, the first by name); and the content of the first of those cases, masked as every stored content
-- is: of those in the most common village with that target organisation first, so that the
-- gist is of a case the title's place and organisation are, then received first, then by case
-- id (watchlist_title_range.sql gives an item of labels another: the label most of its cases have).
-- Without the gist ($gist false, watchlist.title_gist) the content is '' and no case's is read.
CREATE OR REPLACE TEMP TABLE "title_facts" AS
WITH mc AS (
  SELECT i.matter_id, c.case_id, c.received_date, c.village, c.target_org
  FROM (SELECT matter_id, township, unnest(coalesce(lead_case_ids, case_ids)) AS case_id FROM "run_items") i
  JOIN cases c ON c.case_id = i.case_id AND c.township IS NOT DISTINCT FROM i.township
),
village AS (
  SELECT matter_id, arg_max(village, (n, village)) AS village, max(n) * 2 > any_value(cases) AS most
  FROM (SELECT matter_id, village, count(*) AS n, sum(count(*)) OVER (PARTITION BY matter_id) AS cases
        FROM mc GROUP BY matter_id, village)
  WHERE coalesce(village, '') <> ''
  GROUP BY matter_id
),
target AS (
  SELECT matter_id, arg_max(target_org, (n, target_org)) AS target_org
  FROM (SELECT matter_id, target_org, count(*) AS n FROM mc WHERE coalesce(target_org, '') <> '' GROUP BY ALL)
  GROUP BY matter_id
),
first_case AS (
  SELECT mc.matter_id,
         arg_min(mc.case_id, (mc.village IS DISTINCT FROM v.village, mc.target_org IS DISTINCT FROM t.target_org,
                              mc.received_date, mc.case_id)) AS case_id
  FROM mc LEFT JOIN village v USING (matter_id) LEFT JOIN target t USING (matter_id)
  GROUP BY mc.matter_id
),
spread AS (
  -- How many townships (as watchlist_build.sql's spread counts them) and target organisations
  -- the cases of an item of several name.
  SELECT i.matter_id, count(DISTINCT c.township) AS townships,
         count(DISTINCT c.target_org) FILTER (WHERE c.target_org <> '') AS targets
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM "run_items" WHERE len(case_ids) > 1) i
  JOIN cases c USING (case_id)
  GROUP BY i.matter_id
),
place AS (
  SELECT matter_id, min(json_extract_string(facts, '$.place')) AS place
  FROM "run_flags" WHERE json_extract_string(facts, '$.place') <> '' GROUP BY matter_id
)
SELECT row_number() OVER (ORDER BY i.matter_id) - 1 AS i, i.matter_id,
  coalesce(i.township, '') AS township, CASE WHEN v.most THEN v.village ELSE '' END AS village, coalesce(p.place, '') AS place,
  coalesce(i.category, '') AS category, coalesce(t.target_org, '') AS target_org, coalesce(c.content, '') AS content,
  coalesce(n.townships, 1) AS townships, coalesce(n.targets, 1) AS targets
FROM "run_items" i
LEFT JOIN village v USING (matter_id)
LEFT JOIN target t USING (matter_id)
LEFT JOIN place p USING (matter_id)
LEFT JOIN spread n USING (matter_id)
LEFT JOIN first_case f USING (matter_id)
LEFT JOIN cases c ON $gist AND c.case_id = f.case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_title_range.sql
-- The title facts of title_facts numbered $from to $to - 1, for Go to compose their titles. The
-- content most of an item's lead cases in its township have, when most have one, is its gist;
-- when its contents are labels (at least half of those cases have a content another has too, as
-- a 311 export's descriptor or an office's 事由 picked from a list) and none holds more than
-- half, it has none: a label of one case is no gist of the others. Otherwise the gist is
-- title_facts' content. Contents are counted by a hash, here, a range of items at a time:
-- counted over every item at once in title_facts, at 10^8 contacts, they ran out of memory.
-- Without the gist ($gist false) no content is read: every item's is title_facts' ''.
WITH f AS (
  SELECT * FROM "title_facts" WHERE i >= $from AND i < $to
),
lead AS (
  SELECT i.matter_id, c.case_id, hash(c.content) AS h
  FROM (SELECT r.matter_id, r.township, unnest(coalesce(r.lead_case_ids, r.case_ids)) AS case_id
        FROM "run_items" r SEMI JOIN f USING (matter_id)
        WHERE len(coalesce(r.lead_case_ids, r.case_ids)) > 1) i
  JOIN cases c ON c.case_id = i.case_id AND c.township IS NOT DISTINCT FROM i.township
  WHERE $gist AND coalesce(c.content, '') <> ''
),
labels AS (
  SELECT matter_id, arg_max(any_case, (n, h)) AS top_case, max(n) AS top_n, sum(n) AS cases,
         coalesce(sum(n) FILTER (WHERE n >= 2), 0) AS repeated
  FROM (SELECT matter_id, h, count(*) AS n, min(case_id) AS any_case FROM lead GROUP BY ALL)
  GROUP BY matter_id
)
SELECT f.matter_id, f.township, f.village, f.place, f.category, f.target_org,
       CASE WHEN l.top_n >= 2 AND l.top_n * 2 > l.cases THEN coalesce(tc.content, f.content)
            WHEN l.repeated * 2 >= l.cases THEN ''
            ELSE f.content END AS content,
       f.townships, f.targets
FROM f
LEFT JOIN labels l USING (matter_id)
LEFT JOIN cases tc ON tc.case_id = l.top_case;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_titles.sql
-- run_titles: each run item's title, composed by Go (internal/title) from watchlist_title_facts.
CREATE OR REPLACE TEMP TABLE "run_titles" (matter_id VARCHAR, title VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_title_dedup.sql, statement 1/3
-- Items of the run whose titles are alike say when, so that a leader tells them apart without
-- their ids: clusters (one township, category and organisation flagged again weeks later: two
-- waves) the day they were first flagged, $from_format formatting its year, month and day
-- (（2023年8月31日首次预警）: the day the alert fired, which a reason's period starts before); then
-- cases still alike (one place, category and organisation, and no text to tell them by) the day
-- their case was received, $received_format
-- (（2023年8月31日受理）); then cases received the same day too (a backlog's dozens), their
-- case number, $case_format (（信访件编号 NYCC26539424）).
UPDATE "run_titles" t
SET title = t.title || printf($from_format, year(i.first_flagged), month(i.first_flagged), day(i.first_flagged))
FROM "run_items" i
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'cluster' AND i.first_flagged IS NOT NULL
  AND t.title IN (SELECT title FROM "run_titles" GROUP BY title HAVING count(*) > 1);

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_title_dedup.sql, statement 2/3
UPDATE "run_titles" t
SET title = t.title || printf($received_format, year(c.received_date), month(c.received_date), day(c.received_date))
FROM "run_items" i, cases c
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'case' AND c.case_id = i.case_ids[1] AND c.received_date IS NOT NULL
  AND t.title IN (SELECT title FROM "run_titles" GROUP BY title HAVING count(*) > 1);;

-- ------------------------------------------------------------------------------------------------
-- sql/watchlist_title_dedup.sql, statement 3/3
UPDATE "run_titles" t
SET title = t.title || printf($case_format, i.case_ids[1])
FROM "run_items" i
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'case'
  AND t.title IN (SELECT title FROM "run_titles" GROUP BY title HAVING count(*) > 1);

-- ------------------------------------------------------------------------------------------------
-- sql/track_prev_run.sql
-- The previous run and its as-of date: the latest with an as-of date before $as_of, so that a
-- re-run of a night is compared with the night before, as the first attempt was; and how many
-- runs were stored as of $as_of itself (a re-run's earlier attempts, compared with nothing).
SELECT arg_max(run_id, finished_at), arg_max(as_of, finished_at),
       (SELECT count(*) FROM runs WHERE as_of = CAST($as_of AS DATE))
FROM runs WHERE as_of < CAST($as_of AS DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/track_changes.sql, statement 1/2
-- run_measured: the run's items with their measures, so that later runs can tell whether a
-- matter got materially worse: distinct complainants, the highest level reached (top_level) and
-- days past the deadline of its pending cases as of $as_of (NULL unless $deadlines: data without
-- closing records has no deadline that means anything).
CREATE OR REPLACE TEMP TABLE "run_measured" AS
WITH item_cases AS (SELECT matter_id, unnest(case_ids) AS case_id FROM "run_items"),
seen AS (
  SELECT i.matter_id, t.person_id AS person, coalesce(CASE t.level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) AS lvl
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM "run_items") i JOIN contacts t USING (contact_id)
  UNION ALL
  SELECT i.matter_id, c.complainant_id, coalesce(CASE c.level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) FROM item_cases i JOIN cases c USING (case_id)
),
overdue AS (
  SELECT i.matter_id, max(greatest(CAST($as_of AS DATE) - s.deadline, 0)) FILTER (WHERE s.pending) AS days
  FROM item_cases i JOIN "case_state" s USING (case_id) GROUP BY i.matter_id
),
m AS (
  SELECT matter_id, count(DISTINCT person)::INTEGER AS complainants, CASE max(lvl) WHEN 1 THEN 'county' WHEN 2 THEN 'city' WHEN 3 THEN 'province' WHEN 4 THEN 'national' END AS top_level,
         CASE WHEN $deadlines THEN coalesce(any_value(o.days), 0) END::INTEGER AS days_overdue
  FROM seen LEFT JOIN overdue o USING (matter_id) GROUP BY matter_id
)
SELECT i.*, m.complainants, m.top_level, m.days_overdue FROM "run_items" i LEFT JOIN m USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/track_changes.sql, statement 2/2
-- tracked: each item's state and note against the previous run ($prev_run), the dismissal in
-- force and earlier listings.
--
--   - An item whose dismissal is in force is suppressed unless it got materially worse than
--     when it was dismissed; then it is reopened and its note says why it came back.
--   - An item listed in an earlier run but not the previous one is reopened; one never listed
--     is new (its note says so when it met its rule by the previous run's as-of date already:
--     records added or corrected since, or the rules changed); one on the previous watchlist is
--     worse when materially worse or of a higher tier, continuing otherwise (its note saying so
--     when its tier is lower).
--   - An item an unsatisfied return visit (回访不满意) reopened in review since the previous run
--     finished is reopened; its note says so for as long as it stays owned.
--   - The note of an item marked resolved in review that the data still flags says so, and
--     the note of an item that merged matters listed separately on the previous watchlist;
--     a new case's note names the cluster of the previous watchlist it was part of (the
--     cluster cleared or left it, and its case is flagged on its own).
CREATE OR REPLACE TEMP TABLE "tracked" AS
WITH cur AS (SELECT * FROM "run_measured"),
prev AS (SELECT * FROM watchlist WHERE run_id = $prev_run),
prev_done AS (SELECT max(finished_at) AS done_at, max(as_of) AS as_of FROM runs WHERE run_id = $prev_run),
earlier AS (
  SELECT matter_id, max(as_of) AS last_listed FROM watchlist
  WHERE as_of < CAST($as_of AS DATE) AND matter_id IN (SELECT matter_id FROM cur)
  GROUP BY matter_id
),
merged AS (
  -- Matters of the previous watchlist merged into an item (a window, not list() in a GROUP BY,
  -- whose states DuckDB cannot spill).
  SELECT c.matter_id, array_to_string(list_sort(list(p.matter_id) OVER (PARTITION BY c.matter_id)), ', ') AS ids
  FROM (SELECT matter_id, unnest(merged_ids) AS member FROM cur) c JOIN prev p ON p.matter_id = c.member
  QUALIFY row_number() OVER (PARTITION BY c.matter_id) = 1
),
within AS (
  -- A new case's cluster on the previous watchlist: the first by id.
  SELECT c.matter_id, min(p.matter_id) AS cluster
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM cur WHERE matter_kind = 'case') c
  JOIN (SELECT matter_id, unnest(case_ids) AS case_id FROM prev WHERE matter_kind = 'cluster') p USING (case_id)
  WHERE c.matter_id NOT IN (SELECT matter_id FROM prev)
  GROUP BY c.matter_id
),
dis AS (
  -- The latest dismissal in force, with the measures of the item dismissed.
  SELECT d.matter_id, d.dismissed_at, r.complainants, r.top_level, r.days_overdue, r.tier
  FROM dismissals d LEFT JOIN watchlist r ON r.run_id = d.run_id AND r.matter_id = d.matter_id
  WHERE d.lifted_at IS NULL
  QUALIFY row_number() OVER (PARTITION BY d.matter_id ORDER BY d.dismissed_at DESC) = 1
),
cmp AS (
  SELECT cur.matter_id, cur.tier, p.tier AS prev_tier, d.matter_id IS NOT NULL AS dismissed,
         d.dismissed_at, m.last_listed, p.matter_id IS NOT NULL AS listed_before,
         m.last_listed IS NOT NULL AS known,
         concat_ws('；',
    CASE WHEN cur.complainants > p.complainants
      THEN printf('信访人由%d人增至%d人', p.complainants, cur.complainants) END,
    CASE WHEN coalesce(CASE cur.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) > coalesce(CASE p.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0)
      THEN printf('越级至%s', CASE cur.top_level WHEN 'county' THEN '县级' WHEN 'city' THEN '市级' WHEN 'province' THEN '省级' WHEN 'national' THEN '国家级' ELSE cur.top_level END) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce(p.days_overdue, 0) = 0
              OR CASE WHEN coalesce(cur.days_overdue, 0) >= $step THEN floor(log2(cur.days_overdue / $step)) + 1 ELSE 0 END > CASE WHEN coalesce(p.days_overdue, 0) >= $step THEN floor(log2(p.days_overdue / $step)) + 1 ELSE 0 END)
      THEN printf('超期%d天（此前%d天）', cur.days_overdue, coalesce(p.days_overdue, 0)) END) AS vs_prev_zh,
         concat_ws('; ',
    CASE WHEN cur.complainants > p.complainants
      THEN printf('complainants up from %d to %d', p.complainants, cur.complainants) END,
    CASE WHEN coalesce(CASE cur.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) > coalesce(CASE p.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0)
      THEN printf('reached %s level', CASE cur.top_level WHEN 'county' THEN 'county' WHEN 'city' THEN 'city' WHEN 'province' THEN 'province' WHEN 'national' THEN 'national' ELSE cur.top_level END) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce(p.days_overdue, 0) = 0
              OR CASE WHEN coalesce(cur.days_overdue, 0) >= $step THEN floor(log2(cur.days_overdue / $step)) + 1 ELSE 0 END > CASE WHEN coalesce(p.days_overdue, 0) >= $step THEN floor(log2(p.days_overdue / $step)) + 1 ELSE 0 END)
      THEN printf('%d days overdue (was %d)', cur.days_overdue, coalesce(p.days_overdue, 0)) END) AS vs_prev_en,
         concat_ws('；',
    CASE WHEN cur.complainants > d.complainants
      THEN printf('信访人由%d人增至%d人', d.complainants, cur.complainants) END,
    CASE WHEN coalesce(CASE cur.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) > coalesce(CASE d.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0)
      THEN printf('越级至%s', CASE cur.top_level WHEN 'county' THEN '县级' WHEN 'city' THEN '市级' WHEN 'province' THEN '省级' WHEN 'national' THEN '国家级' ELSE cur.top_level END) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce(d.days_overdue, 0) = 0
              OR CASE WHEN coalesce(cur.days_overdue, 0) >= $step THEN floor(log2(cur.days_overdue / $step)) + 1 ELSE 0 END > CASE WHEN coalesce(d.days_overdue, 0) >= $step THEN floor(log2(d.days_overdue / $step)) + 1 ELSE 0 END)
      THEN printf('超期%d天（此前%d天）', cur.days_overdue, coalesce(d.days_overdue, 0)) END) AS vs_dis_zh,
         concat_ws('; ',
    CASE WHEN cur.complainants > d.complainants
      THEN printf('complainants up from %d to %d', d.complainants, cur.complainants) END,
    CASE WHEN coalesce(CASE cur.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0) > coalesce(CASE d.top_level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END, 0)
      THEN printf('reached %s level', CASE cur.top_level WHEN 'county' THEN 'county' WHEN 'city' THEN 'city' WHEN 'province' THEN 'province' WHEN 'national' THEN 'national' ELSE cur.top_level END) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce(d.days_overdue, 0) = 0
              OR CASE WHEN coalesce(cur.days_overdue, 0) >= $step THEN floor(log2(cur.days_overdue / $step)) + 1 ELSE 0 END > CASE WHEN coalesce(d.days_overdue, 0) >= $step THEN floor(log2(d.days_overdue / $step)) + 1 ELSE 0 END)
      THEN printf('%d days overdue (was %d)', cur.days_overdue, coalesce(d.days_overdue, 0)) END) AS vs_dis_en,
         CASE cur.tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END < CASE p.tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END AS tier_up,
         CASE cur.tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END > CASE p.tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END AS tier_down,
         CASE WHEN r.state = 'resolved' THEN r.resolved_at END AS resolved_in_review,
         CASE WHEN r.state = 'owned' THEN r.reopened_at END AS reopened_in_review,
         r.state = 'owned' AND coalesce(r.reopened_at > pd.done_at, r.reopened_at IS NOT NULL) AS reopened_since_prev,
         g.ids AS merged_ids, w.cluster AS was_in, cur.first_flagged,
         CASE WHEN cur.first_flagged <= pd.as_of THEN pd.as_of END AS late_after
  FROM cur
  LEFT JOIN prev p USING (matter_id)
  LEFT JOIN dis d USING (matter_id)
  LEFT JOIN earlier m USING (matter_id)
  LEFT JOIN matter_review r USING (matter_id)
  LEFT JOIN merged g USING (matter_id)
  LEFT JOIN within w USING (matter_id)
  CROSS JOIN prev_done pd
)
SELECT matter_id, tier, prev_tier,
  CASE
    WHEN dismissed AND vs_dis_zh = '' THEN 'suppressed'
    WHEN dismissed THEN 'reopened'
    WHEN reopened_since_prev THEN 'reopened'
    WHEN NOT listed_before AND known THEN 'reopened'
    WHEN NOT listed_before THEN 'new'
    WHEN vs_prev_zh <> '' OR tier_up THEN 'worse'
    ELSE 'continuing'
  END AS state,
  concat_ws('；', CASE WHEN merged_ids IS NOT NULL
    THEN printf('与上次清单中涉及相同信访件的事项%s合并', merged_ids) END, CASE WHEN was_in IS NOT NULL
    THEN printf('上次清单中属于事项%s', was_in) END, CASE WHEN resolved_in_review IS NOT NULL
    THEN printf('审阅中已于%s标记化解，数据仍显示预警', strftime(resolved_in_review, '%Y-%m-%d')) END, CASE WHEN reopened_in_review IS NOT NULL
    THEN printf('回访不满意，已于%s重新办理', strftime(reopened_in_review, '%Y-%m-%d')) END, nullif(CASE
    WHEN dismissed AND vs_dis_zh <> '' THEN printf('%s排除后加重：%s', strftime(dismissed_at, '%Y-%m-%d'), vs_dis_zh)
    WHEN NOT dismissed AND NOT listed_before AND known THEN printf('曾于%s列入清单，再次出现', strftime(last_listed, '%Y-%m-%d'))
    WHEN NOT dismissed AND NOT listed_before AND late_after IS NOT NULL THEN printf('%s起即已达到预警条件，但截至%s的上次运行未列入：所据记录为此后补录或更正，或规则设置有变',
      strftime(first_flagged, '%Y-%m-%d'), strftime(late_after, '%Y-%m-%d'))
    WHEN NOT dismissed AND listed_before THEN concat_ws('；', nullif(vs_prev_zh, ''),
      CASE WHEN tier_up THEN printf('等级升为%s', CASE tier WHEN 'red' THEN '红' WHEN 'orange' THEN '橙' WHEN 'yellow' THEN '黄' ELSE tier END)
           WHEN tier_down THEN printf('等级降为%s', CASE tier WHEN 'red' THEN '红' WHEN 'orange' THEN '橙' WHEN 'yellow' THEN '黄' ELSE tier END) END)
    ELSE ''
  END, '')) AS note_zh,
  concat_ws('; ', CASE WHEN merged_ids IS NOT NULL
    THEN printf('merged with %s of the previous list, which share cases with it', merged_ids) END, CASE WHEN was_in IS NOT NULL
    THEN printf('part of %s on the previous list', was_in) END, CASE WHEN resolved_in_review IS NOT NULL
    THEN printf('marked resolved in review on %s but still flagged by the data', strftime(resolved_in_review, '%Y-%m-%d')) END, CASE WHEN reopened_in_review IS NOT NULL
    THEN printf('reopened on %s after an unsatisfied return visit', strftime(reopened_in_review, '%Y-%m-%d')) END, nullif(CASE
    WHEN dismissed AND vs_dis_en <> '' THEN printf('Dismissed on %s, back because %s', strftime(dismissed_at, '%Y-%m-%d'), vs_dis_en)
    WHEN NOT dismissed AND NOT listed_before AND known THEN printf('Listed until %s, back on the list', strftime(last_listed, '%Y-%m-%d'))
    WHEN NOT dismissed AND NOT listed_before AND late_after IS NOT NULL THEN printf('met the rule on %s already, but the last run, as of %s, did not list it: its records were added or corrected since, or the rules changed',
      strftime(first_flagged, '%Y-%m-%d'), strftime(late_after, '%Y-%m-%d'))
    WHEN NOT dismissed AND listed_before THEN concat_ws('; ', nullif(vs_prev_en, ''),
      CASE WHEN tier_up THEN printf('tier up to %s', CASE tier WHEN 'red' THEN 'red' WHEN 'orange' THEN 'orange' WHEN 'yellow' THEN 'yellow' ELSE tier END)
           WHEN tier_down THEN printf('tier down to %s', CASE tier WHEN 'red' THEN 'red' WHEN 'orange' THEN 'orange' WHEN 'yellow' THEN 'yellow' ELSE tier END) END)
    ELSE ''
  END, '')) AS note_en
FROM cmp;

-- ------------------------------------------------------------------------------------------------
-- sql/run_next_seq.sql
-- The place of the next run stored in the order of runs (runs.seq).
SELECT coalesce(max(seq), 0) + 1 FROM runs;

-- ------------------------------------------------------------------------------------------------
-- sql/store_flags.sql, statement 1/4
-- The flags screening collected become run $run_id's, the $seq-th run stored. A flag the latest
-- stored run has alike (every column equal; rule_id and rule_matter_id are a flag's key within a
-- run) keeps its span, which now reaches this run; that run's other flags' spans end with it; the
-- run's other flags begin spans of their own. A night that changes few flags writes few rows.
CREATE OR REPLACE TEMP TABLE "flags_kept" AS
SELECT s.rowid AS span, f.rowid AS flag
FROM flag_spans s JOIN "run_flags" f ON s.rule_id = f.rule_id AND s.rule_matter_id = f.rule_matter_id
WHERE s.to_seq IS NULL
  AND (s.family, s.weight, s.min_tier, s.matter_id, s.matter_kind, s.case_ids, s.contact_ids, s.first_flagged,
       s.strength, s.facts, s.reason_zh, s.reason_en, s.last_evidence, s.live)
      IS NOT DISTINCT FROM
      (f.family, f.weight, f.min_tier, f.matter_id, f.matter_kind, f.case_ids, f.contact_ids, f.first_flagged,
       f.strength, f.facts, f.reason_zh, f.reason_en, f.last_evidence, f.live);

-- ------------------------------------------------------------------------------------------------
-- sql/store_flags.sql, statement 2/4
UPDATE flag_spans SET to_seq = $seq - 1
WHERE to_seq IS NULL AND rowid NOT IN (SELECT span FROM "flags_kept");

-- ------------------------------------------------------------------------------------------------
-- sql/store_flags.sql, statement 3/4
INSERT INTO flag_spans (from_seq, to_seq, rule_id, family, weight, min_tier, "matter_id", "matter_kind", "case_ids", "contact_ids", "first_flagged", "strength", "facts", reason_zh,
  reason_en, rule_matter_id, last_evidence, live)
SELECT $seq, NULL, rule_id, family, weight, min_tier, "matter_id", "matter_kind", "case_ids", "contact_ids", "first_flagged", "strength", "facts", reason_zh, reason_en,
  rule_matter_id, last_evidence, live
FROM "run_flags"
WHERE rowid NOT IN (SELECT flag FROM "flags_kept");

-- ------------------------------------------------------------------------------------------------
-- sql/store_flags.sql, statement 4/4
DROP TABLE "flags_kept";

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_store.sql, statement 1/3
-- The digests of the records this run screened become the latest stored run's (case_digests),
-- for the cases whose records changed; for the others, the resolved state as of this run's date
-- where it changed, and all of them where a database made before the digests of the rules by
-- group has none.
DELETE FROM case_digests WHERE case_id IN (SELECT case_id FROM "changed_cases");

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_store.sql, statement 2/3
INSERT INTO case_digests (case_id, digest, group_key, group_digest, resolved)
SELECT case_id, digest, group_key, group_digest, resolved
FROM "case_digests_now" WHERE case_id IN (SELECT case_id FROM "changed_cases");

-- ------------------------------------------------------------------------------------------------
-- sql/rescreen_store.sql, statement 3/3
UPDATE case_digests SET group_key = n.group_key, group_digest = n.group_digest, resolved = n.resolved
FROM "case_digests_now" n
WHERE n.case_id = case_digests.case_id
  AND (case_digests.group_digest IS NULL OR case_digests.resolved IS DISTINCT FROM n.resolved);

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 1/8
-- The run's items become run $run_id's watchlist (the $seq-th run stored), without those held
-- back by a dismissal, ranked 1..n by tier, then score (highest first), the date first flagged
-- and the matter id.
CREATE OR REPLACE TEMP TABLE "run_listed" AS
WITH listed AS (
  -- Ranked in a narrow projection: sorting whole items costs far more.
  SELECT i.matter_id, row_number() OVER (ORDER BY CASE i.tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, i.score DESC, i.first_flagged, i.matter_id) AS rank,
         t.state, t.note_zh, t.note_en
  FROM "run_measured" i JOIN "tracked" t USING (matter_id)
  WHERE t.state <> 'suppressed'
)
SELECT l.rank, i.matter_id, i.matter_kind, i.tier, i.score, i.rules, i.families, i.reason_zh, i.reason_en,
  i.responsible_unit, i.township, i.category, i.case_ids, i.contact_ids, i.event_ids, i.first_flagged,
  i.complainants, i.top_level, i.days_overdue, l.state, l.note_zh, l.note_en, i.merged_ids, i.last_evidence, n.title
FROM "run_measured" i JOIN listed l USING (matter_id) LEFT JOIN "run_titles" n USING (matter_id);

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 2/8
-- An item the latest stored run listed alike (every column of watchlist_spans equal) keeps its
-- span, which now reaches this run, unless the span began a week of runs ago: a span covers at
-- most $span_runs runs, so that reading a run reads only the spans of its last week (see view
-- watchlist). The latest run's other spans end with it; the run's other items begin spans of
-- their own. Every item gets its rank and measures. A night that changes few items writes few
-- spans, and a week's unchanged items once more.
CREATE OR REPLACE TEMP TABLE "watchlist_kept" AS
SELECT s.rowid AS span, w.rowid AS item, s.from_seq
FROM watchlist_spans s JOIN "run_listed" w USING (matter_id)
WHERE s.to_seq IS NULL AND s.from_seq > $seq - $span_runs
  AND (s.matter_kind, s.rules, s.families, s.reason_zh, s.reason_en, s.responsible_unit, s.township, s.category,
       s.case_ids, s.contact_ids, s.event_ids, s.first_flagged, s.complainants, s.top_level, s.merged_ids,
       s.last_evidence, s.title)
      IS NOT DISTINCT FROM
      (w.matter_kind, w.rules, w.families, w.reason_zh, w.reason_en, w.responsible_unit, w.township, w.category,
       w.case_ids, w.contact_ids, w.event_ids, w.first_flagged, w.complainants, w.top_level, w.merged_ids,
       w.last_evidence, w.title);

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 3/8
UPDATE watchlist_spans SET to_seq = $seq - 1
WHERE to_seq IS NULL AND rowid NOT IN (SELECT span FROM "watchlist_kept");

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 4/8
INSERT INTO watchlist_spans
SELECT $seq, NULL, matter_id, matter_kind, rules, families, reason_zh, reason_en, responsible_unit, township, category,
  case_ids, contact_ids, event_ids, first_flagged, complainants, top_level, merged_ids, last_evidence, title
FROM "run_listed"
WHERE rowid NOT IN (SELECT item FROM "watchlist_kept")
ORDER BY rank;

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 5/8
INSERT INTO watchlist_ranks
SELECT $run_id, CAST($as_of AS DATE), w.rank, w.matter_id, coalesce(k.from_seq, $seq), w.tier, w.score, w.days_overdue,
  w.state, w.note_zh, w.note_en
FROM "run_listed" w LEFT JOIN "watchlist_kept" k ON k.item = w.rowid
ORDER BY w.rank;

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 6/8
DROP TABLE "watchlist_kept";

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 7/8
-- The dismissals of matters that came back are lifted, with the note saying why.
UPDATE dismissals SET lifted_at = now(),
  lifted_reason = (SELECT t.note_zh FROM "tracked" t WHERE t.matter_id = dismissals.matter_id)
WHERE lifted_at IS NULL AND matter_id IN (SELECT matter_id FROM "tracked" WHERE state = 'reopened');

-- ------------------------------------------------------------------------------------------------
-- sql/store_watchlist.sql, statement 8/8
-- The run's changes against the previous run ($prev_run, '' for none), including the matters
-- it cleared: those on the previous watchlist and not among the run's items. A cleared
-- matter's note says when it merged into another, when its flags went quiet (none live:
-- newest evidence older than the active window, no case pending), or that no rule flags it,
-- with how its cases stand as of the run's date: none pending (all answered, closed or
-- terminated), or how many still are.
INSERT INTO matter_changes
SELECT $run_id, matter_id, state, nullif($prev_run, ''), tier, prev_tier, note_zh, note_en FROM "tracked"
UNION ALL
SELECT $run_id, p.matter_id, 'cleared', $prev_run, NULL, p.tier,
       CASE
         WHEN m.into_id IS NOT NULL THEN printf('与涉及相同信访件的事项%s合并，见该事项', m.into_id)
         WHEN q.matter_id IS NOT NULL THEN printf('已平息：最近证据%s，超过活跃期且所涉信访件均不在办理中', coalesce(strftime(q.last_evidence, '%Y-%m-%d'), '-'))
         WHEN cs.pending = 0 THEN '本次不再触发任何预警规则：所涉信访件均已答复、办结或终结'
         WHEN cs.pending > 0 THEN printf('本次不再触发任何预警规则（所涉信访件中%d件仍在办理）', cs.pending)
         ELSE '本次不再触发任何预警规则' END, CASE
         WHEN m.into_id IS NOT NULL THEN printf('merged into %s, which shares cases with it', m.into_id)
         WHEN q.matter_id IS NOT NULL THEN printf('quiet: newest evidence %s, past the active window, and none of its cases pending', coalesce(strftime(q.last_evidence, '%Y-%m-%d'), '-'))
         WHEN cs.pending = 0 THEN 'no rule flags it any more: all its cases are answered, closed or terminated'
         WHEN cs.pending > 0 THEN printf('no rule flags it any more (%d of its cases still pending)', cs.pending)
         ELSE 'no rule flags it any more' END
FROM watchlist p
LEFT JOIN (SELECT matter_id AS into_id, unnest(merged_ids) AS member FROM "run_items") m ON m.member = p.matter_id
LEFT JOIN (SELECT matter_id, max(last_evidence) AS last_evidence FROM "run_flags" GROUP BY ALL) q USING (matter_id)
LEFT JOIN (
  SELECT p.matter_id, count(*) FILTER (WHERE s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM watchlist WHERE run_id = $prev_run) p
  JOIN "case_state" s USING (case_id)
  GROUP BY p.matter_id
) cs USING (matter_id)
WHERE p.run_id = $prev_run AND p.matter_id NOT IN (SELECT matter_id FROM "tracked");

-- ------------------------------------------------------------------------------------------------
-- sql/store_change_counts.sql
-- The number of run $run_id's matters in each state.
SELECT state, count(*) FROM matter_changes WHERE run_id = $run_id GROUP BY state;

-- ------------------------------------------------------------------------------------------------
-- sql/store_due_soon.sql
-- The run's due-soon list (临期预警): the pending cases whose current stage's deadline falls
-- within $due_soon_days days from the as-of date (0 days left: due that day), none when it is 0.
-- Not part of the watchlist's tiers; stored apart, by run.
INSERT INTO due_soon
SELECT $run_id, case_id, stage, deadline, CAST(deadline - CAST($as_of AS DATE) AS INTEGER),
       responsible_unit, township, category, received_date
FROM "case_state"
WHERE pending AND CAST($due_soon_days AS INTEGER) > 0
  AND deadline BETWEEN CAST($as_of AS DATE) AND CAST($as_of AS DATE) + CAST($due_soon_days AS INTEGER)
ORDER BY responsible_unit, deadline, case_id;

-- ------------------------------------------------------------------------------------------------
-- sql/run_tier_counts.sql
SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier;

-- ------------------------------------------------------------------------------------------------
-- sql/run_quiet_matters.sql
-- The matters the run's flags (in run_flags) name none of whose flags is live (see
-- screen_flag_liveness.sql): the rules found them, and they are not on the watchlist.
SELECT count(*) FROM (SELECT matter_id FROM "run_flags" GROUP BY matter_id HAVING NOT bool_or(live));

-- ------------------------------------------------------------------------------------------------
-- sql/run_family_counts.sql
SELECT f, count(*) FROM (SELECT unnest(families) AS f FROM watchlist WHERE run_id = $1) GROUP BY f;

-- ------------------------------------------------------------------------------------------------
-- sql/run_record.sql
INSERT INTO runs (run_id, started_at, finished_at, as_of, version, config_path, config_hash, inputs,
  rule_params, rule_counts, timings, watchlist_items, record, seq)
VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_tables.sql, statement 1/4
-- A backtest's tables, in its scratch database: each screened day's flags and open cases, and
-- the ground truth (one row per planted event and case).
CREATE TABLE bt_flags (day DATE, rule_id VARCHAR, family VARCHAR, matter_id VARCHAR, case_ids VARCHAR[]);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_tables.sql, statement 2/4
CREATE TABLE bt_population (day DATE, open_cases BIGINT);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_tables.sql, statement 3/4
-- Each screened day's pending cases whose current stage falls due from the day before (due
-- yesterday: first overdue today) to watchlist.due_soon_days ahead (see backtest_due_soon.sql).
CREATE TABLE bt_due (day DATE, case_id VARCHAR, stage VARCHAR, deadline DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_tables.sql, statement 4/4
CREATE TEMP TABLE "bt_truth" (
  truth_id VARCHAR, family VARCHAR, kind VARCHAR, case_id VARCHAR, first_date DATE, peak_date DATE);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_open_cases.sql
-- The cases open (not resolved) on the day screened.
INSERT INTO bt_population
SELECT CAST($bt_day AS DATE), count(*) FILTER (WHERE NOT resolved) FROM "case_state";

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_flags.sql
-- One rule's live flagged matters on the day screened (see screen_flag_liveness.sql).
INSERT INTO bt_flags
SELECT CAST($bt_day AS DATE), $bt_rule, $bt_family, f.matter_id, f.case_ids
FROM "rule_flags" f JOIN "flag_liveness" l USING (matter_id)
WHERE l.live;

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_matter_days.sql
-- Matter-days: the open cases summed over the screened days.
SELECT coalesce(sum(open_cases), 0) FROM bt_population;

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_score.sql
-- One row per rule and per family that flagged anything (see BacktestRow for the definitions).
--
-- An alert is raised on the first day a rule (or any rule of a family) flags a matter and again
-- each time it flags it after a day without; it is false when none of the matter's cases
-- belongs to a planted event of the rule's family. A planted event counts when its first day
-- falls from $from to the last day screened; it is detected when a flag of its family covers
-- one of its cases, and its lead time is the days from that first flag to its peak.
WITH flag_cases AS (
  SELECT day, rule_id, family, matter_id, unnest(case_ids) AS case_id FROM bt_flags
),
true_matters AS (
  SELECT DISTINCT f.family, f.matter_id
  FROM flag_cases f JOIN "bt_truth" t ON t.case_id = f.case_id AND t.family = f.family
),
scoped AS (
  SELECT 'rule' AS scope, rule_id AS name, family, day, matter_id FROM bt_flags
  UNION ALL
  SELECT DISTINCT 'family', family, family, day, matter_id FROM bt_flags
),
raised AS (
  SELECT scope, name, family, matter_id,
         lag(day) OVER (PARTITION BY scope, name, matter_id ORDER BY day) AS prev_day, day
  FROM scoped
),
alerts AS (
  SELECT r.scope, r.name, any_value(r.family) AS family, count(*) AS alerts,
         count(*) FILTER (WHERE tm.matter_id IS NULL) AS false_alerts
  FROM raised r LEFT JOIN true_matters tm USING (family, matter_id)
  WHERE r.prev_day IS NULL OR r.prev_day <> r.day - 1
  GROUP BY r.scope, r.name
),
events AS (
  SELECT truth_id, family, any_value(first_date) AS first_date, any_value(peak_date) AS peak_date
  FROM "bt_truth" WHERE first_date >= CAST($from AS DATE) AND first_date <= (SELECT max(day) FROM bt_population)
  GROUP BY truth_id, family
),
detections AS (
  SELECT s.scope, s.name, t.truth_id, min(f.day) AS first_flag
  FROM flag_cases f
  JOIN "bt_truth" t ON t.case_id = f.case_id AND t.family = f.family
  JOIN (SELECT 'rule' AS scope, rule_id AS name, rule_id, family FROM bt_flags
        UNION SELECT 'family', family, rule_id, family FROM bt_flags) s
    ON s.rule_id = f.rule_id
  WHERE t.truth_id IN (SELECT truth_id FROM events)
  GROUP BY s.scope, s.name, t.truth_id
),
named AS (
  SELECT DISTINCT 'rule' AS scope, rule_id AS name, family FROM bt_flags
  UNION SELECT DISTINCT 'family', family, family FROM bt_flags
),
scored AS (
  SELECT n.scope, n.name, n.family,
         (SELECT count(*) FROM events e WHERE e.family = n.family) AS events,
         count(d.truth_id) AS detected,
         median(e.peak_date - d.first_flag) AS median_lead
  FROM named n
  LEFT JOIN detections d USING (scope, name)
  LEFT JOIN events e ON e.truth_id = d.truth_id
  GROUP BY n.scope, n.name, n.family
)
SELECT s.scope, s.name, s.family, s.events, s.detected, coalesce(a.alerts, 0), coalesce(a.false_alerts, 0),
       s.median_lead
FROM scored s LEFT JOIN alerts a USING (scope, name)
ORDER BY s.scope DESC, s.family, s.name;

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_score_kinds.sql
-- Detection per kind of planted event, by any rule of the event's family; events count as in
-- backtest_score.sql.
WITH events AS (
  SELECT truth_id, any_value(family) AS family, any_value(kind) AS kind, any_value(peak_date) AS peak_date
  FROM "bt_truth" WHERE first_date >= CAST($from AS DATE) AND first_date <= (SELECT max(day) FROM bt_population)
  GROUP BY truth_id
),
detections AS (
  SELECT t.truth_id, min(f.day) AS first_flag
  FROM (SELECT day, family, unnest(case_ids) AS case_id FROM bt_flags) f
  JOIN "bt_truth" t ON t.case_id = f.case_id AND t.family = f.family
  GROUP BY t.truth_id
)
SELECT e.kind, e.family, count(*), count(d.truth_id), median(e.peak_date - d.first_flag)
FROM events e LEFT JOIN detections d USING (truth_id)
GROUP BY e.kind, e.family ORDER BY e.family, e.kind;

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_daily.sql
-- The matters each family flagged each day, for the chart.
SELECT day, family, count(DISTINCT matter_id) FROM bt_flags GROUP BY ALL ORDER BY ALL;

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_due_cases.sql
-- The pending cases of the day screened whose current stage falls due from the day before
-- (first overdue that day) to $due_soon_days days ahead (the due-soon list of that day).
INSERT INTO bt_due
SELECT CAST($bt_day AS DATE), case_id, stage, deadline FROM "case_state"
WHERE pending
  AND deadline BETWEEN CAST($bt_day AS DATE) - 1 AND CAST($bt_day AS DATE) + CAST($due_soon_days AS INTEGER);

-- ------------------------------------------------------------------------------------------------
-- sql/backtest_due_soon.sql
-- How the due-soon list (临期预警) did over the backtest. A case became overdue in the range when
-- on a screened day it stood pending in a stage whose deadline was the day before (its first
-- day past the deadline); each stage and deadline counts once. It had been on the list
-- beforehand when on an earlier screened day it stood pending in that stage with that deadline
-- 0 to $due_soon_days days ahead; days ahead is the most days left it was first listed with.
WITH became AS (
  SELECT DISTINCT case_id, stage, deadline, day FROM bt_due WHERE deadline = day - 1
),
listed AS (
  SELECT b.case_id, b.stage, b.deadline, max(d.deadline - d.day) AS ahead
  FROM became b JOIN bt_due d
    ON d.case_id = b.case_id AND d.stage = b.stage AND d.deadline = b.deadline
   AND d.day < b.day AND d.deadline - d.day BETWEEN 0 AND CAST($due_soon_days AS INTEGER)
  GROUP BY ALL
)
SELECT (SELECT count(*) FROM became), count(*), median(ahead) FROM listed;

-- ------------------------------------------------------------------------------------------------
-- sql/topic_contacts.sql
-- topics: the contacts of one period, on a day $from_day .. $to_day days before $as_of, in the
-- order of their cases (ck), for topic_messages.sql to read a range of cases at a time: day
-- counted back from $as_of, person the contact's person key, or the case's own key negated when
-- it has none.
CREATE OR REPLACE TEMP TABLE "topic_contacts" AS
SELECT ck, CAST(CAST($as_of AS DATE) - contact_date AS INTEGER) AS day, coalesce(pk, -ck) AS person
FROM "case_contacts"
WHERE contact_date BETWEEN CAST($as_of AS DATE) - CAST($to_day AS INTEGER)
                       AND CAST($as_of AS DATE) - CAST($from_day AS INTEGER)
ORDER BY ck;

-- ------------------------------------------------------------------------------------------------
-- sql/topic_ranges.sql
-- topics: the first and last case (ck) of topic_contacts and how many contacts it holds, from
-- which the stage cuts its ranges (-1 for the last when it is empty).
SELECT coalesce(min(ck), 0), coalesce(max(ck), -1), count(*) FROM "topic_contacts";

-- ------------------------------------------------------------------------------------------------
-- sql/topic_messages.sql
-- topics: the messages of one range of cases ($from .. $to, as ck) of topic_contacts: each case
-- with text and a contact in the period, with those contacts as "day:person" pairs, in no
-- particular order (what the detector finds does not depend on it, and sorting the texts
-- costs). The driver holds a query's whole result until it is read, outside DuckDB's memory
-- limit: a province's period is gigabytes of text, so the stage reads it a range at a time.
-- One range's string_agg() states are few enough to hold (DuckDB cannot spill them).
WITH k AS (
  SELECT ck, string_agg(day || ':' || person, ',') AS contacts
  FROM "topic_contacts"
  WHERE ck BETWEEN $from AND $to
  GROUP BY ck
)
SELECT c.case_id, c.content, coalesce(c.township, ''), coalesce(c.category, ''), k.contacts
FROM k JOIN cases c ON c.rowid = k.ck
WHERE c.rowid BETWEEN $from AND $to AND c.content IS NOT NULL AND c.content <> '';

-- ------------------------------------------------------------------------------------------------
-- sql/topic_table.sql
-- topics: the run's emerging topics until the run is stored (topic_store.sql), most significant
-- first. Lists arrive as JSON text from Go.
CREATE OR REPLACE TEMP TABLE "run_topics" (
  rank INTEGER, phrase VARCHAR, related VARCHAR[], complainants INTEGER, messages INTEGER,
  expected DOUBLE, p_value DOUBLE, baseline_days INTEGER, first_date DATE, last_date DATE,
  example_case_ids VARCHAR[], places VARCHAR[], place_messages INTEGER[]);

-- ------------------------------------------------------------------------------------------------
-- sql/topic_add.sql
-- topics: one topic of the run.
INSERT INTO "run_topics" VALUES (
  $rank, $phrase, from_json($related, '["VARCHAR"]'), $complainants, $messages, $expected, $p_value,
  $baseline_days, CAST($first_date AS DATE), CAST($last_date AS DATE),
  from_json($examples, '["VARCHAR"]'), from_json($places, '["VARCHAR"]'), from_json($place_messages, '["INTEGER"]'));

-- ------------------------------------------------------------------------------------------------
-- sql/topic_store.sql
-- topics: store the run's emerging topics as $run_id's.
INSERT INTO topic_bursts
SELECT $run_id, rank, phrase, related, complainants, messages, expected, p_value, baseline_days,
       first_date, last_date, example_case_ids, places, place_messages
FROM "run_topics" ORDER BY rank;
