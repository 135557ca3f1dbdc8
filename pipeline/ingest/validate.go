package ingest

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
)

// codeColumns are the columns whose values must come from a code list.
var codeColumns = map[string][]data.Code{
	"channel":    data.Channels,
	"level":      data.Levels,
	"event_type": data.EventTypes,
}

// rowCheck is one check of a single row: bad is the SQL condition a row breaking it meets,
// reason and raw the SQL expressions for what the quarantine says and shows. screen, when
// set, is a cheaper condition that every row meeting bad meets too.
type rowCheck struct {
	field, bad, reason, raw, screen string
}

// rowChecks lists the row checks of f's table. lineCol is as for validate.
func rowChecks(f InputFile, lineCol string) []rowCheck {
	var checks []rowCheck
	for _, c := range f.Table.Columns {
		col := db.Ident(c.Name)
		codes, coded := codeColumns[c.Name]
		if c.Required {
			ch := rowCheck{field: c.Name, bad: col + " IS NULL", reason: "'required field is empty'", raw: "NULL"}
			if c.Type == "VARCHAR" {
				ch.bad += " OR trim(" + col + ") = ''"
				// trim removes Unicode space separators, which are U+0020 or lie in
				// U+00A0..U+3000: it need only run on values starting there. A blank code
				// breaks its code check anyway.
				ch.screen = fmt.Sprintf("%s IS NULL OR ((%s < '!' OR (%s >= chr(160) AND %s < chr(12289))) AND trim(%s) = '')", col, col, col, col, col)
				if coded {
					ch.screen = col + " IS NULL"
				}
			}
			checks = append(checks, ch)
		}
		if coded {
			list := make([]string, len(codes))
			for i, code := range codes {
				list[i] = db.Literal(code.Code)
			}
			checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s NOT IN (%s)", col, strings.Join(list, ", ")),
				reason: fmt.Sprintf("'unknown code ' || %s || '; expected one of %s'", col, strings.ReplaceAll(strings.Join(list, ", "), "'", "")), raw: col})
		}
		if c.Name == "head_count" {
			checks = append(checks, rowCheck{field: c.Name, bad: "head_count < 1", reason: "'head count must be at least 1'", raw: "head_count::VARCHAR"})
		}
		if c.Type == "DATE" && lineCol == "" { // the profile path checks dates in Go
			sentinels := make([]string, len(configs.DefaultSentinelDates))
			for i, d := range configs.DefaultSentinelDates {
				sentinels[i] = "DATE " + db.Literal(d)
			}
			checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s IN (%s)", col, strings.Join(sentinels, ", ")),
				reason: fmt.Sprintf("'placeholder date ' || %s || ' means the date is unknown'", col), raw: col + "::VARCHAR"})
			if !f.latest.IsZero() {
				asOf := f.latest.Format(time.DateOnly)
				checks = append(checks, rowCheck{field: c.Name, bad: fmt.Sprintf("%s > DATE %s", col, db.Literal(asOf)),
					reason: fmt.Sprintf("'date ' || %s || ' is after the as-of date %s'", col, asOf), raw: col + "::VARCHAR"})
			}
		}
	}
	return checks
}

// screenCondition is met by every row breaking one of checks.
func screenCondition(checks []rowCheck) string {
	conds := make([]string, len(checks))
	for i, ch := range checks {
		conds[i] = cmp.Or(ch.screen, ch.bad)
	}
	return "(" + strings.Join(conds, ") OR (") + ")"
}

