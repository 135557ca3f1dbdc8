package rules

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/data/datatest"
)

// caseState is one row of StateTable as the event-type tests see it.
type caseState struct {
	Stage, Deadline, ProgressDate, ProgressType, ClosedOn string
	Pending, Resolved                                     bool
	Extensions                                            int
}

// stateOf builds the case state as of asOf and returns case c1's row.
func stateOf(t *testing.T, q *sql.Conn, asOf string) caseState {
	t.Helper()
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range PrepareSQL(DefaultClocks(), day) {
		datatest.Exec(t, q, st.SQL, st.Args...)
	}
	var s caseState
	var deadline, closed sql.NullString
	err = q.QueryRowContext(context.Background(), `SELECT stage, strftime(deadline, '%Y-%m-%d'),
  strftime(progress_date, '%Y-%m-%d'), progress_type, strftime(closed_on, '%Y-%m-%d'), pending, resolved, extensions
FROM `+StateTable+` WHERE case_id = 'c1'`).Scan(&s.Stage, &deadline, &s.ProgressDate, &s.ProgressType, &closed, &s.Pending, &s.Resolved, &s.Extensions)
	if err != nil {
		t.Fatal(err)
	}
	s.Deadline, s.ClosedOn = deadline.String, closed.String
	return s
}

// withEvents makes a database with case c1, received 2025-01-02, and its events in order.
func withEvents(t *testing.T, events []datatest.Event, contacts ...string) *sql.Conn {
	t.Helper()
	q := datatest.New(t)
	datatest.AddCases(t, q, datatest.Case{ID: "c1", Received: "2025-01-02"})
	for j, e := range events {
		e.ID, e.CaseID = fmt.Sprintf("e%d", j), "c1"
		datatest.AddEvents(t, q, e)
	}
	datatest.AddContacts(t, q, contactsOn("c1", contacts)...)
	return q
}

// ev is an event of c1 for the tables below; result is an evaluation's.
func ev(typ, date string, result ...string) datatest.Event {
	e := datatest.Event{Type: typ, Date: date}
	if len(result) > 0 {
		e.Result = result[0]
	}
	return e
}

