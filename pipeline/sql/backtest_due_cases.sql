-- The pending cases of the day screened whose current stage falls due from the day before
-- (first overdue that day) to $due_soon_days days ahead (the due-soon list of that day).
INSERT INTO bt_due
SELECT CAST($bt_day AS DATE), case_id, stage, deadline FROM {{.case_state}}
WHERE pending
  AND deadline BETWEEN CAST($bt_day AS DATE) - 1 AND CAST($bt_day AS DATE) + CAST($due_soon_days AS INTEGER)
