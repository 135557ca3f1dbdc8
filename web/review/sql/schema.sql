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
-- 包案 (issue 15): who assigned the matter and by when its plan is due; the latest return visit
-- (回访) and the complainant's satisfaction; when an unsatisfied return visit reopened it (the
-- nightly run reads it). Added to databases made before them.
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS assigned_by VARCHAR;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS plan_deadline DATE;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS visited_at TIMESTAMPTZ;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS visited_by VARCHAR;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS visit_note VARCHAR;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS satisfaction VARCHAR;
ALTER TABLE {{.matter_review}} ADD COLUMN IF NOT EXISTS reopened_at TIMESTAMPTZ;
-- Supervision (督办): the office presses a matter's owner with a note and a deadline; appended,
-- never changed, so the ledger can show every one. The latest is the one in force.
CREATE TABLE IF NOT EXISTS {{.supervisions}} (
  matter_id VARCHAR NOT NULL, supervised_at TIMESTAMPTZ NOT NULL, supervised_by VARCHAR NOT NULL,
  note VARCHAR NOT NULL, deadline DATE NOT NULL);
-- A dismissal's free note beside its configured reason (serve.dismissal_reasons).
ALTER TABLE {{.dismissals}} ADD COLUMN IF NOT EXISTS note VARCHAR;
-- Signed-in users' sessions (see sessions.go): keyed by a hash of the session token, never the
-- token itself, so that the table alone cannot sign anyone in.
CREATE TABLE IF NOT EXISTS {{.sessions}} (
  token_hash VARCHAR NOT NULL, user_name VARCHAR NOT NULL, role VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
