-- A session is over when its expiry has passed, or when it has been idle longer than the idle
-- limit in force now ($2 is now less the limit), which may be shorter than when it was set.
DELETE FROM {{.sessions}} WHERE expires_at < $1 OR last_seen < $2
