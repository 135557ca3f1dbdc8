package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Roles of review app users (configs defines them: serve.users names them).
const (
	RoleAnalyst = configs.RoleAnalyst
	RoleLeader  = configs.RoleLeader
	RoleOffice  = configs.RoleOffice
	RoleAdmin   = configs.RoleAdmin
)

// States of a matter under review; a matter nobody acted on is StateOpen.
const (
	StateOpen      = "open"
	StateOwned     = "owned"
	StateResolved  = "resolved"
	StateDismissed = "dismissed"
)

// States lists every state.
var States = []string{StateOpen, StateOwned, StateResolved, StateDismissed}

// Errors of actions. A *ConflictError is also ErrConflict; a *Refusal is ErrForbidden or
// ErrState.
var (
	ErrNotFound  = i18n.Errorf("web.error.not_found")
	ErrConflict  = i18n.Errorf("web.error.changed")
	ErrForbidden = i18n.Errorf("web.error.forbidden")
	ErrState     = i18n.Errorf("web.error.state")
	ErrInvalid   = i18n.Errorf("web.error.invalid")
)

// ConflictError says which version the action was based on and which is current, and who owns
// the matter now ("" when nobody does).
type ConflictError struct {
	Based, Current int64
	Owner          string
}

func (e *ConflictError) Error() string { return e.Localize(i18n.Default) }

