-- The review tables (see Schema). dismissals belongs to the pipeline's schema and is created
-- here too, identically, so the review app works on a database no run has touched yet.
CREATE TABLE IF NOT EXISTS {{.matter_review}} (
  matter_id VARCHAR NOT NULL, state VARCHAR NOT NULL, owner VARCHAR, plan VARCHAR, due_date DATE,
  taken_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ, version BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL, updated_by VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS {{.progress_notes}} (
  matter_id VARCHAR NOT NULL, noted_at TIMESTAMPTZ NOT NULL, author VARCHAR NOT NULL, note VARCHAR NOT NULL);
CREATE SEQUENCE IF NOT EXISTS audit_log_seq;
CREATE TABLE IF NOT EXISTS {{.audit_log}} (
  seq BIGINT NOT NULL DEFAULT nextval('audit_log_seq'), acted_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL,
  role VARCHAR NOT NULL, action VARCHAR NOT NULL, matter_id VARCHAR, before_state JSON, after_state JSON);
CREATE TABLE IF NOT EXISTS {{.dismissals}} (
  matter_id VARCHAR, run_id VARCHAR, dismissed_by VARCHAR, dismissed_at TIMESTAMPTZ,
  reason VARCHAR, lifted_at TIMESTAMPTZ, lifted_reason VARCHAR);
-- The watchlist's merged_ids and title, which the pipeline's schema adds, are added here too so the
-- app can read a database only an earlier version has run on (its titles are empty: the app
-- composes them).
ALTER TABLE IF EXISTS {{.watchlist}} ADD COLUMN IF NOT EXISTS merged_ids VARCHAR[];
ALTER TABLE IF EXISTS {{.watchlist}} ADD COLUMN IF NOT EXISTS title VARCHAR;