// Supervision (督办), return visits (回访) and evaluations (评价) are not stage events and not
// progress; an unsatisfied evaluation of a case standing closed reopens it as a reopened event
// on that day would. Default clocks: handling 60 days, +30 per extension.
func TestCaseStateOfRecordingEvents(t *testing.T) {
	accepted := ev("accepted", "2025-01-10")
	handled := caseState{Stage: StageHandle, Pending: true, Deadline: "2025-03-11", ProgressDate: "2025-01-10", ProgressType: "accepted"}
	closed := caseState{Stage: "closed", ClosedOn: "2025-03-01", Resolved: true, ProgressDate: "2025-03-01", ProgressType: "closed"}
	for _, tt := range []struct {
		name   string
		events []datatest.Event
		asOf   string
		want   caseState
	}{
		{"supervision is not progress", []datatest.Event{accepted, ev("supervised", "2025-02-20")}, "2025-04-01", handled},
		{"supervision of a case not yet accepted", []datatest.Event{ev("supervised", "2025-01-10")}, "2025-02-01",
			caseState{Stage: StageAccept, Pending: true, Deadline: "2025-01-17", ProgressDate: "2025-01-02", ProgressType: "received"}},
		{"supervision of a closed case leaves it resolved", []datatest.Event{accepted, ev("closed", "2025-03-01"), ev("supervised", "2025-03-05")}, "2025-04-01", closed},
		{"a return visit after the close leaves it resolved", []datatest.Event{accepted, ev("closed", "2025-03-01"), ev("return_visit", "2025-03-10")}, "2025-04-01", closed},
		{"a return visit while handled is not progress", []datatest.Event{accepted, ev("return_visit", "2025-02-01")}, "2025-04-01", handled},
		{"satisfied after the close", []datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "satisfied")}, "2025-04-01", closed},
		{"basically satisfied after the close", []datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "basically_satisfied")}, "2025-04-01", closed},
		{"unsatisfied after the close reopens from that day",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "unsatisfied")}, "2025-04-01",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-05-09", ProgressDate: "2025-03-10", ProgressType: ProgressReopenedUnsatisfied}},
		{"unsatisfied before it was given: still closed",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "unsatisfied")}, "2025-03-09", closed},
		{"unsatisfied on the day of the close reopens",
			[]datatest.Event{accepted, ev("evaluated", "2025-03-01", "unsatisfied"), ev("closed", "2025-03-01")}, "2025-04-01",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-04-30", ProgressDate: "2025-03-01", ProgressType: ProgressReopenedUnsatisfied}},
		{"unsatisfied after a return visit after the close reopens",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("return_visit", "2025-03-05"), ev("evaluated", "2025-03-10", "unsatisfied")}, "2025-04-01",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-05-09", ProgressDate: "2025-03-10", ProgressType: ProgressReopenedUnsatisfied}},
		{"a second unsatisfied while reopened changes nothing",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "unsatisfied"), ev("evaluated", "2025-04-01", "unsatisfied")}, "2025-04-10",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-05-09", ProgressDate: "2025-03-10", ProgressType: ProgressReopenedUnsatisfied}},
		{"closed again, unsatisfied again: reopened again",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10", "unsatisfied"), ev("closed", "2025-04-01"),
				ev("evaluated", "2025-04-05", "unsatisfied")}, "2025-04-10",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-06-04", ProgressDate: "2025-04-05", ProgressType: ProgressReopenedUnsatisfied}},
		{"closed again after the reopening: resolved",
			[]datatest.Event{accepted, ev("closed", "2025-02-01"), ev("evaluated", "2025-02-10", "unsatisfied"), ev("closed", "2025-03-01"),
				ev("evaluated", "2025-03-05", "satisfied")}, "2025-04-01", closed},
		{"extensions before the reopening no longer count",
			[]datatest.Event{accepted, ev("extended", "2025-02-01"), ev("extended", "2025-02-15"), ev("closed", "2025-03-01"),
				ev("evaluated", "2025-03-10", "unsatisfied"), ev("extended", "2025-04-01")}, "2025-04-10",
			caseState{Stage: StageHandle, Pending: true, Deadline: "2025-06-08", ProgressDate: "2025-03-10", ProgressType: ProgressReopenedUnsatisfied, Extensions: 1}},
		{"unsatisfied while handled changes nothing", []datatest.Event{accepted, ev("evaluated", "2025-02-01", "unsatisfied")}, "2025-04-01", handled},
		{"unsatisfied after an answer changes nothing",
			[]datatest.Event{accepted, ev("answered", "2025-02-01"), ev("evaluated", "2025-02-10", "unsatisfied")}, "2025-04-01",
			caseState{Stage: "answered", ProgressDate: "2025-02-01", ProgressType: "answered"}},
		{"unsatisfied after termination changes nothing",
			[]datatest.Event{accepted, ev("terminated", "2025-02-01"), ev("evaluated", "2025-02-10", "unsatisfied")}, "2025-04-01",
			caseState{Stage: "terminated", ProgressDate: "2025-02-01", ProgressType: "terminated"}},
		{"an evaluation without a result is not one", // ingest quarantines these; screening ignores one
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("evaluated", "2025-03-10")}, "2025-04-01", closed},
		{"a result on another event is ignored",
			[]datatest.Event{accepted, ev("closed", "2025-03-01"), ev("return_visit", "2025-03-10", "unsatisfied")}, "2025-04-01", closed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := stateOf(t, withEvents(t, tt.events), tt.asOf)
			if got != tt.want {
				t.Errorf("state as of %s\n got %+v\nwant %+v", tt.asOf, got, tt.want)
			}
		})
	}
}

