INSERT INTO {{.matter_review}} (matter_id, state, owner, plan, due_date, taken_at, resolved_at, version,
  updated_at, updated_by, assigned_by, plan_deadline, visited_at, visited_by, visit_note, satisfaction, reopened_at)
VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, $8, $9, $10, $11, CAST($12 AS DATE), $13, $14, $15, $16, $17)
