UPDATE {{.sessions}} SET last_seen = $2, expires_at = $3 WHERE token_hash = $1
