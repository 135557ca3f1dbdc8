package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/web/review"
)

// ErrLocked reports that another process holds the database.
var ErrLocked = errors.New("database is in use by another process")

var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// OpenDB opens (creating if needed) the DuckDB file at path with the settings a run needs: no
// extension downloads, the configured time zone and resources. A file held by another process
// fails at once with ErrLocked and the holder's PID.
func OpenDB(ctx context.Context, path string, cfg configs.Config) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("database folder for %s: %w", path, err)
	}
	connector, err := duckdb.NewConnector(path, func(execer driver.ExecerContext) error {
		settings := []string{
			"SET autoinstall_known_extensions = false",
			"SET autoload_known_extensions = false",
			"SET TimeZone = " + db.Literal(cfg.TimeZone),
		}
		if cfg.Threads > 0 {
			settings = append(settings, fmt.Sprintf("SET threads = %d", cfg.Threads))
		}
		if cfg.MemoryLimit != "" {
			settings = append(settings, "SET memory_limit = "+db.Literal(cfg.MemoryLimit))
		}
		for _, s := range settings {
			if _, err := execer.ExecContext(ctx, s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, openError(path, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return db, nil
}

func openError(path string, err error) error {
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%w: %s is held by PID %s (%s); wait for that run to finish, or stop it, then try again", ErrLocked, path, m[2], m[1])
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// literal is db.Literal and execAll db.Exec, under the names the stages not yet moved into
// packages of their own (publish, screen, backtest) call them by.
func literal(s string) string { return db.Literal(s) }

func execAll(ctx context.Context, q *sql.Conn, stmts ...string) error {
	return db.Exec(ctx, q, stmts...)
}

// schemaDDL creates the tables a run reads and writes. The canonical record tables come from
// package data; the rest belong to the pipeline.
func schemaDDL() []string {
	var stmts []string
	for _, t := range append(data.Tables, data.ContactLinks, data.PersonKeys) {
		stmts = append(stmts, t.CreateSQL())
		// A database made by an earlier version gains the columns added since.
		for _, c := range t.Columns {
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s", t.Name, c.Name, c.Type))
		}
	}
	// The review tables, dismissals among them: the review app writes them and each run reads
	// them (see track), so a run creates them too.
	stmts = append(stmts, review.Schema...)
	return append(stmts,
		`CREATE TABLE IF NOT EXISTS loaded_files (
  sha256 VARCHAR, path VARCHAR, table_name VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
  rows_quarantined BIGINT, run_id VARCHAR, loaded_at TIMESTAMPTZ)`,
		`CREATE TABLE IF NOT EXISTS quarantine (
  run_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, as_of DATE, version VARCHAR,
  config_path VARCHAR, config_hash VARCHAR, inputs JSON, rule_params JSON, rule_counts JSON,
  timings JSON, watchlist_items BIGINT)`,
		`CREATE TABLE IF NOT EXISTS flags (
  run_id VARCHAR, rule_id VARCHAR, family VARCHAR, weight DOUBLE, min_tier VARCHAR,
  matter_id VARCHAR, matter_kind VARCHAR, case_ids VARCHAR[], contact_ids VARCHAR[],
  first_flagged DATE, strength DOUBLE, facts JSON,
  reason_zh VARCHAR, reason_en VARCHAR)`,
		`CREATE TABLE IF NOT EXISTS watchlist (
  run_id VARCHAR, rank INTEGER, matter_id VARCHAR, matter_kind VARCHAR, tier VARCHAR,
  score DOUBLE, rules VARCHAR[], families VARCHAR[], reason_zh VARCHAR, reason_en VARCHAR,
  responsible_unit VARCHAR, township VARCHAR, category VARCHAR, case_ids VARCHAR[],
  contact_ids VARCHAR[], event_ids VARCHAR[], first_flagged DATE, as_of DATE,
  complainants INTEGER, top_level VARCHAR, days_overdue INTEGER,
  state VARCHAR, state_note_zh VARCHAR, state_note_en VARCHAR)`,
		changesDDL,
	)
}
