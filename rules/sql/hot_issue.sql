-- group_signal hot_issue, step 5: one flag per episode. Its evidence is every contact of the
-- episode's cases within its span; the counts, the period and the complainants of the facts
-- are taken from that evidence.
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} AS
WITH m AS (
  SELECT hm.episode, hm.ck, s.case_id, s.resolved
  FROM {{.hot_members}} hm JOIN {{.case_state}} s USING (ck)
),
ec AS (
  SELECT episode, list_sort(list(case_id)) AS case_ids, count(*) AS cases, bool_and(resolved) AS resolved
  FROM m GROUP BY episode
),
ek AS (
  SELECT hm.episode, list_sort(list(k.contact_id)) AS contact_ids, count(*) AS contacts,
         count(DISTINCT k.pk) AS complainants, count(DISTINCT k.pk) FILTER (WHERE k.pk < 0) AS unnamed,
         min(k.contact_date) AS from_d, max(k.contact_date) AS to_d
  FROM {{.hot_members}} hm JOIN {{.case_contacts}} k ON k.ck = hm.ck AND k.contact_date BETWEEN hm.from_d AND hm.to_d
  GROUP BY hm.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'hot_issue', e.place_key, f.case_id))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       ec.case_ids,
       ek.contact_ids,
       e.first_flagged,
       ek.complainants / e.needed AS strength,
       json_merge_patch(e.facts, json_object('complainants', ek.complainants, 'unnamed', ek.unnamed, 'contacts', ek.contacts,
                   'cases', ec.cases, 'from', ek.from_d, 'to', ek.to_d,
                   'window_days', $window_days, 'min_complainants', $min_complainants))::VARCHAR AS facts
FROM {{.hot_episodes}} e JOIN ec USING (episode) JOIN ek USING (episode) JOIN {{.case_state}} f ON f.ck = e.first_ck
WHERE NOT ($skip_resolved AND ec.resolved)
