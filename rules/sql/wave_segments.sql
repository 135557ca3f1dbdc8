-- group_signal wave, step 1: the windows that reach the floor. Contacts from at least
-- $min_complainants distinct people on cases that share every group_by field, within some
-- window of $window_days days (no group of a field empty or a placeholder such as Unspecified:
-- .known); each row is a segment of days whose windows hold the same count
-- n, with the group's activity before it: the windows ending on the base_days days of the
-- $baseline_days days that end $guard_days days before the segment's first window (days before
-- the stretch of the records holding the last of them are unknown, not quiet, and left out).
-- all_sum and all_sq sum their counts and squared counts; base_sum and base_sq those of the
-- windows below the floor, and busy_days counts the others (an earlier wave). Go tests n
-- against them (rules/wave.go).
--
-- Distinct people per sliding window, in linear time: each person's contact day d in a group
-- counts towards the windows ending on days d .. d+window-1, cut short where the person's next
-- contact day takes over, so a person counts once per window. Summing +1/-1 at the ends of
-- these intervals gives, per group, segments of days with a constant count.
CREATE OR REPLACE TEMP TABLE {{.wave_segments}} AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  -- Screened again for some groups only (rescreen), those of rescreen_groups.
  SELECT *, row_number() OVER () AS n
  FROM (SELECT DISTINCT {{join ", " .group_by}} FROM {{.case_state}}
        {{- if .rescreen}} SEMI JOIN {{.rescreen_groups}} USING ({{join ", " .group_by}}){{end}})
),
groups AS (
  SELECT {{join ", " .group_by}}, row_number() OVER () AS g FROM group_values s WHERE {{.known}}
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
base AS (
  -- Each segment's baseline: the windows ending on the days from base_from to base_to.
  SELECT *, seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) AS base_to,
         seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) - CAST($baseline_days AS INTEGER) + 1 AS base_from
  FROM seg
),
kb AS MATERIALIZED (
  -- The contacts of the groups that reach the floor, from a window before the first baseline.
  SELECT cg.g, k.pk, k.contact_date
  FROM {{.case_contacts}} k JOIN cg USING (ck)
  WHERE cg.g IN (SELECT g FROM seg)
    AND k.contact_date > (SELECT min(base_from) FROM base) - CAST($window_days AS INTEGER)
),
biv AS (
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kb
),
bcounts AS (
  -- Their distinct complainants per window, swept as above over every day.
  SELECT g, t AS c_from, lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS c_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM (SELECT g, t, sum(delta) AS delta
        FROM (SELECT g, s AS t, 1 AS delta FROM biv UNION ALL SELECT g, e + 1, -1 FROM biv)
        GROUP BY g, t)
),
known AS (
  -- The baseline days from the first day of the records' stretch that holds the baseline's last
  -- day (records_from.sql): days before it, and a baseline ending in a gap of the records, are
  -- unknown. A window before a gap is tested against the records before it, as it was when
  -- they were the latest.
  SELECT b.*, CASE WHEN st.s IS NULL THEN b.base_to + 1 ELSE greatest(b.base_from, st.s) END AS known_from
  FROM base b LEFT JOIN {{template "record_stretches" .}} st ON b.base_to BETWEEN st.s AND st.e
),
overlap AS (
  -- Days of each baseline whose windows hold n people (n > 0).
  SELECT k.g, k.seg_from, c.n, least(c.c_to, k.base_to) - greatest(c.c_from, k.known_from) + 1 AS d
  FROM known k JOIN bcounts c ON c.g = k.g AND c.n > 0 AND c.c_from <= k.base_to AND c.c_to >= k.known_from
),
usual AS (
  SELECT g, seg_from,
         sum(n * d) AS all_sum, sum(n * n * d) AS all_sq,
         sum(CASE WHEN n < $min_complainants THEN n * d END) AS base_sum,
         sum(CASE WHEN n < $min_complainants THEN n * n * d END) AS base_sq,
         sum(CASE WHEN n >= $min_complainants THEN d END) AS busy_days
  FROM overlap GROUP BY g, seg_from
)
SELECT row_number() OVER (ORDER BY k.g, k.seg_from) AS seg, k.g,
       {{- range .group_by}} groups.{{.}},{{end}}
       k.seg_from, k.seg_to, k.n,
       greatest(0, k.base_to - k.known_from + 1) AS base_days,
       coalesce(u.all_sum, 0) AS all_sum, coalesce(u.all_sq, 0) AS all_sq,
       coalesce(u.base_sum, 0) AS base_sum, coalesce(u.base_sq, 0) AS base_sq,
       coalesce(u.busy_days, 0) AS busy_days
FROM known k JOIN groups USING (g) LEFT JOIN usual u USING (g, seg_from)
