package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// Thresholds of the input checks. Below them an input is too small to judge, and nothing is
// said. configs/reference.yaml documents them where users look.
const (
	// minPastClock: the closing check speaks when at least this many pending cases were received
	// more than accept_days + handle_days before the screening date (by the clocks, all of them
	// should have been answered): 20 such cases without a single closing event is no chance.
	minPastClock = 20
	// minCases: the group-by and letter checks judge a rule's period (its lookback_days up to the
	// screening date) when it holds at least this many cases; one township among 30 cases can
	// be true, among 100 it is a mapping.
	minCases = 100
	// mostlyEmpty: a group-by field empty in more than this share of the period's cases is
	// mostly empty (warned); empty in all of them, the rule is skipped.
	mostlyEmpty = 0.9
	// oneText: when more than this share of a copied-letters rule's letters are one text, the
	// field mapped to content is not a letter's text (a placeholder or a category): skipped.
	oneText = 0.5
	// staleDays: a pending case received more than this many days before the screening date is
	// stale; when at least minPastClock are, and they are half the pending cases or more, the
	// export most likely leaves settled cases open (their closing never recorded).
	staleDays = 365
	// shortHistory: a rule whose windows are tested against their group's earlier rate
	// (Needs.TestDays) is warned about when its records' latest stretch holds fewer than this
	// many times TestDays days: a quarter or more of what it screens is judged by count alone.
	shortHistory = 4
)

// checkInputs checks what each rule needs of the input (rules.Needs) against the records as of
// asOf, once the case state is built, and returns the warnings in rule order. A warning that
// skips its rule (Skipped) is one where the rule would run into a flood or could find nothing:
//
//   - no_closing (skipped): the rule reads the outcome of handling (stalled_case, escalation
//     continued_after_answer), no event up to asOf answers, reviews, re-reviews, terminates or
//     closes a case, and at least minPastClock pending cases are past the handling clock;
//   - field_empty (skipped): a group-by field empty in every case of the rule's period;
//     field_mostly_empty (warned): empty in more than mostlyEmpty of them;
//   - field_constant (warned): a group-by field with one value in the period; all_constant
//     (skipped): every group-by field has one value, so all cases are one group;
//   - no_letter_channel (skipped): a copied-letters rule none of whose channels brought a case;
//   - no_letter_text (skipped): a copied-letters rule whose channels bring no text of min_chars
//     letters in the period, whatever its similarity; one_letter_text (skipped): more than
//     oneText of those texts are the same;
//   - no_text (skipped): a rule that reads the places named in the cases' text (hot_issue)
//     and no case of its period has a text;
//   - no_persons (warned): a rule that counts distinct complainants, and more than mostlyEmpty
//     of its period's cases name none (each then counts as a person of its own);
//   - stale_pending (warned): a stalled rule, and at least half the pending cases (and
//     minPastClock or more) were received more than staleDays before asOf;
//   - short_history (warned): a rule that tests windows against their group's earlier rate
//     (wave), on records whose latest stretch up to asOf began fewer than shortHistory ×
//     TestDays days before it: its first TestDays days are judged by count alone.
//
// Field, letter and person checks need minCases cases in the rule's period.
func checkInputs(ctx context.Context, q *sql.Conn, rs []*rules.Rule, clocks rules.Clocks, asOf time.Time) ([]Warning, error) {
	c := inputChecker{ctx: ctx, q: q, asOf: asOf, fields: map[string]fieldStats{}, people: map[int]personStats{}}
	var out []Warning
	for _, r := range rs {
		ws, err := c.check(r, clocks)
		if err != nil {
			return nil, i18n.Wrap(err, "run.err.input_check", r.ID)
		}
		out = append(out, ws...)
	}
	return out, nil
}

type inputChecker struct {
	ctx     context.Context
	q       *sql.Conn
	asOf    time.Time
	closing *closingStats
	stale   *[2]int64             // pending cases, and those received more than staleDays before asOf
	first   *sql.NullTime         // the first day of the records' latest stretch (rules.RecordsFrom)
	fields  map[string]fieldStats // by field and lookback
	people  map[int]personStats   // by lookback
}

type personStats struct{ cases, unknown int64 }

// closingStats: the closing events up to the as-of date, and the cases past the handling clock
// (clock days) that stand in a pending stage (see sql/check_closing.sql).
type closingStats struct {
	events, pastClock int64
	clock             int
}

