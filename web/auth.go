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

// Sign-in throttling, by user name and client address together (one address cannot lock a
// user out for everyone, one user name cannot lock out an address): the first freeFailures
// failed sign-ins of a pair are free; after them each attempt must wait a delay that doubles
// with every further failure, from firstDelay up to maxDelay. A pair's failures are forgotten
// forgetAfter after its last one, and on a successful sign-in.
const (
	freeFailures = 5
	firstDelay   = time.Minute
	maxDelay     = 15 * time.Minute
	forgetAfter  = time.Hour
)

// attempts are one key's failed (or pending) sign-ins.
type attempts struct {
	n    int
	last time.Time
}

type limiter struct {
	mu    sync.Mutex
	byKey map[string]*attempts
	swept time.Time
}

// delay is how long after its last failure a key with n failures waits.
func delay(n int) time.Duration {
	if n < freeFailures {
		return 0
	}
	d := firstDelay
	for i := freeFailures; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

// take asks for a sign-in attempt for key at now. When the key must wait it returns how long
// and counts nothing. Otherwise it counts the attempt as a failure before the password is
// compared, in the same critical section as the check, so that parallel attempts cannot all
// pass the check; a successful sign-in then calls reset.
func (l *limiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) >= forgetAfter {
		for k, a := range l.byKey {
			if now.Sub(a.last) >= forgetAfter {
				delete(l.byKey, k)
			}
		}
		l.swept = now
	}
	a := l.byKey[key]
	if a != nil && now.Sub(a.last) >= forgetAfter {
		a = nil
	}
	if a == nil {
		a = &attempts{}
		l.byKey[key] = a
	}
	if until := a.last.Add(delay(a.n)); a.n > 0 && now.Before(until) {
		return until.Sub(now)
	}
	a.n++
	a.last = now
	return 0
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.byKey, key)
}
