package review

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Sessions of the review app, in the sessions table so that a restart of the server keeps its
// users signed in. A row is keyed by SessionKey of the session's token: the token itself, which
// the browser holds in its cookie, is stored nowhere, so reading the table signs nobody in.

// Session is a signed-in user's session as stored.
type Session struct {
	User, Role string
	CSRF       string // the token every form of the session carries
	Created    time.Time
	LastSeen   time.Time // the last request, to within the server's touch interval
	Expires    time.Time // LastSeen plus the idle limit in force when it was set
}

// SessionKey is the key a session with token is stored under: a SHA-256 of the token (a random
// 256-bit value, so a plain hash is as good as a keyed one), in hex.
func SessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession stores s under key.
func CreateSession(ctx context.Context, q Execer, key string, s Session) error {
	_, err := q.ExecContext(ctx, sessionCreateSQL, key, s.User, s.Role, s.CSRF, s.Created.UTC(), s.LastSeen.UTC(), s.Expires.UTC())
	return sessionErr(err)
}

// LoadSession returns the session stored under key; false when there is none.
func LoadSession(ctx context.Context, q Querier, key string) (Session, bool, error) {
	var s Session
	err := q.QueryRowContext(ctx, sessionLoadSQL, key).Scan(&s.User, &s.Role, &s.CSRF, &s.Created, &s.LastSeen, &s.Expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, sessionErr(err)
	}
	return s, true, nil
}

// TouchSession records a request on the session under key at lastSeen, with its new expiry.
func TouchSession(ctx context.Context, q Execer, key string, lastSeen, expires time.Time) error {
	_, err := q.ExecContext(ctx, sessionTouchSQL, key, lastSeen.UTC(), expires.UTC())
	return sessionErr(err)
}

// DeleteSession removes the session under key (signing out, or a session found over).
func DeleteSession(ctx context.Context, q Execer, key string) error {
	_, err := q.ExecContext(ctx, sessionDeleteSQL, key)
	return sessionErr(err)
}

// PurgeSessions removes the sessions expired at now or idle since before idleSince (now less
// the idle limit in force), and returns how many.
func PurgeSessions(ctx context.Context, q Execer, now, idleSince time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, sessionPurgeSQL, now.UTC(), idleSince.UTC())
	if err != nil {
		return 0, sessionErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func sessionErr(err error) error {
	if err == nil {
		return nil
	}
	return i18n.Wrap(err, "web.db.sessions")
}
