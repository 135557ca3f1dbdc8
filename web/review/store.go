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
)

// ConflictError says which version the action was based on and which is current.
type ConflictError struct{ Based, Current int64 }

func (e *ConflictError) Error() string { return e.Localize(i18n.Default) }

// Localize says what happened and what to do, in lang.
func (e *ConflictError) Localize(lang string) string {
	return i18n.T(lang, "web.error.conflict", e.Based, e.Current)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// Refusal is an action the matter's state (Kind ErrState) or the user's role or ownership
// (Kind ErrForbidden) does not allow; it reads as the catalogue's message Key with Args.
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
	Note       string     `json:"note,omitempty"` // the progress note, resolution or dismissal reason of this change; not stored in matter_review
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
	var owner, plan sql.NullString
	var due, taken, resolved sql.NullTime
	err := q.QueryRowContext(ctx, reviewLoadSQL, matterID).Scan(&st.State, &owner, &plan, &due, &taken, &resolved, &st.Version)
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
	return st, nil
}

// Action names, as stored in the audit log.
const (
	ActTake     = "take_ownership"
	ActPlan     = "set_plan"
	ActProgress = "record_progress"
	ActResolve  = "resolve"
	ActDismiss  = "dismiss"
	ActSignIn   = "sign_in"
	ActSignOut  = "sign_out"
	ActRun      = "run"
)

// Change is one action on a matter.
type Change struct {
	Action  string
	Version int64  // the version the user saw
	Plan    string // ActPlan
	Due     string // ActPlan, YYYY-MM-DD
	Note    string // ActProgress, ActResolve, ActDismiss (the reason)
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
		return before, &ConflictError{Based: c.Version, Current: before.Version}
	}
	now := s.Now().UTC()
	after := before
	after.Version++
	after.Note = ""
	isOwner := before.Owner == a.Name
	switch c.Action {
	case ActTake:
		if before.State == StateOwned {
			return before, refuse(ErrState, "web.refused.already_owned", before.Owner)
		}
		after.State, after.Owner, after.TakenAt, after.ResolvedAt = StateOwned, a.Name, &now, nil
	case ActPlan:
		if before.State != StateOwned {
			return before, refuse(ErrState, "web.refused.plan_needs_owner")
		}
		if !isOwner && a.Role != RoleAdmin {
			return before, refuse(ErrForbidden, "web.refused.plan_not_owner", before.Owner)
		}
		after.Plan, after.Due = c.Plan, c.Due
	case ActProgress:
		if before.State != StateOwned {
			return before, refuse(ErrState, "web.refused.progress_needs_owner")
		}
		after.Note = c.Note
	case ActResolve:
		if before.State != StateOwned {
			return before, refuse(ErrState, "web.refused.resolve_needs_owner")
		}
		if !isOwner && a.Role != RoleAdmin {
			return before, refuse(ErrForbidden, "web.refused.resolve_not_owner", before.Owner)
		}
		after.State, after.ResolvedAt, after.Note = StateResolved, &now, c.Note
	case ActDismiss:
		if before.State == StateDismissed {
			return before, refuse(ErrState, "web.refused.already_dismissed")
		}
		if before.State == StateResolved {
			return before, refuse(ErrState, "web.refused.already_resolved")
		}
		if before.State == StateOwned && !isOwner && a.Role != RoleAdmin {
			return before, refuse(ErrForbidden, "web.refused.dismiss_not_owner", before.Owner)
		}
		after.State, after.Note = StateDismissed, c.Note
		if _, err := tx.ExecContext(ctx, applyDismissSQL, matterID, runID.String, a.Name, now, c.Note); err != nil {
			return before, err
		}
	default:
		return before, i18n.Errorf("web.error.unknown_action", c.Action)
	}
	if c.Action == ActProgress || c.Action == ActResolve {
		if _, err := tx.ExecContext(ctx, applyNoteSQL, matterID, now, a.Name, s.progressText(c)); err != nil {
			return before, err
		}
	}
	if _, err := tx.ExecContext(ctx, applyClearSQL, matterID); err != nil {
		return before, err
	}
	var due any
	if after.Due != "" {
		due = after.Due
	}
	if _, err := tx.ExecContext(ctx, applyReviewSQL, matterID, after.State, nullable(after.Owner), nullable(after.Plan), due, after.TakenAt, after.ResolvedAt, after.Version, now, a.Name); err != nil {
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
var Actions = []string{ActTake, ActPlan, ActProgress, ActResolve, ActDismiss, ActSignIn, ActSignOut, ActRun}

// ActionLabel is an action's display name in lang (the catalogue's web.action.<action>); an
// unknown action is shown as it is.
func ActionLabel(lang, action string) string {
	if key := "web.action." + action; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return action
}
