-- The evidence timeline of matter $2 on run $1's watchlist, at most $3 entries, each with the
-- count of all: its cases' receipt, its evidence contacts and every contact of its cases up to
-- the as-of date (a visit no rule counted is still part of the case's story), its evidence
-- events. Kind k: 0 received, 1 contact, 2 event (with an evaluation's result).
WITH t AS (
  SELECT received_date AS d, 0 AS k, case_id, case_id AS ref, '' AS what, '' AS result, channel, level, complainant_id AS person, coalesce(head_count, 1) AS n
  FROM {{.cases}} WHERE case_id IN (SELECT unnest(case_ids) FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2)
  UNION ALL
  SELECT contact_date, 1, coalesce(case_id, ''), contact_id, '', '', channel, level, person_id, coalesce(head_count, 1)
  FROM {{.contacts}}
  WHERE contact_id IN (SELECT unnest(contact_ids) FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2)
     OR case_id IN (SELECT unnest(case_ids) FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2)
        AND contact_date <= (SELECT as_of FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2)
  UNION ALL
  SELECT event_date, 2, case_id, event_id, event_type, coalesce(result, ''), '', '', '', 0
  FROM {{.events}} WHERE event_id IN (SELECT unnest(event_ids) FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2)
)
SELECT strftime(d, '%Y-%m-%d'), k, case_id, ref, what, result, channel, level, person, n, count(*) OVER ()
FROM t ORDER BY d, k, ref LIMIT $3
