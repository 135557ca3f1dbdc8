package review

import (
	"context"
	"database/sql"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Execer is what EnsureSchema writes through: *sql.DB, *sql.Conn or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Schema creates the review tables. The dismissals table belongs to the pipeline's schema (it
// is the contract with the nightly run) and is created here too, identically, so the review
// app works on a database no run has touched yet.
//
//   - matter_review: one row per matter a leader has acted on: its state (owned, resolved,
//     dismissed), owner (包案领导), plan, due date and a version that every change increments
//     (optimistic concurrency: a change based on an older version is refused).
//   - progress_notes: dated progress records of a matter, appended, never changed.
//   - audit_log: every action in the review app, appended, never changed: who, when, what, the
//     matter, and its review state before and after as JSON.
var Schema = []string{
	`CREATE TABLE IF NOT EXISTS matter_review (
  matter_id VARCHAR NOT NULL, state VARCHAR NOT NULL, owner VARCHAR, plan VARCHAR, due_date DATE,
  taken_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ, version BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL, updated_by VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS progress_notes (
  matter_id VARCHAR NOT NULL, noted_at TIMESTAMPTZ NOT NULL, author VARCHAR NOT NULL, note VARCHAR NOT NULL)`,
	`CREATE SEQUENCE IF NOT EXISTS audit_log_seq`,
	`CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT NOT NULL DEFAULT nextval('audit_log_seq'), acted_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL,
  role VARCHAR NOT NULL, action VARCHAR NOT NULL, matter_id VARCHAR, before_state JSON, after_state JSON)`,
	`CREATE TABLE IF NOT EXISTS dismissals (
  matter_id VARCHAR, run_id VARCHAR, dismissed_by VARCHAR, dismissed_at TIMESTAMPTZ,
  reason VARCHAR, lifted_at TIMESTAMPTZ, lifted_reason VARCHAR)`,
}

// EnsureSchema creates the review tables that do not exist yet.
func EnsureSchema(ctx context.Context, q Execer) error {
	for _, s := range Schema {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return i18n.Wrap(err, "web.db.review_tables")
		}
	}
	return nil
}
