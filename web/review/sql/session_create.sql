INSERT INTO {{.sessions}} (token_hash, user_name, role, csrf, created_at, last_seen, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
