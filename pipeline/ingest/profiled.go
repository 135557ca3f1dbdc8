package ingest

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"slices"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/pseudo"
)

// loadProfiled maps one file through its profile's source in Go, hands the rows and rejects to
// DuckDB as Arrow batches, validates codes and duplicate ids there, and loads the records of
// the source's table. A cases source also loads what each case implies (see profiledSQL). It
// fills res's counts and timings.
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
	src := in.mapping.ProfileSource
	rows := streamRows(ctx, r, makeMapper, in.mapping.schema, runtime.GOMAXPROCS(0))
	loadErr := fromArrow(ctx, q, srcCasesView, rows, renderSQL(profiledStageSQL, nil))
	counts, mapped, err := rows.Wait()
	switch {
	case err != nil && !errors.Is(err, errStopped):
		return err // a read error, which DuckDB saw as a failing stream
	case ctx.Err() != nil:
		return ctx.Err()
	case loadErr != nil:
		return i18n.Wrap(loadErr, "ingest.load", f.Path)
	case err != nil:
		return i18n.Errorf("ingest.bug.stopped", f.Path)
	}
	res.GoSeconds = mapped.Sub(start).Seconds()
	if err := storeRejects(ctx, q, renderSQL(profiledRejectsSQL, nil), counts.Rejects, runID, f.Path); err != nil {
		return err
	}
	res.HandOffSeconds = time.Since(mapped).Seconds()
	// Rows sharing a case key share their case id by design: it is their contact ids that
	// must not repeat.
	sh := in.mapping.shape
	vf := f
	vf.Table = stagedTable(f.Table, sh)
	if sh.key {
		vf.Table.Key = "contact_id"
	}
	dropped, err := validate(ctx, q, runID, vf, stageSrcTable, "_line", 0)
	if err != nil {
		return err
	}
	if sh.key {
		if res.SentTwice, err = quarantineSentTwice(ctx, q, runID, f.Path, sh); err != nil {
			return i18n.Wrap(err, "ingest.load", f.Path)
		}
		dropped += res.SentTwice
	}
	// The rows with identifiers set aside, once validation has quarantined what it would.
	if err := storeRejects(ctx, q, renderSQL(profiledSetAsideSQL, nil), counts.SetAside, runID, f.Path); err != nil {
		return err
	}
	var loaded int64
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageSrcTable)})).Scan(&loaded); err != nil {
		return err
	}
	read, quarantined := counts.Read, int64(len(counts.Rejects))+dropped
	// Records this file replaces are deleted first; a first load, into empty tables, has none.
	var replacing bool
	if err := q.QueryRowContext(ctx, renderSQL(profiledReplacingSQL, nil)).Scan(&replacing); err != nil {
		return i18n.Wrap(err, "ingest.load", f.Path)
	}
	for _, stmt := range profiledSQL(src, sh, replacing) {
		if _, err := execSQL(ctx, q, stmt); err != nil {
			return i18n.Wrap(err, "ingest.load", f.Path)
		}
	}
	if err := db.DropTemp(ctx, q, stageSrcTable, stageGroupsTable); err != nil {
		return err
	}
	if len(counts.SetAside) > 0 {
		if err := q.QueryRowContext(ctx, renderSQL(setAsideCountSQL, nil), runID, f.Path).Scan(&res.SetAside); err != nil {
			return err
		}
	}
	res.Read, res.Loaded, res.Quarantined, res.FoundInText = read, loaded, quarantined, counts.Text
	return nil
}

// storeRejects hands rejects to DuckDB as one Arrow batch for stmt (profiled_rejects.sql or
// profiled_set_aside.sql) to store as run runID's of file path; none, nothing.
func storeRejects(ctx context.Context, q *sql.Conn, stmt string, rejs []rejection, runID, path string) error {
	if len(rejs) == 0 {
		return nil
	}
	rejects, err := array.NewRecordReader(rejectSchema, []arrow.RecordBatch{rejectBatch(rejs)})
	if err != nil {
		return err
	}
	if err := fromArrow(ctx, q, srcRejectsView, rejects, stmt, runID, path); err != nil {
		return i18n.Wrap(err, "ingest.load", path)
	}
	return nil
}

// quarantineSentTwice quarantines the rows of a cases file with a case key (in stage_src) that
// repeat an earlier row of the file, a form sent twice (profiled_sent_twice.sql), and returns
// how many it took out.
func quarantineSentTwice(ctx context.Context, q *sql.Conn, runID, path string, sh shape) (int64, error) {
	for _, stmt := range sentTwiceSQL(sh) {
		if _, err := execSQL(ctx, q, stmt, sql.Named("run", runID), sql.Named("file", path)); err != nil {
			return 0, err
		}
	}
	var n int64
	if err := q.QueryRowContext(ctx, renderSQL(tableCountSQL, map[string]any{"table": db.Name(stageTwiceTable)})).Scan(&n); err != nil {
		return 0, err
	}
	return n, db.DropTemp(ctx, q, stageTwiceTable)
}

