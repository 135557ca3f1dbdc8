package web

// Rendering: the page templates, the page every handler fills, and error pages.

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/earlywarn/earlywarn/web/review"
)

// parsePages parses the pages with their functions bound to lang and loc:
//
//	{{t key args…}}        the catalogue's message key (web.…) with args
//	{{label code}}         a code's display name (tier, kind, state, channel, role, …)
//	{{change state}}       a state against the previous run's display name (new, worse, …)
//	{{actionLabel action}} an audit log action's display name
//	{{auditChanges entry}} what an audit log entry changed, field by field
//	{{when time}}          a time in loc
//	{{reminder code}}      a reminder's display name (包案, see baoan.go)
//	{{satisfaction code}}  a return visit's satisfaction's display name
//	{{myLink owner}}       the 我的包案 page of owner
func parsePages(lang string, loc *time.Location) (map[string]*template.Template, error) {
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") }
	funcs := template.FuncMap{
		"t":            func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"label":        func(code string) string { return review.Label(lang, code) },
		"change":       func(state string) string { return review.ChangeLabel(lang, state) },
		"actionLabel":  func(action string) string { return review.ActionLabel(lang, action) },
		"auditChanges": func(e review.AuditEntry) []auditChange { return auditChanges(lang, when, e.Before, e.After) },
		"when":         when,
		"matterURL":    func(id string) string { return "/matters/" + url.PathEscape(id) },
		"reminder":     func(code string) string { return i18n.T(lang, "web.reminder."+code) },
		"satisfaction": func(code string) string { return i18n.T(lang, "web.satisfaction."+code) },
		"myLink":       myLink,
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"login", "error", "watchlist", "matter", "audit", "due_soon", "my", "ledger", "bulletin"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.tmpl", "templates/audit_table.tmpl", "templates/baoan.tmpl", "templates/month.tmpl", "templates/"+name+".tmpl")
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every template gets.
type page struct {
	Title            string
	User, Role, CSRF string
	CanAudit, CanRun bool
	CanLedger        bool // may read the monthly ledger and bulletin
	Flash, Error     string
	Data             any
}

func (s *Server) page(ss *session, title string, data any) page {
	p := page{Title: title, Data: data}
	if ss != nil {
		p.User, p.Role, p.CSRF = ss.user, ss.role, ss.csrf
		p.CanAudit = slices.Contains(deciders, ss.role)
		p.CanLedger = slices.Contains(ledgerRoles, ss.role)
		p.CanRun = s.run != nil && ss.role == review.RoleAdmin
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "base", p); err != nil {
		ref := reference()
		s.log.Print(s.t("web.log.render", ref, name, s.localize(err)))
		http.Error(w, s.t("web.error.render", ref), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

type errorData struct {
	Status         int
	Message        string
	Back, BackText string
}

// fail answers with status and a message saying what went wrong and what to do.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, ss *session, status int, message string) {
	d := errorData{Status: status, Message: message, Back: "/watchlist", BackText: s.t("web.watchlist")}
	if id := r.PathValue("id"); id != "" && status != http.StatusNotFound {
		d.Back, d.BackText = "/matters/"+url.PathEscape(id), s.t("web.matter")+" "+id
	}
	if status == http.StatusTooManyRequests || ss == nil {
		d.Back, d.BackText = "/login", s.t("web.sign_in")
	}
	title := s.t("web.error.title")
	if key := "web.error.title." + strconv.Itoa(status); i18n.Has(key) {
		title = s.t(key)
	}
	s.render(w, status, "error", s.page(ss, title, d))
}

// internal answers an error the user cannot act on: the details, often the database's own
// words with paths of the server, go to the server's log under a reference; the page shows
// only the reference.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	if errors.Is(err, review.ErrNoRun) {
		s.fail(w, r, ss, http.StatusNotFound, s.t("web.error.no_run"))
		return
	}
	s.fail(w, r, ss, http.StatusInternalServerError, s.t("web.error.internal", s.logError(r, err)))
}

// logError writes err to the server's log under a fresh reference and returns the reference.
func (s *Server) logError(r *http.Request, err error) string {
	ref := reference()
	s.log.Print(s.t("web.log.request", ref, r.Method, r.URL.Path, s.localize(err)))
	return ref
}

// reference is a fresh id that ties an error page to its line in the server's log.
func reference() string { return newToken()[:12] }

// --- sign-in ---
