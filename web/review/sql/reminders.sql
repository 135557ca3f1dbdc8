-- Every owned matter, with the title of its latest watchlist item, and its reminders (see Reminders): $1 today (a DATE in the office's zone),
-- $2 the first instant of the day 30 days before today, $3 that of the day serve.plan_days days
-- before today.
--   no_progress          本月未报进展: owned since before $2 (or reopened then) and no progress
--                        note since $2;
--   no_plan              无方案: no plan, and its plan deadline passed, or (none set) owned since
--                        before $3;
--   overdue              已逾期: past its due date;
--   supervision_overdue  督办逾期: the latest supervision's deadline passed with no progress note
--                        since that supervision.
WITH notes AS (SELECT matter_id, max(noted_at) AS last_note FROM {{.progress_notes}} GROUP BY matter_id),
sup AS (
  SELECT matter_id, arg_max(deadline, supervised_at) AS deadline, max(supervised_at) AS pressed_at
  FROM {{.supervisions}} GROUP BY matter_id
),
titles AS (
  {{template "latest_items" .}}
)
SELECT m.matter_id, coalesce(t.title, ''), coalesce(t.township, ''), coalesce(t.category, ''), m.owner, coalesce(m.plan, ''), coalesce(strftime(m.due_date, '%Y-%m-%d'), ''),
  coalesce(strftime(m.plan_deadline, '%Y-%m-%d'), ''), m.taken_at, n.last_note, coalesce(strftime(s.deadline, '%Y-%m-%d'), ''),
  coalesce(coalesce(m.reopened_at, m.taken_at) < $2 AND (n.last_note IS NULL OR n.last_note < $2), false) AS no_progress,
  coalesce(coalesce(m.plan, '') = '' AND (m.plan_deadline < CAST($1 AS DATE) OR (m.plan_deadline IS NULL AND m.taken_at < $3)), false) AS no_plan,
  coalesce(m.due_date < CAST($1 AS DATE), false) AS overdue,
  coalesce(s.deadline < CAST($1 AS DATE) AND (n.last_note IS NULL OR n.last_note <= s.pressed_at), false) AS supervision_overdue
FROM {{.reviewed}} m LEFT JOIN notes n USING (matter_id) LEFT JOIN sup s USING (matter_id)
  LEFT JOIN titles t USING (matter_id)
WHERE m.state = {{.state_owned}} AND m.owner IS NOT NULL
ORDER BY m.owner, m.matter_id
