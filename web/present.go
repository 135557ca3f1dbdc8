package web

// How the list and the audit log read: the list's tabs (matters still to handle, resolved,
// dismissed), and the audit log with its filters, paging and each entry as what it changed.

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/earlywarn/earlywarn/web/review"
)

// tabLink is one tab of the list: its matters under the filter, and the link to it.
type tabLink struct {
	Tab, URL string
	N        int
	Active   bool
}

// tabFor is the tab a list filter shows: its own, or the one of the review state it selects.
func tabFor(f review.Filter) string {
	switch {
	case f.State != "":
		return review.TabOf(f.State)
	case f.Tab != "":
		return f.Tab
	}
	return review.TabOpen
}

// tabParam is the list's tab query parameter: none for the default tab.
func tabParam(tab string) string {
	if tab == review.TabOpen {
		return ""
	}
	return tab
}

// watchlistTabs links each tab with the list's filter, its review state and page aside.
func watchlistTabs(f review.Filter, counts []review.TabCount) []tabLink {
	out := make([]tabLink, 0, len(counts))
	for _, c := range counts {
		params := listParams(f)
		params["state"], params["tab"] = "", tabParam(c.Tab)
		out = append(out, tabLink{Tab: c.Tab, URL: withQuery("/watchlist", params), N: c.N, Active: c.Tab == f.Tab})
	}
	return out
}

// listParams are the watchlist's query parameters for filter f, page aside ("" for those unset).
func listParams(f review.Filter) map[string]string {
	return map[string]string{"tier": f.Tier, "township": f.Township, "category": f.Category, "rule": f.Rule, "state": f.State,
		"change": f.Change, "tab": tabParam(f.Tab), "owner": f.Owner, "reminder": f.Reminder, "sort": f.Sort}
}

