INSERT INTO {{.dismissals}} (matter_id, run_id, dismissed_by, dismissed_at, reason, lifted_at, lifted_reason, note)
VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)
