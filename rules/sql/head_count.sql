-- group_signal head_count: one contact of $min_people or more people about a case, in the last
-- $lookback_days days. One flag per case, from its first such contact.
WITH k AS (
  SELECT contact_id, case_id, contact_date, head_count
  FROM contacts
  WHERE case_id IS NOT NULL AND head_count >= $min_people
    AND contact_date <= CAST($as_of AS DATE)
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
)
SELECT 'case:' || k.case_id AS matter_id, 'case' AS matter_kind,
       [k.case_id] AS case_ids,
       list_sort(list(k.contact_id)) AS contact_ids,
       min(k.contact_date) AS first_flagged,
       max(k.head_count) / $min_people AS strength,
       json_object('people', max(k.head_count), 'min_people', $min_people, 'contacts', count(*),
                   'first_date', min(k.contact_date), 'last_date', max(k.contact_date),
                   'stage', any_value(s.stage))::VARCHAR AS facts
FROM k JOIN {{.case_state}} s USING (case_id)
WHERE NOT ($skip_resolved AND s.resolved)
GROUP BY k.case_id
