package rules

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/calendar"
)

// Stages of a case as of a date, derived from its last event. Pending stages owe the
// complainant a step by a deadline; the others wait on the complainant or are final.
const (
	StageAccept   = "accept"   // received, not yet accepted; due received + accept_days
	StageHandle   = "handle"   // accepted, assigned, extended or reopened; due + handle_days (+ extension_days each)
	StageReview   = "review"   // review requested; due + review_days
	StageRereview = "rereview" // re-review requested; due + rereview_days
)

// Statement is one SQL statement with its bound arguments.
type Statement struct {
	SQL  string
	Args []any
}

// Tables the screening step builds before the rules run (see PrepareSQL); rule queries read
// them instead of the canonical tables.
const (
	StateTable    = "case_state"    // one row per case, see StateSQL
	ContactsTable = "case_contacts" // contacts of those cases, see contactsSQL
)

// PrepareSQL returns the statements, in order, that build the tables rule queries read when
// screening as of asOf: the contacts of each case received by then (ContactsTable) and the
// case state (StateTable). Both carry ck, an integer key of the case valid for the
// transaction, so that rules partition, join and group on integers instead of case ids.
func PrepareSQL(c Clocks, asOf time.Time) []Statement {
	asOfArg := sql.Named("as_of", asOf.Format(time.DateOnly))
	stmt, args := StateSQL(c, asOf)
	prep := []Statement{{contactsSQL(), []any{asOfArg}}}
	if c.Calendar.Mode == calendar.ModeWorking {
		prep = append(prep, workdaysSQL(c.Calendar, asOf))
	}
	return append(prep, Statement{stmt, args})
}

// WorkdaysTable numbers the days around the screening date for working-day clocks: n counts the
// working days up to and including d, so the k-th working day after a day with count n is the
// working day with count n + k.
const WorkdaysTable = "work_days"

// calendarYearsBack and calendarYearsAhead bound WorkdaysTable around the screening date; a
// stage that began earlier gets no working-day deadline.
const calendarYearsBack, calendarYearsAhead = 20, 3

// workdaysSQL (re)creates WorkdaysTable from the configured calendar, which Compile validated.
func workdaysSQL(cfg calendar.Config, asOf time.Time) Statement {
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
	return Statement{fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS
WITH w AS (SELECT CAST(unnest($working_days) AS DATE) AS d)
SELECT CAST(g.d AS DATE) AS d, w.d IS NOT NULL AS working,
       count(w.d) OVER (ORDER BY g.d ROWS UNBOUNDED PRECEDING) AS n
FROM range(CAST($cal_from AS DATE), CAST($cal_to AS DATE) + 1, INTERVAL 1 DAY) g(d)
LEFT JOIN w ON w.d = CAST(g.d AS DATE)`, WorkdaysTable),
		[]any{sql.Named("working_days", working), sql.Named("cal_from", from.Format(time.DateOnly)), sql.Named("cal_to", to.Format(time.DateOnly))}}
}

// contactsSQL (re)creates ContactsTable: every contact on or before $as_of of a case received
// on or before $as_of, with the case's key ck (the cases row's rowid) and the level's rank lvl
// (1 county .. 4 national). A contact without a case id counts for the case contact_links
// links it to, if any.
//
// Columns: ck, contact_date, contact_id, pk, lvl, head_count. pk is an integer key of the
// person (equal for equal person ids, NULL without one, valid for the transaction): rules only
// count distinct people. The level is kept only as its rank (LevelCodeSQL maps it back). The
// table holds every contact, so each column costs.
func contactsSQL() string {
	return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[1]s AS
WITH p AS (
  SELECT person_id, CAST(row_number() OVER () AS INTEGER) AS pk
  FROM (SELECT DISTINCT person_id FROM contacts WHERE person_id IS NOT NULL)
)
SELECT c.rowid AS ck, k.contact_date, k.contact_id, p.pk, CAST(%[2]s AS TINYINT) AS lvl, k.head_count
FROM contacts k LEFT JOIN p USING (person_id) LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
JOIN cases c ON c.case_id = coalesce(k.case_id, l.case_id)
WHERE k.contact_date <= CAST($as_of AS DATE) AND c.received_date <= CAST($as_of AS DATE)`,
		ContactsTable, LevelRankSQL("k.level"))
}

