package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"sync"
	"time"
)

// session is a signed-in user. Sessions live in the server's memory: a restart signs everyone
// out.
type session struct {
	user    string
	role    string
	csrf    string
	expires time.Time
}

type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	ttl  time.Duration
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func (s *sessions) create(user, role string, now time.Time) (string, *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, ss := range s.byID { // drop expired sessions as new ones come
		if now.After(ss.expires) {
			delete(s.byID, id)
		}
	}
	id := newToken()
	ss := &session{user: user, role: role, csrf: newToken(), expires: now.Add(s.ttl)}
	s.byID[id] = ss
	return id, ss
}

// get returns the live session id names and extends it, or nil when there is none or it
// expired (expired is then true).
func (s *sessions) get(id string, now time.Time) (ss *session, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	if now.After(ss.expires) {
		delete(s.byID, id)
		return nil, true
	}
	ss.expires = now.Add(s.ttl)
	c := *ss
	return &c, false
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// Sign-in throttling: after maxFailures failed sign-ins within failureWindow, for one user name
// or from one client address, further attempts are refused until the oldest failure leaves the
// window.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
)

type limiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

// retryAfter returns how long key must wait, 0 when it may try now.
func (l *limiter) retryAfter(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.recent(key, now)
	if len(f) < maxFailures {
		return 0
	}
	return f[len(f)-maxFailures].Add(failureWindow).Sub(now)
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[key] = append(l.recent(key, now), now)
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *limiter) recent(key string, now time.Time) []time.Time {
	f := l.failures[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= failureWindow {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = f
	}
	return f
}
