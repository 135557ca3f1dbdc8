(SELECT r.matter_id, r.owner, r.plan, r.due_date, r.taken_at, r.resolved_at, r.version,
  r.assigned_by, r.plan_deadline, r.visited_at, r.visited_by, r.visit_note, r.satisfaction, r.reopened_at,
  CASE WHEN r.state = {{.state_dismissed}} AND d.matter_id IS NULL THEN {{.state_open}} ELSE r.state END AS state
FROM {{.matter_review}} r LEFT JOIN (SELECT DISTINCT matter_id FROM {{.dismissals}} WHERE lifted_at IS NULL) d USING (matter_id))
