-- One page of the audit log, newest first: the entries of user $1, action $2 and matter $3 ('' for
-- any) acted at or after $4 and before $5 (NULL for no bound), $6 of them from offset $7; each
-- with how many entries match.
SELECT seq, acted_at, actor, role, action, coalesce(matter_id, ''),
  coalesce(CAST(before_state AS VARCHAR), ''), coalesce(CAST(after_state AS VARCHAR), ''), count(*) OVER ()
FROM {{.audit_log}}
WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR matter_id = $3)
  AND ($4::TIMESTAMPTZ IS NULL OR acted_at >= $4::TIMESTAMPTZ) AND ($5::TIMESTAMPTZ IS NULL OR acted_at < $5::TIMESTAMPTZ)
ORDER BY seq DESC LIMIT $6 OFFSET $7
