-- stalled_case: a case in a pending stage whose measure reached $threshold. The measure, the
-- first day the condition held and the strength are the check's (stalled_<check>.sql). The nth
-- extension's date (counted since the case was last reopened, as case_state counts them) is the
-- day an extensions check first held.
WITH s AS (
  SELECT *, {{template "measure"}} AS measure FROM {{.case_state}} WHERE pending
),
hit AS (SELECT * FROM s WHERE measure >= $threshold),
nth AS (
  SELECT e.case_id, list_sort(list(e.event_date))[CAST($threshold AS INTEGER)] AS nth_extension
  FROM events e JOIN hit USING (case_id)
  WHERE e.event_type = 'extended' AND e.event_date <= CAST($as_of AS DATE)
    AND (hit.reopened_on IS NULL OR e.event_date >= hit.reopened_on)
  GROUP BY e.case_id
)
SELECT 'case:' || case_id AS matter_id, 'case' AS matter_kind,
       [case_id] AS case_ids, []::VARCHAR[] AS contact_ids,
       {{template "first_flagged"}} AS first_flagged,
       {{template "strength"}} AS strength,
       json_object('stage', stage, 'received', received_date, 'deadline', deadline,
                   'days_overdue', greatest(CAST($as_of AS DATE) - deadline, 0),
                   'last_progress', progress_date, 'last_progress_type', progress_type,
                   'days_since_progress', CAST($as_of AS DATE) - progress_date,
                   'extensions', extensions, 'threshold', $threshold)::VARCHAR AS facts
FROM hit LEFT JOIN nth USING (case_id)
