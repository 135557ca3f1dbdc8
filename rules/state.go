package rules

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/calendar"
	"github.com/earlywarn/earlywarn/internal/db"
)

// Stages of a case as of a date, derived from its last event. Pending stages owe the
// complainant a step by a deadline; the others wait on the complainant or are final.
const (
	StageAccept   = "accept"   // received, not yet accepted; due received + accept_days
	StageHandle   = "handle"   // accepted, assigned, extended or reopened (or unsatisfied after closed); due + handle_days (+ extension_days each)
	StageReview   = "review"   // review requested; due + review_days
	StageRereview = "rereview" // re-review requested; due + rereview_days
)

// ProgressReopenedUnsatisfied is the progress type of an evaluation "unsatisfied" that reopened
// a closed case (the other progress types are event types, or "received").
const ProgressReopenedUnsatisfied = "reopened_unsatisfied"

// Statement is one SQL statement with its bound arguments.
type Statement struct {
	SQL  string
	Args []any
}

// Exec runs statements on q in order, stopping at the first error.
func Exec(ctx context.Context, q db.Querier, statements []Statement) error {
	for _, st := range statements {
		if _, err := q.ExecContext(ctx, st.SQL, st.Args...); err != nil {
			return err
		}
	}
	return nil
}

// Tables the screening step builds before the rules run (see PrepareSQL); rule queries read
// them instead of the canonical tables.
//
// ContactsTable holds every contact on or before the screening date of a case received by then
// (sql/case_contacts.sql). Columns: ck, contact_date, contact_id, pk, lvl, head_count. pk is a
// key of the person, a BIGINT from 1 up (a hash of the person id; NULL without one); lvl is the
// level's rank (LevelRankSQL).
const (
	StateTable    = db.CaseState    // one row per case, see StateSQL
	ContactsTable = db.CaseContacts // contacts of those cases
)

// PrepareSQL returns the statements, in order, that build the tables rule queries read when
// screening as of asOf: the contacts of each case received by then (ContactsTable) and the
// case state (StateTable), built from what each case's events say (db.CaseEvents, dropped once
// the state is built). Both carry ck, an integer key of the case valid for the transaction, so
// that rules partition, join and group on integers instead of case ids.
func PrepareSQL(c Clocks, asOf time.Time) []Statement {
	asOfArg := sql.Named("as_of", asOf.Format(time.DateOnly))
	stmt, args := StateSQL(c, asOf)
	prep := []Statement{
		{renderSQL(caseContactsSQL, nil), []any{asOfArg}},
		{renderSQL(caseEventsSQL, stateData), []any{asOfArg}},
	}
	if c.Calendar.Mode == calendar.ModeWorking {
		prep = append(prep, workdays(c.Calendar, asOf))
	}
	return append(prep, Statement{stmt, args}, Statement{SQL: "DROP TABLE temp.main." + db.Ident(db.CaseEvents)})
}

// WorkdaysTable numbers the days around the screening date for working-day clocks: n counts the
// working days up to and including d, so the k-th working day after a day with count n is the
// working day with count n + k.
const WorkdaysTable = db.WorkDays

// calendarYearsBack and calendarYearsAhead bound WorkdaysTable around the screening date; a
// stage that began earlier gets no working-day deadline.
const calendarYearsBack, calendarYearsAhead = 20, 3

// workdays (re)creates WorkdaysTable from the configured calendar, which Compile validated.
func workdays(cfg calendar.Config, asOf time.Time) Statement {
	cal, err := calendar.New(cfg)
	if err != nil {
		panic(fmt.Sprintf("rules: calendar was not validated: %v", err))
	}
	from, to := asOf.AddDate(-calendarYearsBack, 0, 0), asOf.AddDate(calendarYearsAhead, 0, 0)
	var working []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(d) {
			working = append(working, d.Format(time.DateOnly))
		}
	}
	return Statement{renderSQL(workdaysSQL, nil),
		[]any{sql.Named("working_days", working), sql.Named("cal_from", from.Format(time.DateOnly)), sql.Named("cal_to", to.Format(time.DateOnly))}}
}

// StateSQL returns the statement that (re)creates the case_state table: one row per case
// received on or before $as_of, with its stage, deadline and progress as of that date. It
// reads ContactsTable and db.CaseEvents, so it runs after the statements PrepareSQL puts
// before it.
//
// Columns: ck, case_id, received_date, complainant_id, channel, category, township, village,
// target_org, responsible_unit, stage, pending, deadline, progress_date, progress_type,
// extensions, reopened_on, closed_on, last_contact, resolved.
//
// A case is resolved when its last stage event is "closed" and nobody contacted the office
// about it after the close. "Progress" is every stage event but an extension, so extending a
// deadline does not reset the no-progress clock. Supervision, return visits and evaluations
// (see data.EventTypes) are not stage events, except that an evaluation "unsatisfied" of a case
// standing closed reopens it as a reopened event on that day would (progress type
// ProgressReopenedUnsatisfied).
func StateSQL(c Clocks, asOf time.Time) (string, []any) {
	data := map[string]any{"working_days": c.Calendar.Mode == calendar.ModeWorking}
	maps.Copy(data, stateData)
	stmt := renderSQL(caseStateSQL, data)
	return stmt, []any{
		sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("accept_days", c.AcceptDays),
		sql.Named("handle_days", c.HandleDays),
		sql.Named("extension_days", c.ExtensionDays),
		sql.Named("review_days", c.ReviewDays),
		sql.Named("rereview_days", c.RereviewDays),
	}
}

// stateData are the stage and progress codes case_events.sql and case_state.sql splice in.
var stateData = map[string]any{
	"accept":               db.Fragment(db.Literal(StageAccept)),
	"handle":               db.Fragment(db.Literal(StageHandle)),
	"review":               db.Fragment(db.Literal(StageReview)),
	"rereview":             db.Fragment(db.Literal(StageRereview)),
	"reopened_unsatisfied": db.Fragment(db.Literal(ProgressReopenedUnsatisfied)),
}

// eventSeqSQL orders events of the same day by their place in the handling process, so that a
// case answered and closed on one day ends closed.
func eventSeqSQL(col string) string {
	return codeRankSQL(col, data.EventTypes)
}

// LevelRankSQL maps a level code to 1 (county) .. 4 (national), NULL for anything else.
func LevelRankSQL(col string) string {
	return codeRankSQL(col, data.Levels)
}

// LevelCodeSQL maps a rank from LevelRankSQL back to its level code, NULL for anything else.
func LevelCodeSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, c := range data.Levels {
		fmt.Fprintf(&b, " WHEN %d THEN %s", i+1, db.Literal(c.Code))
	}
	b.WriteString(" END")
	return b.String()
}

func codeRankSQL(col string, codes []data.Code) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, c := range codes {
		fmt.Fprintf(&b, " WHEN %s THEN %d", db.Literal(c.Code), i+1)
	}
	b.WriteString(" END")
	return b.String()
}