// unknown reports whether the data has no closing records: none at all while enough cases are
// past the clock that some should have them.
func (s closingStats) unknown() bool { return s.events == 0 && s.pastClock >= minPastClock }

// readClosing counts the closing records of the data as of asOf under clocks.
func readClosing(ctx context.Context, q *sql.Conn, clocks rules.Clocks, asOf time.Time) (closingStats, error) {
	s := closingStats{clock: clocks.AcceptDays + clocks.HandleDays}
	err := q.QueryRowContext(ctx, checkClosingSQL, sql.Named("as_of", day(asOf)), sql.Named("clock_days", s.clock)).
		Scan(&s.events, &s.pastClock)
	return s, err
}

// deadlinesUnknown reports whether the data as of asOf has no closing records (closingStats),
// reading them unless a rule's input check found so (a no_closing warning among ws).
func deadlinesUnknown(ctx context.Context, q *sql.Conn, ws []Warning, clocks rules.Clocks, asOf time.Time) (bool, error) {
	if slices.ContainsFunc(ws, func(w Warning) bool { return w.Code == runrecord.WarnNoClosing }) {
		return true, nil
	}
	s, err := readClosing(ctx, q, clocks, asOf)
	return s.unknown(), err
}

type fieldStats struct {
	cases, empty, distinct int64
	value                  string
}

func (c *inputChecker) args(named ...sql.NamedArg) []any {
	out := []any{sql.Named("as_of", day(c.asOf))}
	for _, a := range named {
		out = append(out, a)
	}
	return out
}

func (c *inputChecker) check(r *rules.Rule, clocks rules.Clocks) ([]Warning, error) {
	n := r.Needs()
	warn := func(code string, skip bool, args ...string) Warning {
		return Warning{Rule: r.ID, Code: code, Skipped: skip, Args: args}
	}
	days := strconv.Itoa(n.LookbackDays)
	if n.Closing {
		if c.closing == nil {
			st, err := readClosing(c.ctx, c.q, clocks, c.asOf)
			if err != nil {
				return nil, err
			}
			c.closing = &st
		}
		if c.closing.unknown() {
			return []Warning{warn(runrecord.WarnNoClosing, true, day(c.asOf), strconv.Itoa(c.closing.clock), count(c.closing.pastClock))}, nil
		}
	}
	var out []Warning
	if r.Kind == rules.KindStalled {
		if c.stale == nil {
			c.stale = &[2]int64{}
			err := c.q.QueryRowContext(c.ctx, checkStaleSQL, c.args(sql.Named("stale_days", staleDays))...).Scan(&c.stale[0], &c.stale[1])
			if err != nil {
				return nil, err
			}
		}
		if pending, stale := c.stale[0], c.stale[1]; stale >= minPastClock && 2*stale >= pending {
			out = append(out, warn(runrecord.WarnStalePending, false, day(c.asOf), count(pending), count(stale), strconv.Itoa(staleDays)))
		}
	}
	if n.TestDays > 0 {
		if c.first == nil {
			first, err := rules.RecordsFrom(c.ctx, c.q, c.asOf)
			if err != nil {
				return nil, err
			}
			c.first = &first
		}
		if c.first.Valid {
			history := int(c.asOf.Sub(dateOf(c.first.Time)).Hours()/24) + 1
			if history < shortHistory*n.TestDays {
				out = append(out, warn(runrecord.WarnShortHistory, false, day(c.first.Time), strconv.Itoa(history), strconv.Itoa(min(history, n.TestDays))))
			}
		}
	}
	if len(n.GroupBy) > 0 {
		constant, cases := 0, int64(0)
		var ws []Warning
		for _, f := range n.GroupBy {
			s, err := c.field(f, n.LookbackDays)
			if err != nil {
				return nil, err
			}
			if cases = s.cases; cases < minCases {
				return out, nil
			}
			switch {
			case s.empty == s.cases:
				return []Warning{warn(runrecord.WarnFieldEmpty, true, f, days, count(s.cases))}, nil
			case float64(s.empty) > mostlyEmpty*float64(s.cases):
				ws = append(ws, warn(runrecord.WarnFieldMostlyEmpty, false, f, days, count(s.cases), percent(s.empty, s.cases)))
			case s.distinct == 1 && s.empty == 0:
				constant++
				ws = append(ws, warn(runrecord.WarnFieldConstant, false, f, days, count(s.cases), s.value))
			}
		}
		if constant == len(n.GroupBy) {
			return []Warning{warn(runrecord.WarnAllConstant, true, "`"+strings.Join(n.GroupBy, "`, `")+"`", days, count(cases))}, nil
		}
		out = append(out, ws...)
	}
	if l := n.Letters; l != nil {
		var cases, ofChannels, letters, commonest int64
		err := c.q.QueryRowContext(c.ctx, checkLettersSQL, c.args(sql.Named("lookback_days", n.LookbackDays),
			sql.Named("channels", l.Channels), sql.Named("min_chars", l.MinChars))...).
			Scan(&cases, &ofChannels, &letters, &commonest)
		if err != nil {
			return nil, err
		}
		channels := "`" + strings.Join(l.Channels, "`, `") + "`"
		switch {
		case cases >= minCases && ofChannels == 0:
			out = append(out, warn(runrecord.WarnNoLetterChannel, true, days, channels, count(cases)))
		case cases >= minCases && letters == 0:
			out = append(out, warn(runrecord.WarnNoLetterText, true, days, channels, count(ofChannels), strconv.Itoa(l.MinChars)))
		case letters >= minCases && float64(commonest) > oneText*float64(letters):
			out = append(out, warn(runrecord.WarnOneLetterText, true, days, count(letters), percent(commonest, letters)))
		}
	}
	if n.Places {
		var cases, texts int64
		err := c.q.QueryRowContext(c.ctx, checkTextSQL, c.args(sql.Named("lookback_days", n.LookbackDays))...).Scan(&cases, &texts)
		if err != nil {
			return nil, err
		}
		if cases >= minCases && texts == 0 {
			out = append(out, warn(runrecord.WarnNoText, true, days, count(cases)))
		}
	}
	if n.Persons && !slices.ContainsFunc(out, func(w Warning) bool { return w.Skipped }) {
		// A rule skipped for its input is not also warned of for its complainants.
		s, err := c.persons(n.LookbackDays)
		if err != nil {
			return nil, err
		}
		if s.cases >= minCases && float64(s.unknown) > mostlyEmpty*float64(s.cases) {
			out = append(out, warn(runrecord.WarnNoPersons, false, days, count(s.cases), percent(s.unknown, s.cases)))
		}
	}
	return out, nil
}