// Localize says what happened and what to do, in lang.
func (e *ConflictError) Localize(lang string) string {
	if e.Owner != "" {
		return i18n.T(lang, "web.error.conflict_owner", e.Based, e.Current, e.Owner)
	}
	return i18n.T(lang, "web.error.conflict", e.Based, e.Current)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// Refusal is an action the matter's state (Kind ErrState), the user's role or ownership
// (Kind ErrForbidden) or what the form says (Kind ErrInvalid: a date out of range, a reason not
// configured) does not allow; it reads as the catalogue's message Key with Args.
type Refusal struct {
	Kind error
	Key  string
	Args []any
}

func refuse(kind error, key string, args ...any) *Refusal {
	return &Refusal{Kind: kind, Key: key, Args: args}
}

func (e *Refusal) Error() string { return e.Localize(i18n.Default) }

// Localize says why the action was refused, in lang.
func (e *Refusal) Localize(lang string) string { return i18n.T(lang, e.Key, e.Args...) }

func (e *Refusal) Unwrap() error { return e.Kind }

// Actor is who does an action.
type Actor struct{ Name, Role string }

// State is a matter's review record.
type State struct {
	MatterID   string     `json:"-"`
	State      string     `json:"state"`
	Owner      string     `json:"owner,omitempty"`
	Plan       string     `json:"plan,omitempty"`
	Due        string     `json:"due,omitempty"` // YYYY-MM-DD
	TakenAt    *time.Time `json:"taken_at,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Version    int64      `json:"version"`
	Note       string     `json:"note,omitempty"`   // the progress note, resolution, or the reason (dismissal, reassignment, release, undoing a dismissal) of this change; not stored in matter_review
	Detail     string     `json:"detail,omitempty"` // a dismissal's free note beside its reason; not stored in matter_review

	// 包案 (issue 15).
	AssignedBy   string       `json:"assigned_by,omitempty"`   // the office user who assigned (交办) it; "" when the owner volunteered
	PlanDeadline string       `json:"plan_deadline,omitempty"` // YYYY-MM-DD: the plan is due by then
	Supervision  *Supervision `json:"supervision,omitempty"`   // the latest supervision (督办)
	VisitedAt    *time.Time   `json:"visited_at,omitempty"`    // the latest return visit (回访)
	VisitedBy    string       `json:"visited_by,omitempty"`
	VisitNote    string       `json:"visit_note,omitempty"`
	Satisfaction string       `json:"satisfaction,omitempty"` // Satisfied, Mostly or Unsatisfied
	ReopenedAt   *time.Time   `json:"reopened_at,omitempty"`  // when an unsatisfied return visit reopened it
}

// Store reads and writes the review tables. Writes are serialised: one action at a time checks
// the version, changes the state and appends to the audit log in one transaction.
type Store struct {
	db  *sql.DB
	mu  sync.Mutex
	Now func() time.Time
	// Lang is the language of the text the store writes for people to read (the mark of a
	// resolution in its progress note); the default language when empty.
	Lang string
	// Location is the office's time zone: what "today" is for due dates and deadlines; UTC when
	// nil.
	Location *time.Location
	// Reasons are the dismissal reasons a dismissal may give (serve.dismissal_reasons); any
	// non-empty reason when nil.
	Reasons []string
	// IsLeader reports whether a user name is a leader a matter may be assigned to; any name
	// when nil.
	IsLeader func(name string) bool
}

// NewStore creates the review tables if needed and returns a store on db.
func NewStore(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := EnsureSchema(ctx, db); err != nil {
		return nil, err
	}
	return &Store{db: db, Now: time.Now}, nil
}

// DB is the store's database, for reads.
func (s *Store) DB() *sql.DB { return s.db }

// Exclusive runs f while no action can write, e.g. a nightly run in the server.
func (s *Store) Exclusive(f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}

// Load returns the review state of a matter; StateOpen with version 0 when nobody acted on it,
// and StateOpen (at its version) when the nightly run lifted its dismissal.
func Load(ctx context.Context, q Querier, matterID string) (State, error) {
	st := State{MatterID: matterID, State: StateOpen}
	var owner, plan, assignedBy, visitedBy, visitNote, satisfaction sql.NullString
	var due, taken, resolved, planDeadline, visited, reopened sql.NullTime
	err := q.QueryRowContext(ctx, reviewLoadSQL, matterID).Scan(&st.State, &owner, &plan, &due, &taken, &resolved, &st.Version,
		&assignedBy, &planDeadline, &visited, &visitedBy, &visitNote, &satisfaction, &reopened)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, i18n.Wrap(err, "web.db.review_state", matterID)
	}
	st.Owner, st.Plan = owner.String, plan.String
	if due.Valid {
		st.Due = due.Time.Format(time.DateOnly)
	}
	if taken.Valid {
		st.TakenAt = &taken.Time
	}
	if resolved.Valid {
		st.ResolvedAt = &resolved.Time
	}
	st.AssignedBy, st.VisitedBy, st.VisitNote, st.Satisfaction = assignedBy.String, visitedBy.String, visitNote.String, satisfaction.String
	if planDeadline.Valid {
		st.PlanDeadline = planDeadline.Time.Format(time.DateOnly)
	}
	if visited.Valid {
		st.VisitedAt = &visited.Time
	}
	if reopened.Valid {
		st.ReopenedAt = &reopened.Time
	}
	sups, err := Supervisions(ctx, q, matterID)
	if err != nil {
		return st, i18n.Wrap(err, "web.db.review_state", matterID)
	}
	if len(sups) > 0 {
		st.Supervision = &sups[len(sups)-1]
	}
	return st, nil
}

// Action names, as stored in the audit log.
const (
	ActTake     = "take_ownership"
	ActPlan     = "set_plan"
	ActProgress = "record_progress"
	ActResolve  = "resolve"
	ActDismiss  = "dismiss"
	// 包案 (issue 15): the office's steps, and undoing a dismissal.
	ActAssign    = "assign"
	ActReassign  = "reassign"
	ActRelease   = "release"
	ActSupervise = "supervise"
	ActVisit     = "return_visit"
	ActUndismiss = "undo_dismissal"

	ActSignIn  = "sign_in"
	ActSignOut = "sign_out"
	ActRun     = "run"
)

// Change is one action on a matter.
type Change struct {
	Action  string
	Version int64  // the version the user saw
	Plan    string // ActPlan
	Due     string // ActPlan, YYYY-MM-DD; ActAssign and ActReassign: the plan deadline; ActSupervise: its deadline
	Note    string // ActProgress, ActResolve, ActSupervise, ActVisit; the reason of ActDismiss (one of Store.Reasons), ActReassign, ActRelease, ActUndismiss
	Detail  string // ActDismiss: the free note beside the reason
	Owner   string // ActAssign, ActReassign: the leader
	// Satisfaction is ActVisit's: Satisfied, Mostly or Unsatisfied.
	Satisfaction string
}

// Apply checks and applies change c to matter matterID on behalf of a, and appends it to the
// audit log, all in one transaction. It fails with ErrNotFound for a matter on no watchlist,
// a *ConflictError when the matter's version is not c.Version, ErrForbidden when a may not do
// this to this matter, and ErrState when the matter's state does not allow it (both as a
// *Refusal that says why).
func (s *Store) Apply(ctx context.Context, a Actor, matterID string, c Change) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return State{}, err
	}
	defer tx.Rollback()
	if _, _, err := LatestRun(ctx, tx); errors.Is(err, ErrNoRun) {
		return State{}, ErrNotFound
	} else if err != nil {
		return State{}, err
	}
	var runID sql.NullString
	if err := tx.QueryRowContext(ctx, applyRunSQL, matterID).Scan(&runID); err != nil {
		return State{}, err
	}
	if !runID.Valid {
		return State{}, ErrNotFound
	}
	before, err := Load(ctx, tx, matterID)
	if err != nil {
		return State{}, err
	}
	if before.Version != c.Version {
		return before, &ConflictError{Based: c.Version, Current: before.Version, Owner: before.Owner}
	}
	now := s.Now().UTC()
	after, err := s.transition(ctx, tx, a, matterID, runID.String, before, c, now)
	if err != nil {
		return before, err
	}
	if _, err := tx.ExecContext(ctx, applyClearSQL, matterID); err != nil {
		return before, err
	}
	if _, err := tx.ExecContext(ctx, applyReviewSQL, matterID, after.State, nullable(after.Owner), nullable(after.Plan),
		nullable(after.Due), after.TakenAt, after.ResolvedAt, after.Version, now, a.Name, nullable(after.AssignedBy),
		nullable(after.PlanDeadline), after.VisitedAt, nullable(after.VisitedBy), nullable(after.VisitNote),
		nullable(after.Satisfaction), after.ReopenedAt); err != nil {
		return before, err
	}
	if err := audit(ctx, tx, now, a, c.Action, matterID, &before, &after); err != nil {
		return before, err
	}
	if err := tx.Commit(); err != nil {
		return before, err
	}
	after.MatterID = matterID
	return after, nil
}

// progressText is the progress note of change c: a resolution's note is marked as one.
func (s *Store) progressText(c Change) string {
	if c.Action == ActResolve {
		return i18n.T(s.Lang, "web.note.resolved", c.Note)
	}
	return c.Note
}

// Audit appends an action that concerns no matter (sign-in, sign-out, run) to the audit log.
func (s *Store) Audit(ctx context.Context, a Actor, action, detail string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var after any
	if detail != "" {
		after = map[string]string{"detail": detail}
	}
	return audit(ctx, s.db, s.Now().UTC(), a, action, "", nil, after)
}

func audit(ctx context.Context, q Execer, at time.Time, a Actor, action, matterID string, before, after any) error {
	js := func(v any) (any, error) {
		if v == nil || v == (*State)(nil) {
			return nil, nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := js(before)
	if err != nil {
		return err
	}
	af, err := js(after)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, auditAppendSQL, at, a.Name, a.Role, action, nullable(matterID), b, af)
	if err != nil {
		return i18n.Wrap(err, "web.db.audit_log")
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	Seq                         int64
	At                          time.Time
	Actor, Role, Action, Matter string
	Before, After               string
}

// AuditLog returns the latest limit entries, newest first, of one matter or, when matterID is
// empty, of all.
func AuditLog(ctx context.Context, q Querier, matterID string, limit int) ([]AuditEntry, error) {
	out, err := db.Collect(ctx, q, auditLogSQL, []any{limit, matterID}, func(rows *sql.Rows) (AuditEntry, error) {
		var e AuditEntry
		err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Role, &e.Action, &e.Matter, &e.Before, &e.After)
		return e, err
	})
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.audit_log")
	}
	return out, nil
}

// Note is one progress note.
type Note struct {
	At           time.Time
	Author, Text string
}

// Notes returns a matter's progress notes, oldest first.
func Notes(ctx context.Context, q Querier, matterID string) ([]Note, error) {
	return db.Collect(ctx, q, notesSQL, []any{matterID}, func(rows *sql.Rows) (Note, error) {
		var n Note
		err := rows.Scan(&n.At, &n.Author, &n.Text)
		return n, err
	})
}

// Actions lists every action name.
var Actions = []string{ActTake, ActPlan, ActProgress, ActResolve, ActDismiss, ActAssign, ActReassign, ActRelease,
	ActSupervise, ActVisit, ActUndismiss, ActSignIn, ActSignOut, ActRun}

// ActionLabel is an action's display name in lang (the catalogue's web.action.<action>); an
// unknown action is shown as it is.
func ActionLabel(lang, action string) string {
	if key := "web.action." + action; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return action
}
