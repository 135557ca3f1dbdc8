SELECT user_name, role, csrf, created_at, last_seen, expires_at
FROM {{.sessions}} WHERE token_hash = $1
