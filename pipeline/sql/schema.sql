-- The pipeline's own tables; the canonical record tables come from package data and the review
-- tables from web/review. Every run and backtest creates those missing.

-- loaded_files: each input file a run loaded, by checksum, so that later runs skip it.
CREATE TABLE IF NOT EXISTS loaded_files (
  sha256 VARCHAR, path VARCHAR, table_name VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
  rows_quarantined BIGINT, run_id VARCHAR, loaded_at TIMESTAMPTZ);
-- mapping: the digest of the profile source a file was read through ('' for canonical files):
-- the same file read through a changed profile loads again.
ALTER TABLE loaded_files ADD COLUMN IF NOT EXISTS mapping VARCHAR;

-- quarantine: the rows a run rejected, with the file line and field at fault.
CREATE TABLE IF NOT EXISTS quarantine (
  run_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR);

-- record_id: the quarantined record's own id (its case id for an event without one), as the
-- export writes it, where the row was read that far (NULL for records a reader rejected whole:
-- their raw text shows it), so that a clerk finds the record by the id too.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS record_id VARCHAR;

-- set_aside: the identifiers a run set aside in rows it loaded (an id number or phone that is
-- not one, which then identifies no one), as quarantine has them; the reason ends row_kept.
CREATE TABLE IF NOT EXISTS set_aside (
  run_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR, record_id VARCHAR);

-- runs: one record per stored run.
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, as_of DATE, version VARCHAR,
  config_path VARCHAR, config_hash VARCHAR, inputs JSON, rule_params JSON, rule_counts JSON,
  timings JSON, watchlist_items BIGINT);
-- record: the whole run record, as summary.json holds it, so that a run's outputs can be
-- written again from the database (NULL for runs an earlier version stored).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS record JSON;

-- seq: the order runs were stored in (1, 2, ...), which flag_spans and watchlist_spans refer
-- to. Runs an earlier version stored get theirs in the order they finished.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS seq BIGINT;
UPDATE runs SET seq = n.seq
FROM (
  SELECT run_id, (SELECT coalesce(max(seq), 0) FROM runs) + row_number() OVER (ORDER BY finished_at, run_id) AS seq
  FROM runs WHERE seq IS NULL
) n
WHERE runs.run_id = n.run_id;

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

-- watchlist_ranks: every run's watchlist, one row per matter: its rank, the from_seq of the span
-- holding its item, tier, score, days past the deadline, and its state against the previous run
-- with the note saying what changed. Each row carries its run's as-of date (one value a run,
-- stored in next to no space), so that view watchlist reads a run's items without its record,
-- which is stored after them.
CREATE TABLE IF NOT EXISTS watchlist_ranks (
  run_id VARCHAR, as_of DATE, rank INTEGER, matter_id VARCHAR, from_seq BIGINT, tier VARCHAR,
  score DOUBLE, days_overdue INTEGER, state VARCHAR, state_note_zh VARCHAR, state_note_en VARCHAR);

-- matter_changes: each run's changes against the previous run, including the matters it
-- cleared or suppressed, which are not on its watchlist.
CREATE TABLE IF NOT EXISTS matter_changes (
  run_id VARCHAR, matter_id VARCHAR, state VARCHAR, prev_run_id VARCHAR, tier VARCHAR,
  prev_tier VARCHAR, note_zh VARCHAR, note_en VARCHAR);

-- due_soon: each run's due-soon list (临期预警): the cases pending as of its as-of date whose
-- current stage falls due within watchlist.due_soon_days of it (days_left 0 = due that day).
-- Computed each run from the case state, so a case whose stage moved on is on no later list.
CREATE TABLE IF NOT EXISTS due_soon (
  run_id VARCHAR, case_id VARCHAR, stage VARCHAR, deadline DATE, days_left INTEGER,
  responsible_unit VARCHAR, township VARCHAR, category VARCHAR, received_date DATE);

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
ALTER TABLE case_places ADD COLUMN IF NOT EXISTS written VARCHAR;
ALTER TABLE case_places DROP COLUMN IF EXISTS content_hash;
ALTER TABLE case_places ADD COLUMN IF NOT EXISTS text_hash UBIGINT;

-- topic_bursts: each run's emerging topics (新出现的热点话题, pipeline/topics.go), most significant
-- first: a phrase of the cases' text and the phrases that rose with it; in the run's window, its
-- distinct complainants and messages (contacts) against the complainants its baseline expects,
-- the test's p value and baseline days, its first and last day, a few case ids (first written
-- first) and its townships with most messages. Not matters: a topic is about what is said.
CREATE TABLE IF NOT EXISTS topic_bursts (
  run_id VARCHAR, rank INTEGER, phrase VARCHAR, related VARCHAR[], complainants INTEGER,
  messages INTEGER, expected DOUBLE, p_value DOUBLE, baseline_days INTEGER, first_date DATE,
  last_date DATE, example_case_ids VARCHAR[], places VARCHAR[], place_messages INTEGER[]);

-- case_digests: a digest of each case's records (its cases row, contacts and events) as the
-- latest stored run screened them, with what the rules by group read of them, so that the next
-- run can tell which cases' records changed since (see pipeline/rescreen.go and
-- rescreen_digests.sql).
CREATE TABLE IF NOT EXISTS case_digests (case_id VARCHAR, digest UBIGINT);
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS group_key UBIGINT;
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS group_digest UBIGINT;
ALTER TABLE case_digests ADD COLUMN IF NOT EXISTS resolved BOOLEAN;

-- screened_stretches: the unbroken stretches of the records (package rules, records_from.sql) up
-- to the latest stored run's as-of date, so that the next run can tell whether they changed
-- before it (rules.StretchesChanged).
CREATE TABLE IF NOT EXISTS screened_stretches (s DATE, e DATE);
