-- The latest $1 entries, newest first, of matter $2, or of all when $2 is ''.
SELECT seq, acted_at, actor, role, action, coalesce(matter_id, ''),
  coalesce(CAST(before_state AS VARCHAR), ''), coalesce(CAST(after_state AS VARCHAR), '')
FROM {{.audit_log}} WHERE ($2 = '' OR matter_id = $2) ORDER BY seq DESC LIMIT $1
