-- escalation higher_level (越级): contacts in the last $lookback_days days about an unresolved
-- case that reached a level at least $min_levels_above above the level handling the case. The
-- flag holds from the day of the $min_contacts-th such contact; strength grows with the levels
-- climbed beyond the threshold.
WITH k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.lvl, c.level AS handling_level, t.lvl - {{level_rank "c.level"}} AS above
  FROM {{.case_contacts}} t JOIN cases c ON c.rowid = t.ck
  WHERE t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
-- Counted first, so that evidence lists are built only for the cases that are flagged.
hit AS (
  SELECT ck FROM k WHERE above >= $min_levels_above GROUP BY ck HAVING count(*) >= $min_contacts
),
ranked AS (
  SELECT k.*, row_number() OVER (PARTITION BY ck ORDER BY contact_date) AS rank
  FROM k SEMI JOIN hit USING (ck)
  WHERE above >= $min_levels_above
),
-- Windows over each case, not list() in a GROUP BY: DuckDB cannot spill a list aggregate's
-- states, and a GROUP BY holds every case's at once.
h AS (
  SELECT ck, list_sort(list(contact_id) OVER w) AS contact_ids, count(*) OVER w AS n,
         min(contact_date) FILTER (WHERE rank = CAST($min_contacts AS INTEGER)) OVER w AS first_flagged,
         max(above) OVER w AS levels_above, {{level_code "max(lvl) OVER w"}} AS top_level,
         handling_level,
         min(contact_date) OVER w AS first_contact, max(contact_date) OVER w AS last_contact
  FROM ranked
  WINDOW w AS (PARTITION BY ck)
  QUALIFY rank = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, h.contact_ids, h.first_flagged,
       (1 + h.levels_above - $min_levels_above) * h.n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'handling_level', h.handling_level,
                   'top_level', h.top_level, 'levels_above', h.levels_above,
                   'first_contact', h.first_contact, 'last_contact', h.last_contact,
                   'stage', s.stage)::VARCHAR AS facts
FROM h JOIN {{.case_state}} s USING (ck)
WHERE NOT s.resolved
