INSERT INTO {{.audit_log}} (acted_at, actor, role, action, matter_id, before_state, after_state)
VALUES ($1, $2, $3, $4, $5, $6, $7)