// The rules see the recording events through the case state: supervision does not reset the
// no-progress clock, a case reopened by an unsatisfied evaluation is flaggable as stalled from
// that day, and one closed and visited stays resolved for the repeat rule.
func TestRulesOnRecordingEvents(t *testing.T) {
	accepted := ev("accepted", "2025-01-10")
	reopened := []datatest.Event{accepted, ev("closed", "2025-02-01"), ev("evaluated", "2025-02-10", "unsatisfied")}
	noProgress := Spec{Kind: KindStalled, Params: map[string]any{"check": "no_progress", "min_days": 90}}
	overdue := Spec{Kind: KindStalled, Params: map[string]any{"check": "overdue"}}
	extensions := Spec{Kind: KindStalled, Params: map[string]any{"check": "extensions", "min_extensions": 2}}
	repeat := Spec{Kind: KindRepeat, Params: map[string]any{"window_days": 90, "min_contacts": 4, "lookback_days": 365}}
	fourContacts := days("2025-01-03", 0, 1, 2, 3)
	for _, tt := range []struct {
		name      string
		spec      Spec
		events    []datatest.Event
		contacts  []string
		asOf      string
		wantFirst string // "" when not flagged
		wantFacts map[string]any
	}{
		{name: "supervision does not reset the no-progress clock", spec: noProgress,
			events: []datatest.Event{accepted, ev("supervised", "2025-03-01"), ev("supervised", "2025-04-01")}, asOf: "2025-04-10", wantFirst: "2025-04-10",
			wantFacts: map[string]any{"last_progress": "2025-01-10", "last_progress_type": "accepted"}},
		{name: "a return visit does not reset it either", spec: noProgress,
			events: []datatest.Event{accepted, ev("return_visit", "2025-03-01")}, asOf: "2025-04-10", wantFirst: "2025-04-10"},
		{name: "supervised or not, a case closed is not stalled", spec: overdue,
			events: []datatest.Event{accepted, ev("supervised", "2025-03-01"), ev("closed", "2025-05-01"), ev("return_visit", "2025-05-10")}, asOf: "2025-06-01"},
		{name: "closed, then rated unsatisfied: overdue 60 days later", spec: overdue,
			events: reopened, asOf: "2025-04-12", wantFirst: "2025-04-12", wantFacts: map[string]any{"stage": StageHandle, "deadline": "2025-04-11"}},
		{name: "closed, then rated unsatisfied: on the new deadline day", spec: overdue, events: reopened, asOf: "2025-04-11"},
		{name: "closed, then rated unsatisfied: no progress since the rating", spec: noProgress,
			events: reopened, asOf: "2025-05-11", wantFirst: "2025-05-11",
			wantFacts: map[string]any{"last_progress": "2025-02-10", "last_progress_type": ProgressReopenedUnsatisfied}},
		{name: "closed, then rated satisfied: not stalled", spec: overdue,
			events: []datatest.Event{accepted, ev("closed", "2025-02-01"), ev("evaluated", "2025-02-10", "satisfied")}, asOf: "2025-06-01"},
		{name: "extensions are counted from the reopening", spec: extensions,
			events: []datatest.Event{accepted, ev("extended", "2025-01-20"), ev("extended", "2025-01-25"), ev("closed", "2025-02-01"),
				ev("evaluated", "2025-02-10", "unsatisfied"), ev("extended", "2025-03-01"), ev("extended", "2025-03-15")},
			asOf: "2025-04-01", wantFirst: "2025-03-15"},
		{name: "one extension since the reopening", spec: extensions,
			events: []datatest.Event{accepted, ev("extended", "2025-01-20"), ev("extended", "2025-01-25"), ev("closed", "2025-02-01"),
				ev("evaluated", "2025-02-10", "unsatisfied"), ev("extended", "2025-03-01")}, asOf: "2025-04-01"},
		{name: "repeat: closed and visited, no contact since: resolved", spec: repeat, contacts: fourContacts,
			events: []datatest.Event{accepted, ev("closed", "2025-02-01"), ev("return_visit", "2025-02-10")}, asOf: "2025-03-01"},
		{name: "repeat: closed and rated satisfied: resolved", spec: repeat, contacts: fourContacts,
			events: []datatest.Event{accepted, ev("closed", "2025-02-01"), ev("evaluated", "2025-02-10", "basically_satisfied")}, asOf: "2025-03-01"},
		{name: "repeat: closed and rated unsatisfied: open again", spec: repeat, contacts: fourContacts,
			events: reopened, asOf: "2025-03-01", wantFirst: "2025-01-06"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := withEvents(t, tt.events, tt.contacts...)
			flags := screenOne(t, q, tt.spec, tt.asOf)
			f, got := flags["case:c1"]
			if got != (tt.wantFirst != "") {
				t.Fatalf("flagged = %v, want %v: %v", got, tt.wantFirst != "", flags)
			}
			if !got {
				return
			}
			if f.FirstFlagged != tt.wantFirst {
				t.Errorf("first flagged %s, want %s", f.FirstFlagged, tt.wantFirst)
			}
			for k, v := range tt.wantFacts {
				if f.Facts[k] != v {
					t.Errorf("fact %s = %v, want %v (facts %v)", k, f.Facts[k], v, f.Facts)
				}
			}
		})
	}
}

// The reason of a stalled flag names the reopening by an unsatisfied evaluation.
func TestReasonNamesTheUnsatisfiedEvaluation(t *testing.T) {
	for lang, want := range map[string]string{"zh": "不满意评价后重新办理", "en": "reopened on an unsatisfied evaluation"} {
		if got := Label(lang, ProgressReopenedUnsatisfied); got != want {
			t.Errorf("Label(%s, %s) = %q, want %q", lang, ProgressReopenedUnsatisfied, got, want)
		}
	}
	for lang, want := range map[string]string{"zh": "督办", "en": "supervised"} {
		if got := Label(lang, "supervised"); got != want {
			t.Errorf("Label(%s, supervised) = %q, want %q", lang, got, want)
		}
	}
}