// StateSQL returns the statement that (re)creates the case_state table: one row per case
// received on or before $as_of, with its stage, deadline and progress as of that date. It
// reads ContactsTable, so it runs after the statement PrepareSQL puts before it.
//
// Columns: ck, case_id, received_date, complainant_id, channel, category, township, village,
// target_org, responsible_unit, stage, pending, deadline, progress_date, progress_type,
// extensions, closed_on, last_contact, resolved.
//
// A case is resolved when its last event is "closed" and nobody contacted the office about it
// after the close. "Progress" is every event but an extension, so extending a deadline does
// not reset the no-progress clock.
func StateSQL(c Clocks, asOf time.Time) (string, []any) {
	deadline, calendarJoin := "due_from + due_days", ""
	if c.Calendar.Mode == calendar.ModeWorking {
		// The due_days-th working day after due_from (see WorkdaysTable).
		deadline = "wd.d"
		calendarJoin = fmt.Sprintf(`
LEFT JOIN %[1]s wi ON wi.d = due.due_from
LEFT JOIN %[1]s wd ON wd.working AND wd.n = wi.n + due.due_days`, WorkdaysTable)
	}
	stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[1]s AS
WITH ev AS (
  SELECT case_id, event_id, event_type, event_date, %[2]s AS seq
  FROM events
  WHERE event_date <= CAST($as_of AS DATE)
),
agg AS (
  SELECT case_id,
    arg_max(event_type, (event_date, seq, event_id)) AS last_type,
    max(event_date) AS last_event_date,
    max(event_date) FILTER (WHERE event_type IN ('accepted', 'reopened')) AS handle_from,
    max(event_date) FILTER (WHERE event_type = 'reopened') AS reopened_on,
    max(event_date) FILTER (WHERE event_type = 'review_requested') AS review_from,
    max(event_date) FILTER (WHERE event_type = 'rereview_requested') AS rereview_from,
    arg_max(event_type, (event_date, seq, event_id)) FILTER (WHERE event_type <> 'extended') AS progress_type,
    max(event_date) FILTER (WHERE event_type <> 'extended') AS progress_date
  FROM ev GROUP BY case_id
),
ext AS (
  SELECT ev.case_id, count(*) AS extensions
  FROM ev JOIN agg USING (case_id)
  WHERE ev.event_type = 'extended' AND (agg.reopened_on IS NULL OR ev.event_date >= agg.reopened_on)
  GROUP BY ev.case_id
),
lastc AS (
  SELECT ck, max(contact_date) AS last_contact FROM %[7]s GROUP BY ck
),
staged AS (
  SELECT c.rowid AS ck, c.case_id, c.received_date, c.complainant_id, c.channel, c.category, c.township, c.village,
         c.target_org, c.responsible_unit,
         CASE
           WHEN a.last_type IS NULL THEN '%[3]s'
           WHEN a.last_type IN ('accepted', 'assigned', 'extended', 'reopened') THEN '%[4]s'
           WHEN a.last_type = 'review_requested' THEN '%[5]s'
           WHEN a.last_type = 'rereview_requested' THEN '%[6]s'
           ELSE a.last_type
         END AS stage,
         a.handle_from, a.review_from, a.rereview_from,
         coalesce(a.progress_date, c.received_date) AS progress_date,
         coalesce(a.progress_type, 'received') AS progress_type,
         coalesce(x.extensions, 0) AS extensions,
         CASE WHEN a.last_type = 'closed' THEN a.last_event_date END AS closed_on,
         l.last_contact
  FROM cases c
  LEFT JOIN agg a USING (case_id)
  LEFT JOIN ext x USING (case_id)
  LEFT JOIN lastc l ON l.ck = c.rowid
  WHERE c.received_date <= CAST($as_of AS DATE)
),
due AS (
  SELECT *,
         CASE stage
           WHEN '%[3]s' THEN received_date
           WHEN '%[4]s' THEN coalesce(handle_from, received_date)
           WHEN '%[5]s' THEN review_from
           WHEN '%[6]s' THEN rereview_from
         END AS due_from,
         CASE stage
           WHEN '%[3]s' THEN CAST($accept_days AS INTEGER)
           WHEN '%[4]s' THEN CAST($handle_days AS INTEGER) + CAST($extension_days AS INTEGER) * CAST(extensions AS INTEGER)
           WHEN '%[5]s' THEN CAST($review_days AS INTEGER)
           WHEN '%[6]s' THEN CAST($rereview_days AS INTEGER)
         END AS due_days
  FROM staged
)
SELECT ck, case_id, received_date, complainant_id, channel, category, township, village, target_org,
       responsible_unit, stage,
       stage IN ('%[3]s', '%[4]s', '%[5]s', '%[6]s') AS pending,
       %[8]s AS deadline,
       progress_date, progress_type, extensions, closed_on, last_contact,
       closed_on IS NOT NULL AND (last_contact IS NULL OR last_contact <= closed_on) AS resolved
FROM due%[9]s`, StateTable, eventSeqSQL("event_type"), StageAccept, StageHandle, StageReview, StageRereview, ContactsTable,
		deadline, calendarJoin)
	return stmt, []any{
		sql.Named("as_of", asOf.Format(time.DateOnly)),
		sql.Named("accept_days", c.AcceptDays),
		sql.Named("handle_days", c.HandleDays),
		sql.Named("extension_days", c.ExtensionDays),
		sql.Named("review_days", c.ReviewDays),
		sql.Named("rereview_days", c.RereviewDays),
	}
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
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", i+1, c.Code)
	}
	b.WriteString(" END")
	return b.String()
}

func codeRankSQL(col string, codes []data.Code) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, c := range codes {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", c.Code, i+1)
	}
	b.WriteString(" END")
	return b.String()
}
