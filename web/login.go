package web

// Signing in and out.

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earlywarn/earlywarn/web/review"
)

type loginData struct{ Token, Next string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if ss, _, _ := s.sessions.get(r.Context(), c.Value, s.now()); ss != nil {
			http.Redirect(w, r, "/watchlist", http.StatusSeeOther)
			return
		}
	}
	p := s.loginForm(w, r.URL.Query().Get("next"))
	switch {
	case r.URL.Query().Get("expired") != "":
		p.Error = s.t("web.login.expired")
	case r.URL.Query().Get("out") != "":
		p.Flash = s.t("web.login.signed_out")
	}
	s.render(w, http.StatusOK, "login", p)
}

// loginForm sets a fresh sign-in token cookie (a double-submit CSRF token: a forged sign-in
// from another site cannot read it) and returns the form's page.
func (s *Server) loginForm(w http.ResponseWriter, next string) page {
	token := newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	return s.page(nil, s.t("web.sign_in"), loginData{Token: token, Next: localPath(next)})
}

// localPath returns p when it is a path on this site, else "": one leading "/", no "//" and
// no "\" anywhere (browsers read "/\host" and, after dropping tabs and newlines, "/\t/host" as
// another site), no control characters, no scheme or host.
func localPath(p string) string {
	if len(p) >= 1000 || !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.Contains(p, `\`) || !utf8.ValidString(p) {
		return ""
	}
	for _, c := range p {
		if unicode.IsControl(c) {
			return ""
		}
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return p
}

// clientAddr is the address a request comes from: the direct peer, or, when the peer is a
// trusted proxy (serve.trusted_proxies), the nearest address in X-Forwarded-For that is not
// one, read from the right (the hops the proxies appended; what is left of them the client
// may have written itself).
func (s *Server) clientAddr(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil {
		return peer
	}
	addr = addr.Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: the last proxy is the best known address
		}
		addr = hop.Unmap()
		if !s.trusted(addr) {
			break
		}
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, nil, http.StatusBadRequest, s.t("web.error.login_unreadable"))
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !equalTokens(r.PostForm.Get("login_token"), c.Value) || !sameOrigin(r) {
		s.fail(w, r, nil, http.StatusForbidden, s.t("web.error.login_stale"))
		return
	}
	name, password := r.PostForm.Get("user"), r.PostForm.Get("password")
	// The attempt takes its slot in the throttle before the password is compared: parallel
	// attempts cannot all get past the check.
	key := name + "\x00" + s.clientAddr(r)
	if wait := s.limiter.take(key, s.now()); wait > 0 {
		minutes := int((wait + time.Minute - 1) / time.Minute)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.fail(w, r, nil, http.StatusTooManyRequests, s.t("web.error.too_many_sign_ins", minutes))
		return
	}
	// An unknown user is compared against a stand-in hash of the users' bcrypt cost, so that
	// it takes as long as a wrong password.
	u, known := s.users[name]
	hash := s.dummy
	if known {
		hash = []byte(u.PasswordHash)
	}
	ok := s.compare(hash, []byte(password)) == nil && known && len(password) <= 256
	if !ok {
		p := s.loginForm(w, r.PostForm.Get("next"))
		p.Error = s.t("web.login.bad")
		s.render(w, http.StatusUnauthorized, "login", p)
		return
	}
	s.limiter.reset(key)
	now := s.now()
	id, _, err := s.sessions.create(r.Context(), u.Name, u.Role, now)
	if err != nil {
		s.internal(w, r, nil, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	if err := s.store.Audit(r.Context(), review.Actor{Name: u.Name, Role: u.Role}, review.ActSignIn, ""); err != nil {
		s.log.Print(s.t("web.log.audit", review.ActionLabel(s.lang, review.ActSignIn), s.localize(err)))
	}
	next := localPath(r.PostForm.Get("next"))
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, ss *session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.sessions.delete(r.Context(), c.Value); err != nil {
			s.internal(w, r, ss, err)
			return
		}
	}
	if err := s.store.Audit(r.Context(), review.Actor{Name: ss.user, Role: ss.role}, review.ActSignOut, ""); err != nil {
		s.log.Print(s.t("web.log.audit", review.ActionLabel(s.lang, review.ActSignOut), s.localize(err)))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login?out=1", http.StatusSeeOther)
}

// --- pages ---
