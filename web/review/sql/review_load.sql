SELECT state, owner, plan, due_date, taken_at, resolved_at, version
FROM {{.reviewed}} WHERE matter_id = $1
