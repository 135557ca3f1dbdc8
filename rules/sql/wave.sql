-- group_signal wave: contacts from at least $min_complainants distinct people on cases that
-- share every group_by field, within some window of $window_days days. One flag per episode of
-- a group: a run of triggering windows less than $window_days days apart.
--
-- Distinct people per sliding window, in linear time: each person's contact day d in a group
-- counts towards the windows ending on days d .. d+window-1, cut short where the person's next
-- contact day takes over, so a person counts once per window. Summing +1/-1 at the ends of
-- these intervals gives, per group, segments of days with a constant count.
WITH groups AS (
  SELECT {{join ", " .group_by}}, row_number() OVER () AS g
  FROM (SELECT DISTINCT {{join ", " .group_by}} FROM {{.case_state}}
        WHERE {{join " IS NOT NULL AND " .group_by}} IS NOT NULL)
),
cg AS (
  SELECT s.ck, groups.g FROM {{.case_state}} s JOIN groups USING ({{join ", " .group_by}})
),
kg AS MATERIALIZED (
  SELECT cg.g, k.pk, k.contact_date
  FROM {{.case_contacts}} k JOIN cg USING (ck)
  WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
blocks AS (
  SELECT g, b, count(*) AS n
  FROM (SELECT DISTINCT g, (contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER) AS b, pk FROM kg)
  GROUP BY g, b
),
hot AS (
  -- A window of window_days days lies within two consecutive blocks of that length, so a
  -- window holding min_complainants people lies in a pair of blocks that hold them together.
  -- Days outside such pairs cannot be in a triggering window, and dropping them changes no
  -- count that reaches the threshold (a person's interval only grows to cover days no
  -- triggering window holds).
  SELECT DISTINCT b1.g, unnest([b1.b, b1.b + 1]) AS b
  FROM blocks b1 LEFT JOIN blocks b2 ON b2.g = b1.g AND b2.b = b1.b + 1
  WHERE b1.n + coalesce(b2.n, 0) >= $min_complainants
),
iv AS (
  -- A person with several contacts on one day gets empty intervals for all but one of them.
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kg SEMI JOIN hot ON hot.g = kg.g AND hot.b = (kg.contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER)
),
steps AS (
  SELECT g, t, sum(delta) AS delta
  FROM (SELECT g, s AS t, 1 AS delta FROM iv UNION ALL SELECT g, e + 1, -1 FROM iv)
  GROUP BY g, t
),
counts AS (
  SELECT g, t AS seg_from,
         lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS seg_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM steps
),
seg AS (
  SELECT g, greatest(seg_from, CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) + 1) AS seg_from,
         least(seg_to, CAST($as_of AS DATE)) AS seg_to, n
  FROM counts
  WHERE n >= $min_complainants
    AND seg_to > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
    AND seg_from <= CAST($as_of AS DATE)
),
isl AS (
  SELECT *, sum(CASE WHEN prev_to IS NULL OR seg_from - prev_to >= $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY g ORDER BY seg_from) AS episode
  FROM (SELECT *, lag(seg_to) OVER (PARTITION BY g ORDER BY seg_from) AS prev_to FROM seg)
),
e AS (
  SELECT g, episode, min(seg_from) AS first_flagged, max(seg_to) AS last_d, max(n) AS peak,
         min(seg_from) - CAST($window_days AS INTEGER) + 1 AS span_from
  FROM isl GROUP BY g, episode
),
k AS (
  -- The contacts of each episode; only the flagged groups' cases are read.
  SELECT e.g, e.episode, c.ck, c.contact_id, c.pk, c.contact_date
  FROM e JOIN cg ON cg.g = e.g
  JOIN {{.case_contacts}} c ON c.ck = cg.ck AND c.contact_date BETWEEN e.span_from AND e.last_d
),
ek AS (
  SELECT g, episode, list_sort(list(contact_id)) AS contact_ids, count(*) AS contacts,
         min(contact_date) AS from_d, max(contact_date) AS to_d
  FROM k GROUP BY g, episode
),
ep AS (
  SELECT g, episode, count(*) AS complainants
  FROM (SELECT DISTINCT g, episode, pk FROM k WHERE pk IS NOT NULL)
  GROUP BY g, episode
),
ec AS (
  -- group_0, group_1 …: the group's values, which its matter id hashes; group_text shows them.
  SELECT x.g, x.episode, list_sort(list(DISTINCT s.case_id)) AS case_ids, count(DISTINCT s.case_id) AS cases,
         bool_and(s.resolved) AS resolved,
         {{- range $i, $c := .group_by}} any_value(s.{{$c}}) AS group_{{$i}},{{end}}
         any_value({{range $i, $c := .group_by}}{{if $i}} || ' / ' || {{end}}s.{{$c}}{{end}}) AS group_text
  FROM (SELECT DISTINCT g, episode, ck FROM k) x JOIN {{.case_state}} s USING (ck)
  GROUP BY x.g, x.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'wave', {{range $i, $c := .group_by}}ec.group_{{$i}}, {{end}}ek.from_d::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       ec.case_ids,
       ek.contact_ids,
       e.first_flagged,
       e.peak / $min_complainants AS strength,
       json_object('complainants', coalesce(ep.complainants, 0), 'contacts', ek.contacts,
                   'cases', ec.cases,
                   'window_days', $window_days, 'min_complainants', $min_complainants,
                   'from', ek.from_d, 'to', ek.to_d,
                   'group', ec.group_text)::VARCHAR AS facts
FROM e JOIN ek USING (g, episode) JOIN ec USING (g, episode) LEFT JOIN ep USING (g, episode)
WHERE NOT ($skip_resolved AND ec.resolved)
