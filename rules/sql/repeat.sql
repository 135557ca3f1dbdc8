-- repeat_visits: a case whose contacts number at least $min_contacts within some window of
-- $window_days days ending in the last $lookback_days days.
--
-- Everything up to the final join works on the integer case key ck. The evidence is the
-- contacts of the latest window holding the peak count, and the reason's count, people, dates
-- and levels are theirs; only total_contacts counts every contact in the lookback. Listing
-- every contact of a busy case would cost more than the rest of the rule and store the case's
-- whole history in every run.
WITH k AS NOT MATERIALIZED (
  SELECT ck, contact_date, contact_id, pk, lvl
  FROM {{.case_contacts}}
  WHERE contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
w AS (
  SELECT ck, contact_date,
         count(*) OVER (PARTITION BY ck ORDER BY contact_date - DATE '2000-01-01'
                        RANGE BETWEEN CAST($window_days AS INTEGER) - 1 PRECEDING AND CURRENT ROW) AS in_window
  FROM k
),
hit AS (
  SELECT ck, min(contact_date) AS first_flagged, max(in_window) AS peak,
         arg_max(contact_date, (in_window, contact_date)) AS peak_to
  FROM w
  WHERE in_window >= $min_contacts
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  GROUP BY ck
),
ev AS (
  SELECT ck, count(*) AS total_contacts
  FROM k SEMI JOIN hit USING (ck)
  WHERE contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  GROUP BY ck
),
peak_contacts AS (
  SELECT k.*
  FROM k JOIN hit USING (ck)
  WHERE k.contact_date BETWEEN hit.peak_to - CAST($window_days AS INTEGER) + 1 AND hit.peak_to
),
peak AS (
  SELECT ck, count(*) AS contacts, count(DISTINCT pk) AS persons, count(DISTINCT pk) FILTER (WHERE pk < 0) AS unnamed,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact,
         max(lvl) AS top_lvl, max(lvl) - min(lvl) AS levels_climbed
  FROM peak_contacts
  GROUP BY ck
),
-- The peak's contact ids by a window, not list() in a GROUP BY: DuckDB cannot spill a list
-- aggregate's states, and a GROUP BY holds every case's at once.
ids AS (
  SELECT ck, list_sort(list(contact_id) OVER (PARTITION BY ck)) AS contact_ids
  FROM peak_contacts
  QUALIFY row_number() OVER (PARTITION BY ck) = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, i.contact_ids,
       h.first_flagged,
       h.peak / $min_contacts AS strength,
       json_object('contacts', p.contacts, 'total_contacts', ev.total_contacts, 'persons', p.persons, 'unnamed', p.unnamed,
                   'window_days', $window_days, 'min_contacts', $min_contacts,
                   'first_contact', p.first_contact, 'last_contact', p.last_contact,
                   'top_level', {{level_code "p.top_lvl"}}, 'levels_climbed', p.levels_climbed,
                   'stage', s.stage)::VARCHAR AS facts
FROM hit h
JOIN ev USING (ck)
JOIN peak p USING (ck)
JOIN ids i USING (ck)
JOIN {{.case_state}} s USING (ck)
WHERE NOT ($skip_resolved AND s.resolved)
