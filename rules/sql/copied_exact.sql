-- group_signal copied_letters with similarity 1: cases from at least $min_complainants distinct
-- complainants, on one of $channels, whose contents are equal once reduced to their letters
-- (digits, punctuation and spaces dropped, lower-cased), received with gaps of at most
-- $window_days days. One flag per episode of a text, from the day its $min_complainants-th
-- complainant wrote. Its township and category: copied_most.sql.
WITH c AS (
  -- The letters, reduced before screening (table case_letters, see letters_table.sql).
  SELECT s.ck, s.case_id, s.received_date, s.complainant_id, s.township, s.category, s.channel, s.resolved,
         l.h, l.letters_len
  FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid JOIN case_letters l ON l.case_id = c.case_id
  WHERE c.content IS NOT NULL
    AND list_contains($channels, c.channel)
    AND s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
g AS (
  SELECT *, sum(CASE WHEN prev IS NULL OR received_date - prev > $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY h ORDER BY received_date, case_id) AS episode
  FROM (SELECT *, lag(received_date) OVER (PARTITION BY h ORDER BY received_date, case_id) AS prev
        FROM c WHERE letters_len >= $min_chars
          AND h IN (SELECT h FROM c GROUP BY h HAVING count(DISTINCT complainant_id) >= $min_complainants))
),
firsts AS (
  SELECT h, episode, complainant_id, min(received_date) AS d FROM g GROUP BY ALL
),
cl AS (
  SELECT h, episode, list_sort(list(d))[$min_complainants] AS first_flagged, count(*) AS complainants,
         count(*) FILTER (WHERE starts_with(complainant_id, 'U:')) AS unnamed
  FROM firsts GROUP BY h, episode
  HAVING count(*) >= $min_complainants
),
members AS (
  SELECT g.* FROM g SEMI JOIN cl USING (h, episode)
),
{{template "copied_most" "h, episode"}},
mc AS (
  SELECT m.h, m.episode, list_sort(list(k.contact_id)) AS contact_ids
  FROM members m JOIN {{.case_contacts}} k USING (ck)
  GROUP BY ALL
)
SELECT 'group:' || md5(concat_ws(chr(31), 'copied', m.h, min(m.received_date)::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(m.case_id)) AS case_ids,
       coalesce(any_value(mc.contact_ids), []::VARCHAR[]) AS contact_ids,
       cl.first_flagged,
       cl.complainants / $min_complainants AS strength,
       json_object('complainants', cl.complainants, 'unnamed', cl.unnamed, 'letters', count(*), 'min_complainants', $min_complainants,
                   'from', min(m.received_date), 'to', max(m.received_date),
                   'township', any_value(most.township), 'townships', any_value(most.townships),
                   'category', any_value(most.category), 'categories', any_value(most.categories),
                   'channel', any_value(most.channel))::VARCHAR AS facts
FROM members m JOIN cl USING (h, episode) JOIN most USING (h, episode) LEFT JOIN mc USING (h, episode)
GROUP BY m.h, m.episode, cl.first_flagged, cl.complainants, cl.unnamed
HAVING NOT ($skip_resolved AND bool_and(m.resolved))
