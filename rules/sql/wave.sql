-- group_signal wave, step 3: one flag per episode of a group, a run of unusual windows (the
-- segments of wave_segments that Go kept in wave_tests) less than $window_days days apart. An
-- episode's facts show its most unusual window: its count, the count expected there and the
-- probability of reaching it by chance; and the highest count of any of its windows (peak).
--
-- Its strength is its windows' highest count over the count needed, of the tested windows when
-- any was tested. An episode of windows none of which could be tested (too few days on record
-- before them, at the start of the data) is judged by the floor alone and its strength is at
-- most 1: a count reaching the floor says a group is busy, not that it is busier than usual,
-- and does not rank a matter red by itself.
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} AS
WITH seg AS (
  SELECT s.*, t.expected, t.p_value, t.needed
  FROM {{.wave_segments}} s JOIN {{.wave_tests}} t USING (seg)
),
isl AS (
  SELECT *, sum(CASE WHEN prev_to IS NULL OR seg_from - prev_to >= $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY g ORDER BY seg_from) AS episode
  FROM (SELECT *, lag(seg_to) OVER (PARTITION BY g ORDER BY seg_from) AS prev_to FROM seg)
),
e AS (
  SELECT g, episode, min(seg_from) AS first_flagged, max(seg_to) AS last_d,
         coalesce(max(n / needed) FILTER (WHERE p_value IS NOT NULL), least(max(n / needed), 1)) AS strength,
         max(n) AS peak,
         -- The most unusual window: the lowest probability, then the highest count; the
         -- highest count where none was tested.
         arg_min(n, (coalesce(p_value, 2), -n, seg_from)) AS observed,
         arg_min(expected, (coalesce(p_value, 2), -n, seg_from)) AS expected,
         arg_min(p_value, (coalesce(p_value, 2), -n, seg_from)) AS p_value,
         arg_min(base_days, (coalesce(p_value, 2), -n, seg_from)) AS base_days,
         min(seg_from) - CAST($window_days AS INTEGER) + 1 AS span_from
  FROM isl GROUP BY g, episode
),
groups AS (
  SELECT DISTINCT g, {{join ", " .group_by}} FROM seg
),
cg AS (
  -- The cases of the flagged groups only.
  SELECT s.ck, groups.g FROM {{.case_state}} s JOIN groups USING ({{join ", " .group_by}})
),
k AS (
  -- The contacts of each episode.
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
  SELECT g, episode, count(*) AS complainants, count(*) FILTER (WHERE pk < 0) AS unnamed
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
       e.strength,
       json_object('complainants', coalesce(ep.complainants, 0), 'unnamed', coalesce(ep.unnamed, 0), 'contacts', ek.contacts,
                   'cases', ec.cases,
                   'window_days', $window_days, 'min_complainants', $min_complainants,
                   'from', ek.from_d, 'to', ek.to_d,
                   'group', ec.group_text,
                   'observed', e.observed, 'peak', e.peak,
                   'expected', e.expected, 'p_value', e.p_value,
                   'baseline_days', CASE WHEN e.p_value IS NOT NULL THEN e.base_days END)::VARCHAR AS facts
FROM e JOIN ek USING (g, episode) JOIN ec USING (g, episode) LEFT JOIN ep USING (g, episode)
WHERE NOT ($skip_resolved AND ec.resolved)