// withQuery is path with the non-empty params as its query.
func withQuery(path string, params map[string]string) string {
	v := url.Values{}
	for k, val := range params {
		if val != "" {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// pageLinks are the links to the pages before and after page of pages ("" for none): path with
// params and the page's number.
func pageLinks(path string, params map[string]string, page, pages int) (prev, next string) {
	link := func(n int) string {
		p := maps.Clone(params)
		p["page"] = strconv.Itoa(n)
		return withQuery(path, p)
	}
	if page > 1 {
		prev = link(min(page-1, pages))
	}
	if page < pages {
		next = link(page + 1)
	}
	return prev, next
}

// auditPerPage is the audit log's page size.
const auditPerPage = 50

// auditForm is the audit log's filter as the query gives it.
type auditForm struct {
	User, Action, Matter, From, To string
}

type auditData struct {
	Page       review.AuditPage
	Form       auditForm
	Users      []string
	Actions    []string
	Zone       string // the offset from UTC of the zone times are shown in, now
	Prev, Next string
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, ss *session) {
	q := r.URL.Query()
	form := auditForm{User: q.Get("user"), Action: q.Get("action"), Matter: q.Get("matter"), From: q.Get("from"), To: q.Get("to")}
	f := review.AuditFilter{Actor: form.User, Action: form.Action, Matter: form.Matter, Page: 1, PerPage: auditPerPage}
	bad := func(field, label, value string) {
		s.fail(w, r, ss, http.StatusBadRequest, s.t("web.error.bad_filter", s.t(label), field, clip(value, 60)))
	}
	for _, kv := range [][3]string{{"user", "web.who", form.User}, {"matter", "web.matter", form.Matter}} {
		if checkText(kv[2], maxFilter, false) != nil {
			bad(kv[0], kv[1], kv[2])
			return
		}
	}
	if form.Action != "" && !slices.Contains(review.Actions, form.Action) {
		bad("action", "web.action", form.Action)
		return
	}
	// Dates are days in the server's zone: from its first instant to the end of the last day.
	for _, d := range []struct {
		field, label, value string
		into                *time.Time
		days                int
	}{{"from", "web.audit.from", form.From, &f.From, 0}, {"to", "web.audit.to", form.To, &f.To, 1}} {
		if d.value == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, d.value, s.loc)
		if err != nil {
			bad(d.field, d.label, d.value)
			return
		}
		*d.into = day.AddDate(0, 0, d.days)
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			bad("page", "web.page_number", p)
			return
		}
		f.Page = n
	}
	pg, err := review.AuditSearch(r.Context(), s.store.DB(), f)
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	users, err := review.AuditActors(r.Context(), s.store.DB())
	if err != nil {
		s.internal(w, r, ss, err)
		return
	}
	d := auditData{Page: pg, Form: form, Users: users, Actions: review.Actions, Zone: s.now().In(s.loc).Format("-07:00")}
	d.Prev, d.Next = pageLinks("/audit", map[string]string{"user": form.User, "action": form.Action, "matter": form.Matter,
		"from": form.From, "to": form.To}, pg.Page, pg.Pages)
	s.render(w, http.StatusOK, "audit", s.page(ss, s.t("web.audit"), d))
}

// auditFields are the fields of an audit log state (review.State, or a detail) in the order
// shown, with their labels. The version is not shown: every change increments it.
var auditFields = []struct{ name, key string }{
	{"state", "web.state"}, {"owner", "web.owner"}, {"plan", "web.plan"}, {"due", "web.due"},
	{"taken_at", "web.audit.taken_at"}, {"resolved_at", "web.audit.resolved_at"},
	{"note", "web.note"}, {"detail", "web.audit.detail"},
	{"assigned_by", "web.audit.assigned_by"}, {"plan_deadline", "web.audit.plan_deadline"},
	{"supervision", "web.audit.supervision"}, {"visited_at", "web.audit.visited_at"}, {"visited_by", "web.audit.visited_by"},
	{"visit_note", "web.audit.visit_note"}, {"satisfaction", "web.audit.satisfaction"}, {"reopened_at", "web.audit.reopened_at"},
}

// auditHidden are the fields of a state the audit log does not show.
var auditHidden = []string{"version"}

// auditChange is one field an audit log entry changed: its label, and its value before and after
// ("" for none).
type auditChange struct {
	Label, Before, After string
}

// auditChanges compares the before and after states of an audit log entry (JSON objects) field
// by field in lang: the fields whose value changed, in the order of auditFields, then those it
// does not know, by name. A state is shown by its label, a time in the page's zone (when). Text
// that is not a JSON object is shown as it is.
func auditChanges(lang string, when func(time.Time) string, before, after string) []auditChange {
	decode := func(js string) (map[string]any, bool) {
		m := map[string]any{}
		if js == "" {
			return m, true
		}
		d := json.NewDecoder(strings.NewReader(js))
		d.UseNumber()
		return m, d.Decode(&m) == nil
	}
	b, okB := decode(before)
	a, okA := decode(after)
	if !okB || !okA {
		return []auditChange{{Label: i18n.T(lang, "web.audit.detail"), Before: before, After: after}}
	}
	show := func(name string, v any) string {
		if v == nil {
			return ""
		}
		s, isText := v.(string)
		switch {
		case name == "state" && isText:
			return review.Label(lang, s)
		case name == "satisfaction" && isText:
			return i18n.T(lang, "web.satisfaction."+s)
		case name == "supervision":
			if sup, ok := v.(map[string]any); ok {
				at := fmt.Sprint(sup["at"])
				if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
					at = when(t)
				}
				return i18n.T(lang, "web.supervised", at, sup["by"], sup["deadline"], sup["note"])
			}
		case strings.HasSuffix(name, "_at") && isText:
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return when(t)
			}
		}
		return fmt.Sprint(v)
	}
	var out []auditChange
	add := func(name, label string) {
		bv, av := show(name, b[name]), show(name, a[name])
		if bv != av {
			out = append(out, auditChange{Label: label, Before: bv, After: av})
		}
	}
	known := map[string]bool{}
	for _, f := range auditFields {
		known[f.name] = true
		add(f.name, i18n.T(lang, f.key))
	}
	others := map[string]bool{}
	for _, m := range []map[string]any{b, a} {
		for k := range m {
			if !known[k] && !slices.Contains(auditHidden, k) {
				others[k] = true
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(others)) {
		add(k, k)
	}
	return out
}
