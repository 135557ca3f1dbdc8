package web

// The actions that write (ownership, plans, progress, resolution, dismissal) and the
// screening run from the server, now or on a schedule.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/earlywarn/earlywarn/web/review"
)

// act handles one action on a matter: it checks the form, applies the change with the version
// the user saw, and redirects back to the matter (POST-redirect-GET). A form or an action
// refused shows the matter again as it now is, the reason above it and what the user typed
// still in the form.
func (s *Server) act(action string) handler {
	return func(w http.ResponseWriter, r *http.Request, ss *session) {
		id, ok := s.matterID(w, r, ss)
		if !ok {
			return
		}
		refuse := func(status int, message string) {
			p, ok := s.matterPage(w, r, ss, id, typedForm{action: action, values: r.PostForm})
			if !ok {
				return
			}
			p.Error = message
			s.render(w, status, "matter", p)
		}
		c, problem := s.readChange(action, r.PostForm)
		if problem != "" {
			refuse(http.StatusBadRequest, problem)
			return
		}
		after, err := s.store.Apply(r.Context(), review.Actor{Name: ss.user, Role: ss.role}, id, c)
		switch {
		case err == nil:
			done := action
			if action == review.ActVisit && after.ReopenedAt != nil && after.State == review.StateOwned {
				done = "return_visit_reopened"
			}
			http.Redirect(w, r, "/matters/"+url.PathEscape(id)+"?done="+done, http.StatusSeeOther)
		case errors.Is(err, review.ErrNotFound):
			s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_matter_act", clip(id, 80)))
		case errors.Is(err, review.ErrConflict), errors.Is(err, review.ErrState):
			refuse(http.StatusConflict, s.localize(err))
		case errors.Is(err, review.ErrForbidden):
			refuse(http.StatusForbidden, s.localize(err))
		case errors.Is(err, review.ErrInvalid):
			refuse(http.StatusBadRequest, s.localize(err))
		default:
			s.internal(w, r, ss, err)
		}
	}
}

// readChange reads action's form into a change, or says what is wrong with it (the first
// problem, in the user's language).
func (s *Server) readChange(action string, form url.Values) (review.Change, string) {
	f := formReader{s: s, form: form}
	version, err := strconv.ParseInt(form.Get("version"), 10, 64)
	if err != nil || version < 0 {
		return review.Change{}, s.t("web.error.no_version")
	}
	c := review.Change{Action: action, Version: version}
	switch action {
	case review.ActPlan:
		c.Plan = f.text("plan", "web.plan", maxPlan, true)
		c.Due = f.date("due", "web.due", true)
	case review.ActAssign:
		c.Owner = f.leader()
		c.Due = f.date("plan_deadline", "web.plan_deadline", true)
	case review.ActReassign:
		c.Owner = f.leader()
		c.Note = f.text("reason", "web.reassign_reason", maxReason, true)
		c.Due = f.date("plan_deadline", "web.plan_deadline", false)
	case review.ActRelease:
		c.Note = f.text("reason", "web.release_reason", maxReason, true)
	case review.ActUndismiss:
		c.Note = f.text("reason", "web.undo_reason", maxReason, true)
	case review.ActSupervise:
		c.Note = f.text("note", "web.supervision_note", maxNote, true)
		c.Due = f.date("deadline", "web.supervision_deadline", true)
	case review.ActVisit:
		c.Satisfaction = f.satisfaction()
		c.Note = f.text("note", "web.visit_note", maxNote, true)
	case review.ActProgress:
		c.Note = f.text("note", "web.progress", maxNote, true)
	case review.ActResolve:
		c.Note = f.text("note", "web.note", maxNote, true)
	case review.ActDismiss:
		c.Note = f.text("reason", "web.dismiss_reason", maxReason, true)
		c.Detail = f.text("note", "web.dismiss_note", maxNote, false)
	}
	return c, f.problem
}

// checkText returns why v is not acceptable form text, or nil: invalid UTF-8, control
// characters other than line breaks and tabs, more than max characters, or empty when required.
func checkText(v string, max int, required bool) *i18n.Error {
	switch {
	case !utf8.ValidString(v):
		return i18n.Errorf("web.text.not_utf8")
	case required && strings.TrimSpace(v) == "":
		return i18n.Errorf("web.text.empty")
	case utf8.RuneCountInString(v) > max:
		return i18n.Errorf("web.text.too_long", max)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return i18n.Errorf("web.text.control")
		}
	}
	return nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// --- running the screening ---

func (s *Server) runNow(w http.ResponseWriter, r *http.Request, ss *session) {
	if s.run == nil {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.cannot_run"))
		return
	}
	_, err := s.RunScreening(r.Context(), review.Actor{Name: ss.user, Role: ss.role})
	if errors.Is(err, errRunning) {
		s.fail(w, r, ss, http.StatusConflict, s.localize(err))
		return
	}
	if err != nil {
		// Why it failed (often with paths of the server) goes to the log; the page gives the
		// reference to look it up by.
		s.fail(w, r, ss, http.StatusInternalServerError, s.t("web.error.run_failed", s.logError(r, err)))
		return
	}
	http.Redirect(w, r, "/watchlist?done="+review.ActRun, http.StatusSeeOther)
}

var errRunning = i18n.Errorf("web.error.running")

// RunScreening runs the nightly screening now, with review actions held back until it ends, and
// records it in the audit log on behalf of a.
func (s *Server) RunScreening(ctx context.Context, a review.Actor) (string, error) {
	if s.run == nil {
		return "", i18n.Errorf("web.error.cannot_run")
	}
	if !s.running.TryLock() {
		return "", errRunning
	}
	defer s.running.Unlock()
	var runID string
	err := s.store.Exclusive(func() error {
		var err error
		runID, err = s.run(ctx)
		return err
	})
	if err != nil {
		return "", err
	}
	return runID, s.store.Audit(ctx, a, review.ActRun, runID)
}

// Schedule runs the screening every day at hh:mm in loc until ctx ends; failures are logged.
func (s *Server) Schedule(ctx context.Context, hhmm string, loc *time.Location) {
	for {
		now := s.now()
		next, err := NextRun(now, hhmm, loc)
		if err != nil {
			s.log.Print(s.t("web.log.schedule", s.localize(err)))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		if runID, err := s.RunScreening(ctx, review.Actor{Name: "schedule", Role: review.RoleAdmin}); err != nil {
			s.log.Print(s.t("web.log.scheduled_failed", s.localize(err)))
		} else {
			s.log.Print(s.t("web.log.scheduled_done", runID))
		}
	}
}

// NextRun is the first time after now that the clock in loc shows hhmm.
func NextRun(now time.Time, hhmm string, loc *time.Location) (time.Time, error) {
	at, err := time.Parse("15:04", hhmm)
	if err != nil {
		return time.Time{}, i18n.Errorf("web.error.run_at", hhmm)
	}
	local := now.In(loc)
	next := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, loc)
	if !next.After(local) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, at.Hour(), at.Minute(), 0, 0, loc)
	}
	return next, nil
}