// persons returns how many cases received in the lookback days up to the screening date name no
// complainant, computed once per period.
func (c *inputChecker) persons(lookback int) (personStats, error) {
	if s, ok := c.people[lookback]; ok {
		return s, nil
	}
	var s personStats
	err := c.q.QueryRowContext(c.ctx, checkPersonsSQL, c.args(sql.Named("lookback_days", lookback))...).Scan(&s.cases, &s.unknown)
	if err == nil {
		c.people[lookback] = s
	}
	return s, err
}

// field returns the statistics of a group-by field over the cases received in the lookback
// days up to the screening date, computed once per field and period.
func (c *inputChecker) field(f string, lookback int) (fieldStats, error) {
	key := fmt.Sprintf("%s/%d", f, lookback)
	if s, ok := c.fields[key]; ok {
		return s, nil
	}
	stmt, ok := checkFieldSQL[f]
	if !ok {
		panic("pipeline: no input check for group-by field " + f) // rules.Compile accepts only GroupByFields
	}
	var s fieldStats
	err := c.q.QueryRowContext(c.ctx, stmt, c.args(sql.Named("lookback_days", lookback))...).Scan(&s.cases, &s.empty, &s.distinct, &s.value)
	if err != nil {
		return s, err
	}
	c.fields[key] = s
	return s, nil
}

func count(n int64) string { return strconv.FormatInt(n, 10) }

// percent is part of whole as a whole percentage, "93%".
func percent(part, whole int64) string {
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 0, 64) + "%"
}

// checkFieldSQL is check_field.sql for each field a rule may group by.
var checkFieldSQL = func() map[string]string {
	out := map[string]string{}
	for _, f := range rules.GroupByFields {
		out[f] = stageSQL.Statement("field "+f, map[string]any{"field": db.Name(f)}, "check_field.sql")
	}
	return out
}()
