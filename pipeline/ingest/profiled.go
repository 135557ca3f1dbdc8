package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/pseudo"
)

// loadProfiled maps one file through its profile in Go, hands the rows and rejects to DuckDB
// as Arrow batches, validates codes and duplicate ids there, and loads the cases with the
// contact and events each implies: the first contact on the received date, "accepted" on the
// received date and "closed" on the closing date. It fills res's counts and timings.
func loadProfiled(ctx context.Context, q *sql.Conn, runID string, f InputFile, res *FileResult) error {
	in := f.src
	r, err := openSource(in.mapping, f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	makeMapper := func() *mapper {
		var hasher *pseudo.Hasher
		if in.hasher != nil {
			hasher = in.hasher.Clone()
		}
		return newMapper(in.mapping, hasher, in.zone, f.latest)
	}
	// The rows are loaded while later ones are still being mapped: Go side and hand-off
	// overlap, and are timed up to the last batch handed over and from there.
	start := time.Now()
	cases := streamCases(ctx, r, makeMapper, runtime.GOMAXPROCS(0))
	stmt := "CREATE OR REPLACE TEMP TABLE stage_src AS SELECT * FROM src_cases"
	loadErr := fromArrow(ctx, q, "src_cases", cases, stmt)
	counts, mapped, err := cases.Wait()
	switch {
	case err != nil && !errors.Is(err, errStopped):
		return err // a read error, which DuckDB saw as a failing stream
	case ctx.Err() != nil:
		return ctx.Err()
	case loadErr != nil:
		return fmt.Errorf("load %s: %w", f.Path, loadErr)
	case err != nil:
		return fmt.Errorf("load %s: reading stopped before the end of the file; this is a bug, please report it", f.Path)
	}
	res.GoSeconds = mapped.Sub(start).Seconds()
	rejects, err := array.NewRecordReader(rejectSchema, []arrow.RecordBatch{rejectBatch(counts.Rejects)})
	if err != nil {
		return err
	}
	stmt = fmt.Sprintf("INSERT INTO quarantine SELECT %s, %s, line, field, reason, raw FROM src_rejects", db.Literal(runID), db.Literal(f.Path))
	if err := fromArrow(ctx, q, "src_rejects", rejects, stmt); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	res.HandOffSeconds = time.Since(mapped).Seconds()
	dropped, err := validate(ctx, q, runID, f, "stage_src", "_line")
	if err != nil {
		return err
	}
	var loaded int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM stage_src").Scan(&loaded); err != nil {
		return err
	}
	read, quarantined := counts.Read, int64(len(counts.Rejects))+dropped
	if read != loaded+quarantined {
		return fmt.Errorf("load %s: %d rows read but %d loaded and %d quarantined; this is a bug, please report it", f.Path, read, loaded, quarantined)
	}
	contacts := `SELECT case_id AS contact_id, case_id, received_date AS contact_date, channel, level,
  complainant_id AS person_id, head_count, category, township FROM stage_src`
	events := `SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, received_date AS event_date FROM stage_src
UNION ALL SELECT case_id || ':closed', case_id, 'closed', closed_date FROM stage_src WHERE closed_date IS NOT NULL`
	// Records this file replaces are deleted first; a first load, into empty tables, has none.
	var replacing bool
	if err := q.QueryRowContext(ctx, "SELECT EXISTS (FROM cases) OR EXISTS (FROM contacts) OR EXISTS (FROM events)").Scan(&replacing); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	var stmts []string
	if replacing {
		stmts = append(stmts,
			"DELETE FROM cases WHERE case_id IN (SELECT case_id FROM stage_src)",
			"DELETE FROM contacts WHERE contact_id IN (SELECT case_id FROM stage_src)",
			"DELETE FROM events WHERE event_id IN (SELECT case_id || ':accepted' FROM stage_src UNION ALL SELECT case_id || ':closed' FROM stage_src)")
	}
	stmts = append(stmts,
		fmt.Sprintf("INSERT INTO cases (%s) SELECT %s FROM stage_src", columnList(data.Cases), columnList(data.Cases)),
		fmt.Sprintf("INSERT INTO contacts (%s) %s", columnList(data.Contacts), contacts),
		fmt.Sprintf("INSERT INTO events (%s) %s", columnList(data.Events), events),
		`INSERT INTO person_keys SELECT DISTINCT complainant_id, complainant_idno_key, complainant_namephone_key FROM stage_src
  WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
  EXCEPT SELECT person_id, idno_key, namephone_key FROM person_keys`,
		"DROP TABLE stage_src")
	if err := db.Exec(ctx, q, stmts...); err != nil {
		return fmt.Errorf("load %s: %w", f.Path, err)
	}
	res.Read, res.Loaded, res.Quarantined = read, loaded, quarantined
	return nil
}
