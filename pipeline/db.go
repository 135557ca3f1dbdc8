package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// ErrLocked reports that another process holds the database; the error of OpenDB is then a
// *LockError, which says which.
var ErrLocked error = i18n.Errorf("run.err.locked")

// LockError is a database file another process holds: errors.Is(err, ErrLocked) matches it.
type LockError struct {
	Path    string // the database file
	PID     int    // the process holding it
	Program string // that process's program, as DuckDB names it
}

func (e *LockError) Error() string { return e.Localize(i18n.Default) }

// Localize says, in lang, who holds the database and what to do.
func (e *LockError) Localize(lang string) string {
	return i18n.T(lang, "run.err.locked_by", e.Path, e.PID, e.Program)
}

// Is makes a LockError match ErrLocked.
func (e *LockError) Is(target error) bool { return target == ErrLocked }

var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// memory_limit is the whole run's memory budget. DuckDB's buffer pool gets duckDBShare of it;
// the rest is for what DuckDB allocates outside its pool (at a million messages about a fifth
// of the pool) and for earlywarn's own work in Go. Go gets a soft limit of goShare: its large
// work (place extraction, the hot-issue rule, topics) runs between the steps that fill DuckDB's
// pool (loading, screening tables), when the pool holds little beyond cached table blocks.
const (
	duckDBShare = 0.75
	goShare     = 0.4
)

// While a stage holds much in Go (topics: its window's messages), DuckDB's pool gives up all
// but duckDBShareInGo of the budget (its cached table blocks, which it reads again when needed)
// and Go's soft limit rises to goShareInGo: the two shares above overlap, and at 10^8 contacts
// the stage held 1.4 GiB in Go beside a full pool. See inGoWork.
const (
	duckDBShareInGo = 0.3
	goShareInGo     = 0.65
)

// inGoWork runs f with DuckDB's memory_limit and Go's soft memory limit set for work in Go
// (duckDBShareInGo, goShareInGo) and restores both after. Without a budget it only runs f; when
// DuckDB cannot give up its memory (it holds more than the lower limit pinned), f runs under the
// usual limits.
func inGoWork(ctx context.Context, q *sql.Conn, cfg configs.Config, f func() error) (err error) {
	budget := cfg.MemoryBytes()
	if budget == 0 {
		return f()
	}
	lower := fmt.Sprintf("SET memory_limit = '%dKiB'", int64(float64(budget)*duckDBShareInGo)>>10)
	if _, err := q.ExecContext(ctx, lower); err != nil {
		return f()
	}
	defer func() {
		_, restore := q.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+db.Literal(duckDBMemory(cfg)))
		err = errors.Join(err, restore)
	}()
	if prev := debug.SetMemoryLimit(-1); prev != math.MaxInt64 {
		debug.SetMemoryLimit(int64(float64(budget) * goShareInGo))
		defer debug.SetMemoryLimit(prev)
	}
	return f()
}

// releaseGoMemory collects the garbage of a step whose work is in Go (place extraction, a rule
// evaluated in Go, topics) and returns the heap's free pages to the OS, so that they are not
// resident while DuckDB's pool fills in the steps after it; but only when the heap, in use or
// free, is more than half of Go's memory limit (GoMemoryLimit; never without one): it costs a
// collection, and the next step's allocations fault the pages in again, more than a small board
// gains from it. (At 10^8 contacts, when only free pages counted, the Go heap stayed at
// 639 MiB from the end of topics through the watchlist.)
func releaseGoMemory() {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if int64(m.HeapAlloc+m.HeapIdle-m.HeapReleased) > limit/2 {
		debug.FreeOSMemory()
	}
}

