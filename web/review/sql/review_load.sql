SELECT state, owner, plan, due_date, taken_at, resolved_at, version,
  assigned_by, plan_deadline, visited_at, visited_by, visit_note, satisfaction, reopened_at
FROM {{.reviewed}} WHERE matter_id = $1
