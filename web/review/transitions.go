package review

// The state machine of a matter under review (包案): who may do what in which state, and what
// each action changes. Apply runs it inside its transaction.

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Satisfaction of the complainant at a return visit (满意 / 基本满意 / 不满意); the catalogue's
// web.satisfaction.<code> names them. Unsatisfied reopens the matter.
const (
	Satisfied   = "satisfied"
	Mostly      = "mostly"
	Unsatisfied = "unsatisfied"
)

// Satisfactions lists them, the best first.
var Satisfactions = []string{Satisfied, Mostly, Unsatisfied}

// MaxYearsAhead is how far ahead a due date or deadline may be.
const MaxYearsAhead = 2

// Supervision is one 督办: the office presses the owner with a note and a deadline.
type Supervision struct {
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Note     string    `json:"note"`
	Deadline string    `json:"deadline"` // YYYY-MM-DD
}

// Supervisions returns a matter's supervisions, oldest first.
func Supervisions(ctx context.Context, q Querier, matterID string) ([]Supervision, error) {
	return db.Collect(ctx, q, supervisionsSQL, []any{matterID}, func(rows *sql.Rows) (Supervision, error) {
		var s Supervision
		err := rows.Scan(&s.At, &s.By, &s.Note, &s.Deadline)
		return s, err
	})
}

// IsOffice reports whether role may do the office's steps: assign, reassign, release,
// supervise and record return visits. An admin may do what the office does.
func IsOffice(role string) bool { return role == RoleOffice || role == RoleAdmin }

