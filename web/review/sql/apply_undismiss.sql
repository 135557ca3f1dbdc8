-- Undoing a dismissal in review: every dismissal of matter $1 still in force is lifted at $2
-- with reason $3.
UPDATE {{.dismissals}} SET lifted_at = $2, lifted_reason = $3 WHERE matter_id = $1 AND lifted_at IS NULL