// duckDBMemory is DuckDB's memory_limit under cfg's budget; "" for DuckDB's own default (no
// memory_limit configured).
func duckDBMemory(cfg configs.Config) string {
	n := duckDBMemoryBytes(cfg)
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// duckDBMemoryBytes is DuckDB's memory_limit under cfg's budget in bytes (a multiple of 1 KiB);
// 0 for none.
func duckDBMemoryBytes(cfg configs.Config) int64 {
	return int64(float64(cfg.MemoryBytes())*duckDBShare) >> 10 << 10
}

// GoMemoryLimit is the Go runtime's soft memory limit (runtime/debug.SetMemoryLimit) under
// cfg's budget; 0 for none (no memory_limit configured).
func GoMemoryLimit(cfg configs.Config) int64 {
	return int64(float64(cfg.MemoryBytes()) * goShare)
}

// QueryLogEnv names the environment variable that, set to a folder, makes every database a run
// opens log each statement with its start time to CSV files there (DuckDB's QueryLog): a
// developer's view of where a run's time goes (CONTRIBUTING.md, scripts/querylog). It logs
// SQL text only, which holds no record's values: those come in as parameters or from tables.
const QueryLogEnv = "EARLYWARN_QUERY_LOG"

// OpenDB opens (creating if needed) the DuckDB file at path with the settings a run needs: no
// extension downloads, the configured time zone and resources. A file held by another process
// fails at once with a *LockError (ErrLocked) naming the holder's PID.
func OpenDB(ctx context.Context, path string, cfg configs.Config) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, i18n.Wrap(err, "run.err.db_folder", path)
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
		if m := duckDBMemory(cfg); m != "" {
			settings = append(settings, "SET memory_limit = "+db.Literal(m))
		}
		if dir := os.Getenv(QueryLogEnv); dir != "" {
			settings = append(settings, "CALL enable_logging('QueryLog', storage = 'file', storage_path = "+db.Literal(dir)+")")
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
	pool := sql.OpenDB(connector)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, openError(path, err)
	}
	return pool, nil
}

func openError(path string, err error) error {
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		pid, _ := strconv.Atoi(m[2])
		return &LockError{Path: path, PID: pid, Program: m[1]}
	}
	if path == "" { // the in-memory database on which Prepare checks the settings
		return i18n.Wrap(err, "run.err.settings")
	}
	return i18n.Wrap(err, "run.err.open_db", path)
}

// EnsureSchema creates or updates the tables of the database pool (at path), as each run does
// first, so that earlywarn serve reads a database an earlier version made (e.g. events without
// result) before its first run.
func EnsureSchema(ctx context.Context, pool *sql.DB, path string) error {
	q, err := pool.Conn(ctx)
	if err != nil {
		return i18n.Wrap(err, "run.err.prepare_db", path)
	}
	defer q.Close()
	if err := db.InTransaction(ctx, q, func() error { return ensureSchema(ctx, q) }); err != nil {
		return i18n.Wrap(err, "run.err.prepare_db", path)
	}
	return nil
}

// ensureSchema creates the tables missing (schemaDDL) and the views flags and watchlist. A
// database an earlier version made keeps one copy per run of each in a table of that name: its
// flags move into flag_spans (sql/schema_flags_migrate.sql), its watchlists into watchlist_spans
// and watchlist_ranks (sql/schema_watchlist_migrate.sql). Callers run it in a transaction, so
// that it happens whole or not at all.
func ensureSchema(ctx context.Context, q db.Querier) error {
	if err := db.Exec(ctx, q, schemaDDL()...); err != nil {
		return err
	}
	for _, v := range []struct {
		name            string
		migrate, create []string
	}{{"flags", flagsMigrateSQL, flagsViewSQL}, {"watchlist", watchlistMigrateSQL, watchlistViewSQL}} {
		old, err := db.IsTable(ctx, q, v.name)
		if err != nil {
			return err
		}
		if old {
			if err := db.Exec(ctx, q, v.migrate...); err != nil {
				return err
			}
		}
		if err := db.Exec(ctx, q, v.create...); err != nil {
			return err
		}
	}
	return nil
}

// schemaDDL creates the tables a run reads and writes. The canonical record tables come from
// package data, the review tables from web/review; the rest belong to the pipeline
// (sql/schema.sql).
func schemaDDL() []string {
	var stmts []string
	for _, t := range append(data.Tables, data.ContactLinks, data.PersonKeys, data.CaseKeys) {
		stmts = append(stmts, t.CreateSQL())
		// A database made by an earlier version gains the columns added since.
		for _, c := range t.Columns {
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s", t.Name, c.Name, c.Type))
		}
	}
	// The review tables, dismissals among them: the review app writes them and each run reads
	// them (see track), so a run creates them too.
	stmts = append(stmts, review.Schema...)
	// The pipeline's own tables.
	return append(stmts, schemaSQL...)
}