// today is the first instant of now's day in the store's zone.
func (s *Store) today(now time.Time) time.Time {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// checkDate refuses a date (YYYY-MM-DD) that is not one, is before today, or is more than
// MaxYearsAhead years ahead; field is the catalogue key of what the date is.
func (s *Store) checkDate(field, day string, now time.Time) error {
	today := s.today(now)
	d, err := time.ParseInLocation(time.DateOnly, day, today.Location())
	if err != nil {
		return refuse(ErrInvalid, "web.refused.date_format", i18n.M(field), day)
	}
	if d.Before(today) {
		return refuse(ErrInvalid, "web.refused.date_past", i18n.M(field), day, today.Format(time.DateOnly))
	}
	if last := today.AddDate(MaxYearsAhead, 0, 0); d.After(last) {
		return refuse(ErrInvalid, "web.refused.date_far", i18n.M(field), day, last.Format(time.DateOnly))
	}
	return nil
}

// transition checks change c to a matter in state before on behalf of a, writes what it keeps
// outside matter_review (notes, dismissals, supervisions) and returns the matter's new state.
func (s *Store) transition(ctx context.Context, tx *sql.Tx, a Actor, matterID, runID string, before State, c Change, now time.Time) (State, error) {
	after := before
	after.Version++
	after.Note, after.Detail = "", ""
	isOwner := before.Owner == a.Name
	office := IsOffice(a.Role)
	owned := before.State == StateOwned
	mayDecide := isOwner || a.Role == RoleAdmin
	note := strings.TrimSpace(c.Note)
	// own makes owner the matter's owner from now, assigned by assignedBy ("" when volunteered).
	own := func(owner, assignedBy, planDeadline string) {
		after.State, after.Owner, after.AssignedBy, after.PlanDeadline = StateOwned, owner, assignedBy, planDeadline
		after.TakenAt, after.ResolvedAt = &now, nil
	}
	// leader refuses an owner who is not a leader.
	leader := func(name string) error {
		if name == "" || (s.IsLeader != nil && !s.IsLeader(name)) {
			return refuse(ErrInvalid, "web.refused.not_a_leader", name)
		}
		return nil
	}
	switch c.Action {
	case ActTake:
		switch {
		case owned:
			return before, refuse(ErrState, "web.refused.already_owned", before.Owner)
		case a.Role != RoleLeader:
			return before, refuse(ErrForbidden, "web.refused.take_not_leader")
		}
		own(a.Name, "", "")
	case ActAssign:
		switch {
		case !office:
			return before, refuse(ErrForbidden, "web.refused.office_only")
		case owned:
			return before, refuse(ErrState, "web.refused.assign_owned", before.Owner)
		case before.State == StateDismissed:
			return before, refuse(ErrState, "web.refused.assign_dismissed")
		}
		if err := leader(c.Owner); err != nil {
			return before, err
		}
		if err := s.checkDate("web.plan_deadline", c.Due, now); err != nil {
			return before, err
		}
		own(c.Owner, a.Name, c.Due)
		after.Plan, after.Due = "", ""
	case ActReassign:
		switch {
		case !office:
			return before, refuse(ErrForbidden, "web.refused.office_only")
		case !owned:
			return before, refuse(ErrState, "web.refused.reassign_needs_owner")
		case c.Owner == before.Owner:
			return before, refuse(ErrInvalid, "web.refused.reassign_same", c.Owner)
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.reason_needed")
		}
		if err := leader(c.Owner); err != nil {
			return before, err
		}
		deadline := before.PlanDeadline
		if c.Due != "" {
			if err := s.checkDate("web.plan_deadline", c.Due, now); err != nil {
				return before, err
			}
			deadline = c.Due
		}
		plan, due := before.Plan, before.Due
		own(c.Owner, a.Name, deadline)
		after.Plan, after.Due, after.Note = plan, due, note
	case ActRelease:
		switch {
		case !office:
			return before, refuse(ErrForbidden, "web.refused.office_only")
		case !owned:
			return before, refuse(ErrState, "web.refused.release_needs_owner")
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.reason_needed")
		}
		after = State{State: StateOpen, Version: after.Version, Note: note, Supervision: before.Supervision}
	case ActPlan:
		switch {
		case !owned:
			return before, refuse(ErrState, "web.refused.plan_needs_owner")
		case !mayDecide:
			return before, refuse(ErrForbidden, "web.refused.plan_not_owner", before.Owner)
		}
		if err := s.checkDate("web.due", c.Due, now); err != nil {
			return before, err
		}
		after.Plan, after.Due = c.Plan, c.Due
	case ActProgress:
		if !owned {
			return before, refuse(ErrState, "web.refused.progress_needs_owner")
		}
		// The owner answers for the month's progress: a note by anyone else would clear the
		// owner's 本月未报进展 and count as theirs.
		if !mayDecide {
			return before, refuse(ErrForbidden, "web.refused.progress_not_owner", before.Owner)
		}
		after.Note = c.Note
	case ActResolve:
		switch {
		case !owned:
			return before, refuse(ErrState, "web.refused.resolve_needs_owner")
		case !mayDecide:
			return before, refuse(ErrForbidden, "web.refused.resolve_not_owner", before.Owner)
		case before.Plan == "":
			return before, refuse(ErrState, "web.refused.resolve_needs_plan")
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.resolve_needs_note")
		}
		after.State, after.ResolvedAt, after.Note = StateResolved, &now, c.Note
	case ActDismiss:
		switch {
		case before.State == StateDismissed:
			return before, refuse(ErrState, "web.refused.already_dismissed")
		case before.State == StateResolved:
			return before, refuse(ErrState, "web.refused.already_resolved")
		case owned && !mayDecide:
			return before, refuse(ErrForbidden, "web.refused.dismiss_not_owner", before.Owner)
		case note == "" || (s.Reasons != nil && !slices.Contains(s.Reasons, note)):
			return before, refuse(ErrInvalid, "web.refused.dismiss_reason", note, strings.Join(s.Reasons, "、"))
		}
		after.State, after.Note, after.Detail = StateDismissed, note, c.Detail
		if _, err := tx.ExecContext(ctx, applyDismissSQL, matterID, runID, a.Name, now, note, nullable(c.Detail)); err != nil {
			return before, err
		}
	case ActUndismiss:
		switch {
		case a.Role != RoleLeader && !office:
			return before, refuse(ErrForbidden, "web.refused.undismiss_role")
		case before.State != StateDismissed:
			return before, refuse(ErrState, "web.refused.not_dismissed")
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.reason_needed")
		}
		after = State{State: StateOpen, Version: after.Version, Note: note, Supervision: before.Supervision}
		if _, err := tx.ExecContext(ctx, applyUndismissSQL, matterID, now, note); err != nil {
			return before, err
		}
	case ActSupervise:
		switch {
		case !office:
			return before, refuse(ErrForbidden, "web.refused.office_only")
		case !owned:
			return before, refuse(ErrState, "web.refused.supervise_needs_owner")
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.note_needed")
		}
		if err := s.checkDate("web.supervision_deadline", c.Due, now); err != nil {
			return before, err
		}
		after.Supervision = &Supervision{At: now, By: a.Name, Note: note, Deadline: c.Due}
		if _, err := tx.ExecContext(ctx, applySuperviseSQL, matterID, now, a.Name, note, c.Due); err != nil {
			return before, err
		}
	case ActVisit:
		switch {
		case !office:
			return before, refuse(ErrForbidden, "web.refused.office_only")
		case before.State != StateResolved:
			return before, refuse(ErrState, "web.refused.visit_needs_resolved")
		case !slices.Contains(Satisfactions, c.Satisfaction):
			return before, refuse(ErrInvalid, "web.refused.satisfaction", c.Satisfaction)
		case note == "":
			return before, refuse(ErrInvalid, "web.refused.note_needed")
		}
		after.VisitedAt, after.VisitedBy, after.VisitNote, after.Satisfaction = &now, a.Name, note, c.Satisfaction
		if c.Satisfaction == Unsatisfied {
			// Not really closed: back to its owner, and the next run says why.
			after.State, after.ResolvedAt, after.ReopenedAt = StateOwned, nil, &now
		}
	default:
		return before, i18n.Errorf("web.error.unknown_action", c.Action)
	}
	if c.Action == ActProgress || c.Action == ActResolve {
		if _, err := tx.ExecContext(ctx, applyNoteSQL, matterID, now, a.Name, s.progressText(c)); err != nil {
			return before, err
		}
	}
	return after, nil
}
