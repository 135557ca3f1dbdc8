-- escalation continued_after_answer (答复后仍持续信访): contacts strictly after the latest event
-- that gave the complainant an answer (answer_types: answered, reviewed, rereviewed, terminated
-- or closed) of a case that is not back in a pending stage. The flag needs $min_contacts of them
-- in the last $lookback_days days (recent) and holds from the day of the $min_contacts-th of
-- those. The evidence and the counts cover every contact since the answer; recent_contacts and
-- recent_first_contact say how many of them, from which day, fall in the lookback.
WITH answered AS (
  SELECT s.ck, a.answer_type, a.answered_on
  FROM (SELECT case_id, arg_max(event_type, (event_date, {{event_seq "event_type"}})) AS answer_type, max(event_date) AS answered_on
        FROM events
        WHERE event_type IN ({{.answer_types}}) AND event_date <= CAST($as_of AS DATE)
          AND case_id IN (SELECT case_id FROM {{.case_state}} WHERE NOT pending)
        GROUP BY case_id) a
  JOIN {{.case_state}} s USING (case_id)
  WHERE NOT s.pending
),
k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.pk,
         t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) AS recent
  FROM {{.case_contacts}} t JOIN answered a USING (ck)
  WHERE t.contact_date > a.answered_on
),
hit AS (
  -- Counted first, so that evidence lists are built only for the cases that are flagged.
  SELECT ck FROM k WHERE recent GROUP BY ck HAVING count(*) >= $min_contacts
),
-- The flagged cases' contacts, those in the lookback ranked by date (recent_rank).
flagged AS MATERIALIZED (
  SELECT k.*, CASE WHEN recent THEN row_number() OVER (PARTITION BY ck, recent ORDER BY contact_date) END AS recent_rank
  FROM k SEMI JOIN hit USING (ck)
),
h AS (
  SELECT ck, count(*) AS n, count(*) FILTER (WHERE recent) AS recent_n, count(DISTINCT pk) AS persons,
         count(DISTINCT pk) FILTER (WHERE pk < 0) AS unnamed,
         min(contact_date) FILTER (WHERE recent_rank = CAST($min_contacts AS INTEGER)) AS first_flagged,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact,
         min(contact_date) FILTER (WHERE recent) AS recent_first_contact
  FROM flagged GROUP BY ck
),
-- The contact ids by a window, not list() in a GROUP BY: DuckDB cannot spill a list
-- aggregate's states, and a GROUP BY holds every case's at once. Only each case's first row
-- frames the whole case; the others frame themselves, so that no case's list is copied to
-- each of its rows.
id_rank AS (
  SELECT ck, contact_id, row_number() OVER (PARTITION BY ck ORDER BY contact_id) AS i
  FROM flagged
),
ids AS (
  SELECT ck, list_sort(contact_ids) AS contact_ids
  FROM (SELECT ck, i, list(contact_id) OVER (PARTITION BY ck ORDER BY contact_id
                        ROWS BETWEEN CURRENT ROW AND CASE WHEN i = 1 THEN 2147483647 ELSE 0 END FOLLOWING) AS contact_ids
        FROM id_rank)
  WHERE i = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, i.contact_ids, h.first_flagged,
       h.recent_n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'answered_on', a.answered_on,
                   'answer_type', a.answer_type, 'first_contact', h.first_contact,
                   'last_contact', h.last_contact, 'persons', h.persons, 'unnamed', h.unnamed,
                   'recent_contacts', h.recent_n, 'recent_first_contact', h.recent_first_contact,
                   'lookback_days', $lookback_days,
                   'stage', s.stage)::VARCHAR AS facts
FROM h JOIN ids i USING (ck) JOIN answered a USING (ck) JOIN {{.case_state}} s USING (ck)