// validate quarantines and removes the rows of table (holding only this file's rows) that
// break the canonical contract, and returns how many it removed. lineCol names the column
// holding each row's source line; "" means the rows are in file order and lines are found
// by rescanning the file (only when something was rejected).
//
// A clean file costs two cheap passes over table: one over the checked columns that keeps
// the rows breaking any row check (normally none) in a temp table, where each check then
// runs, and one over the ids that sees whether they are strictly ascending, as exports
// usually are, so none repeats. Only otherwise are ids grouped to find repeats.
func validate(ctx context.Context, q *sql.Conn, runID string, f InputFile, table, lineCol string) (int64, error) {
	t := f.Table
	key := db.Ident(t.Key)
	checks := rowChecks(f, lineCol)
	// Only the checked columns: the others (free text among them) need not be read at all.
	var cols []string
	for _, ch := range checks {
		if c := db.Ident(ch.field); !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	stmts := []string{
		fmt.Sprintf("CREATE OR REPLACE TEMP TABLE stage_bad AS SELECT rowid AS rid, %s FROM %s WHERE %s", strings.Join(cols, ", "), table, screenCondition(checks)),
		"CREATE OR REPLACE TEMP TABLE stage_dups (rid BIGINT, raw VARCHAR)",
	}
	if err := db.Exec(ctx, q, stmts...); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	// Of rows sharing an id within the file, the most complete stands, and of equally complete
	// ones the last (the most recent version). lag over an unordered window streams the ids in
	// whatever order the scan yields them; strictly ascending in any order means no repeats.
	var unsorted bool
	if err := q.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) > 0 FROM (
  SELECT %s AS id, lag(%s) OVER () AS prev FROM %s WHERE %s IS NOT NULL) WHERE id <= prev`, key, key, table, key)).Scan(&unsorted); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	if unsorted {
		filled := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			filled[i] = fmt.Sprintf("(coalesce(%s::VARCHAR, '') <> '')::INT", db.Ident(c.Name))
		}
		stmt := fmt.Sprintf(`INSERT INTO stage_dups SELECT rowid, %s FROM %s
WHERE %s IN (SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
QUALIFY row_number() OVER (PARTITION BY %s ORDER BY %s DESC, rowid DESC) > 1`,
			key, table, key, key, table, key, key, strings.Join(filled, " + "))
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return 0, fmt.Errorf("validate %s: %w", f.Path, err)
		}
	}
	var bad, dups int64
	if err := q.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM stage_bad), (SELECT count(*) FROM stage_dups)").Scan(&bad, &dups); err != nil {
		return 0, err
	}
	if bad+dups == 0 {
		return 0, db.Exec(ctx, q, "DROP TABLE stage_bad", "DROP TABLE stage_dups")
	}
	selects := make([]string, 0, len(checks)+1)
	for _, ch := range checks {
		selects = append(selects, fmt.Sprintf("SELECT rid, %s AS field, %s AS reason, %s AS raw FROM stage_bad WHERE %s",
			db.Literal(ch.field), ch.reason, ch.raw, ch.bad))
	}
	selects = append(selects, fmt.Sprintf("SELECT rid, %s, 'duplicate id within the file; a more complete or later row with the same id was loaded', raw FROM stage_dups", db.Literal(t.Key)))
	stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE stage_rejects AS
SELECT rid, min(field) AS field, string_agg(reason, '; ' ORDER BY reason) AS reason, arg_min(raw, field) AS raw FROM (%s) GROUP BY rid`,
		strings.Join(selects, "\nUNION ALL\n"))
	if err := db.Exec(ctx, q, stmt, "DROP TABLE stage_bad", "DROP TABLE stage_dups"); err != nil {
		return 0, fmt.Errorf("validate %s: %w", f.Path, err)
	}
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM stage_rejects").Scan(&n); err != nil {
		return 0, err
	}
	line := "NULL"
	if lineCol != "" {
		line = "s." + db.Ident(lineCol)
	} else if f.Format == "csv" {
		if err := csvRejectLines(ctx, q, runID, f, table); err != nil {
			return 0, err
		}
		line = "(SELECT l.line FROM reject_lines l WHERE l.rid = r.rid)"
	}
	_, err := q.ExecContext(ctx, fmt.Sprintf(`INSERT INTO quarantine
SELECT $1, $2, %s, r.field, r.reason, coalesce(r.raw, s.%s) FROM stage_rejects r JOIN %s s ON s.rowid = r.rid`, line, key, table), runID, f.Path)
	if err != nil {
		return 0, err
	}
	return n, db.Exec(ctx, q, fmt.Sprintf("DELETE FROM %s WHERE rowid IN (SELECT rid FROM stage_rejects)", table),
		"DROP TABLE stage_rejects", "DROP TABLE IF EXISTS reject_lines")
}

// cleanDuckErr keeps the first line of a DuckDB error, which says what went wrong; the rest
// repeats the statement.
func cleanDuckErr(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	return errors.New(msg)
}
