package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"sync"
	"time"

	"github.com/earlywarn/earlywarn/web/review"
)

// session is a signed-in user, as a request sees it.
type session struct {
	user string
	role string
	csrf string
}

// sessions keeps the signed-in users in the database (review.Session, the sessions table), so
// that a restart of the server keeps them signed in. The browser's cookie holds the session's
// token; the table holds only a hash of it. A session ends when it has been idle for ttl
// (serve.session_minutes), on signing out, or when its user is no longer in serve.users with
// the role it was signed in with.
type sessions struct {
	db *sql.DB
	// mu serialises the writes: the parallel requests of one browser would otherwise touch
	// the same row at once, which DuckDB refuses as a conflict.
	mu    sync.Mutex
	ttl   time.Duration
	valid func(user, role string) bool // whether the config still has user, with role
	warn  func(error)                  // a failed touch: logged, the request goes on
}

// touchEvery is how often a session's last request is written: at most once a minute, to
// spare a write on every request. A session thus expires up to this much before ttl after its
// last request.
const touchEvery = time.Minute

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// create signs user in with role at now: it stores a new session, after removing the ones that
// are over, and returns its token (for the cookie).
func (s *sessions) create(ctx context.Context, user, role string, now time.Time) (string, *session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := review.PurgeSessions(ctx, s.db, now, now.Add(-s.ttl)); err != nil {
		return "", nil, err
	}
	token := newToken()
	st := review.Session{User: user, Role: role, CSRF: newToken(), Created: now, LastSeen: now, Expires: now.Add(s.ttl)}
	if err := review.CreateSession(ctx, s.db, review.SessionKey(token), st); err != nil {
		return "", nil, err
	}
	return token, &session{user: user, role: role, csrf: st.CSRF}, nil
}

// get returns the live session token names and records the request on it (at most once every
// touchEvery). It returns nil when there is none, when it is over (expired is then true; the
// row is removed) or when its user has left serve.users or changed role (the row is removed).
// err is a failure to read or remove it.
func (s *sessions) get(ctx context.Context, token string, now time.Time) (ss *session, expired bool, err error) {
	if token == "" {
		return nil, false, nil
	}
	key := review.SessionKey(token)
	st, ok, err := review.LoadSession(ctx, s.db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	if over := now.After(st.Expires) || now.After(st.LastSeen.Add(s.ttl)); over || !s.valid(st.User, st.Role) {
		return nil, over, s.delete(ctx, token)
	}
	if now.Sub(st.LastSeen) >= touchEvery {
		s.mu.Lock()
		err := review.TouchSession(ctx, s.db, key, now, now.Add(s.ttl))
		s.mu.Unlock()
		if err != nil && s.warn != nil {
			s.warn(err)
		}
	}
	return &session{user: st.User, role: st.Role, csrf: st.CSRF}, false, nil
}

// delete ends the session token names.
func (s *sessions) delete(ctx context.Context, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return review.DeleteSession(ctx, s.db, review.SessionKey(token))
}

// purge removes the sessions that are over at now.
func (s *sessions) purge(ctx context.Context, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := review.PurgeSessions(ctx, s.db, now, now.Add(-s.ttl))
	return err
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