// sentTwiceSQL are quarantineSentTwice's statements for a file of shape sh.
func sentTwiceSQL(sh shape) []string {
	contact := db.Name("case_id")
	if sh.contact {
		contact = "contact_id"
	}
	return db.SplitStatements(renderSQL(profiledSentTwiceSQL, map[string]any{"contact": contact}))
}

// stagedTable is canonical table t as the stage of a source of shape sh holds it: a cases
// source's found_in_text only when it finds fields in text.
func stagedTable(t data.Table, sh shape) data.Table {
	if t.Name != data.Cases.Name || sh.found {
		return t
	}
	t.Columns = slices.DeleteFunc(slices.Clone(t.Columns), func(c data.Column) bool { return c.Name == "found_in_text" })
	return t
}

// profiledSQL are the statements that load the mapped rows of stage_src into the tables of
// source s (whose stage has the columns of shape sh), deleting first the
// records they replace when replacing. A cases source loads its cases (with a case key, rows
// sharing it are one case, from its earliest row, or the case an earlier file made for the
// key; see profiled_group.sql) and makes the contact of each row when the profile has no
// contacts source or the source has a case key; it makes a case's accepted event when the
// profile has no events source, and the answered and closed events of each row's dates.
func profiledSQL(s *configs.ProfileSource, sh shape, replacing bool) []string {
	keyed := sh.key
	contact := db.Name("case_id") // a row's contact has its case's id, unless it names its own
	if sh.contact {
		contact = "contact_id"
	}
	var stmts []string
	// del deletes the records of t with the file's ids (its cases' event ids with caseEvents).
	del := func(t data.Table, caseEvents bool) {
		if replacing {
			stmts = append(stmts, renderSQL(profiledDeleteSQL, map[string]any{
				"table": db.Name(t.Name), "key": db.Name(t.Key), "case_events": caseEvents, "accepted": s.ImpliesEvents,
				"answered": sh.answered, "contact": contact, "contacts": s.Table == configs.TableCases && t.Name == data.Contacts.Name,
				"keyed": keyed, "keyed_cases": keyed && t.Name == data.Cases.Name}))
		}
	}
	// match takes a row known by name and phone to its person known by id number.
	match := func(person string) {
		_, name := s.Fields["complainant_name"]
		_, id := s.Fields["complainant_id_number"]
		_, phone := s.Fields["complainant_phone"]
		if name && id && phone {
			stmts = append(stmts, renderSQL(profiledPersonMatchSQL, map[string]any{"person": db.Name(person)}))
		}
	}
	switch s.Table {
	case configs.TableCases:
		contacts := s.ImpliesContact || keyed
		match("complainant_id")
		if keyed {
			stmts = append(stmts, renderSQL(profiledGroupSQL, nil), renderSQL(profiledRegroupSQL, nil))
		}
		del(data.Cases, false)
		if contacts {
			del(data.Contacts, false)
		}
		del(data.Events, true)
		stmts = append(stmts, renderSQL(profiledCasesSQL, map[string]any{"cols": columnNames(stagedTable(data.Cases, sh)), "keyed": keyed}))
		if contacts {
			stmts = append(stmts, renderSQL(profiledContactsSQL, map[string]any{"from_cases": true, "contact": contact, "cols": columnNames(data.Contacts)}))
		}
		if keyed {
			stmts = append(stmts, renderSQL(profiledCaseKeysSQL, nil))
		}
		stmts = append(stmts,
			renderSQL(profiledEventsSQL, map[string]any{"from_cases": true, "accepted": s.ImpliesEvents, "keyed": keyed,
				"answered": sh.answered, "contact": contact, "cols": columnNames(data.Events)}),
			renderSQL(profiledPersonKeysSQL, map[string]any{"person": db.Name("complainant_id")}))
	case configs.TableContacts:
		match("person_id")
		del(data.Contacts, false)
		stmts = append(stmts,
			renderSQL(profiledContactsSQL, map[string]any{"from_cases": false, "contact": contact, "cols": columnNames(data.Contacts)}),
			renderSQL(profiledPersonKeysSQL, map[string]any{"person": db.Name("person_id")}))
	case configs.TableEvents:
		del(data.Events, false)
		stmts = append(stmts, renderSQL(profiledEventsSQL, map[string]any{"from_cases": false, "accepted": false, "keyed": false,
			"answered": false, "contact": contact, "cols": columnNames(data.Events)}))
	}
	return stmts
}
