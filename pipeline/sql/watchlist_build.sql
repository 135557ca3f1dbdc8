-- run_items: the run's flags (in run_flags) combined into one item per matter that has a live
-- flag: score, tier, rules hit, reasons, evidence, the date first flagged, the newest evidence,
-- the other matters merged into it, and the matter's responsible unit, township and category.
-- Those three are taken from the cases of the matter's lead flag (lead_case_ids, NULL when the
-- matter has one flag and so leads with all its cases): the flag its reason tells first (see
-- merge_reason_flags.sql), so that a merged matter's title and unit name what its reason leads
-- with. For a cluster, each is the most common among those cases, ties broken by the larger
-- value so the choice is reproducible. A case matter's event evidence is every event of its case up to
-- $as_of; a cluster's is empty. The reason of a matter of several flags is the one Go composed
-- (merged_reasons).
--
-- When the matter's township or category was found in its cases' text by the profile (cases.
-- found_in_text), its reasons say so, with the words that matched ($found_<field>_<lang>: a
-- printf format of the value and the words), or without them when the only word is the value
-- itself ($found_<field>_alone_<lang>, of the value).
--
-- A flag's strength counts up to $cap, and halves for every $half_life days of age of its newest
-- evidence ($half_life = 0: no decay); the score is the sum of weight × strength. An item is
-- red from score $red, orange from $orange, and never below the min_tier of any of its flags.
CREATE OR REPLACE TEMP TABLE {{.run_items}} AS
WITH f AS (
  SELECT * EXCLUDE (live), weight * least(strength, $cap) * CASE
           WHEN $half_life = 0 OR last_evidence IS NULL THEN 1
           ELSE pow(0.5, greatest(CAST($as_of AS DATE) - last_evidence, 0) / $half_life) END AS points
  FROM (
    -- A join with the matters' counts, not a window: a window would hold every flag's lists.
    SELECT *, {{template "tier_rank" "min_tier"}} AS min_rank
    FROM {{.run_flags}}
    JOIN (SELECT matter_id, count(*) AS flags FROM {{.run_flags}} GROUP BY matter_id HAVING bool_or(live)) USING (matter_id)
  )
),
m AS (
  -- Most matters have one flag and take it as it is; only the others need ordered merging.
  SELECT matter_id, matter_kind, round(points, 2) AS score, min_rank,
         [rule_id] AS rules, [family] AS families, reason_zh, reason_en, case_ids, contact_ids, first_flagged,
         last_evidence, []::VARCHAR[] AS merged_ids, NULL::VARCHAR[] AS lead_case_ids
  FROM f WHERE flags = 1
  UNION ALL
  SELECT matter_id, matter_kind, score, min_rank,
         list_transform(hits, h -> h.rule_id) AS rules, families,
         r.reason_zh, r.reason_en, case_ids, contact_ids, first_flagged, last_evidence, merged_ids, lead_case_ids
  FROM (
    -- Rules in order of weight, highest first, then rule id: sorting each matter's short list
    -- costs far less than ordered aggregates. Windows over each matter, not a GROUP BY, here and
    -- below: DuckDB cannot spill the states of aggregates that collect (list), and a GROUP BY
    -- holds every matter's at once.
    SELECT matter_id, max(matter_kind) OVER w AS matter_kind,
           round(sum(points) OVER w, 2) AS score,
           min(min_rank) OVER w AS min_rank,
           list_sort(list_distinct(list({'neg_weight': -weight, 'rule_id': rule_id}) OVER w)) AS hits,
           list_sort(list_distinct(list(family) OVER w)) AS families,
           list_sort(list_distinct(flatten(list(case_ids) OVER w))) AS case_ids,
           list_sort(list_distinct(flatten(list(contact_ids) OVER w))) AS contact_ids,
           min(first_flagged) OVER w AS first_flagged,
           max(last_evidence) OVER w AS last_evidence,
           coalesce(list_sort(list_distinct(list(rule_matter_id) FILTER (WHERE rule_matter_id <> matter_id) OVER w)), []) AS merged_ids,
           -- The first flag in merge_reason_flags.sql's order: a cluster's before a case's, then
           -- by weight (highest first), case id, rule id, the date first flagged and its own id.
           arg_min(case_ids, (matter_kind = 'case', -weight, CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END,
                              rule_id, first_flagged, rule_matter_id)) OVER w AS lead_case_ids
    FROM f WHERE flags > 1
    WINDOW w AS (PARTITION BY matter_id)
    QUALIFY row_number() OVER w = 1
  ) JOIN {{.merged_reasons}} r USING (matter_id)
),
ev AS (
  SELECT c.matter_id, list_sort(list(e.event_id) OVER (PARTITION BY c.matter_id)) AS event_ids
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM m WHERE matter_kind = 'case') c
  JOIN events e USING (case_id)
  WHERE e.event_date <= CAST($as_of AS DATE)
  QUALIFY row_number() OVER (PARTITION BY c.matter_id) = 1
),
mc AS (
  SELECT m.matter_id, c.responsible_unit, c.township, c.category, c.found_in_text
  FROM (SELECT matter_id, unnest(coalesce(lead_case_ids, case_ids)) AS case_id FROM m) m JOIN cases c USING (case_id)
),
top_responsible_unit AS (
  SELECT matter_id, arg_max(responsible_unit, (n, responsible_unit)) AS responsible_unit
  FROM (SELECT matter_id, responsible_unit, count(*) AS n FROM mc WHERE responsible_unit IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_township AS (
  SELECT matter_id, arg_max(township, (n, township)) AS township
  FROM (SELECT matter_id, township, count(*) AS n FROM mc WHERE township IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_category AS (
  SELECT matter_id, arg_max(category, (n, category)) AS category
  FROM (SELECT matter_id, category, count(*) AS n FROM mc WHERE category IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
found AS (
  -- The words that matched for the matter's township and category, at most three of each.
  SELECT matter_id,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.township'))
           FILTER (WHERE mc.township = t.township) OVER w))[1:3] AS township_words,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.category'))
           FILTER (WHERE mc.category = g.category) OVER w))[1:3] AS category_words
  FROM mc JOIN top_township t USING (matter_id) JOIN top_category g USING (matter_id)
  WHERE mc.found_in_text IS NOT NULL
  WINDOW w AS (PARTITION BY matter_id)
  QUALIFY row_number() OVER w = 1
)
SELECT matter_id, m.matter_kind,
       ['red', 'orange', 'yellow'][least(CASE WHEN score >= $red THEN 0 WHEN score >= $orange THEN 1 ELSE 2 END, min_rank) + 1] AS tier,
       m.score, m.rules, m.families,
       m.reason_zh{{template "found" "zh"}} AS reason_zh,
       m.reason_en{{template "found" "en"}} AS reason_en,
       u.responsible_unit, t.township, g.category, m.case_ids,
       m.contact_ids, coalesce(ev.event_ids, []::VARCHAR[]) AS event_ids, m.first_flagged, CAST($as_of AS DATE) AS as_of,
       m.merged_ids, m.last_evidence, m.lead_case_ids
FROM m
LEFT JOIN ev USING (matter_id)
LEFT JOIN top_responsible_unit u USING (matter_id)
LEFT JOIN top_township t USING (matter_id)
LEFT JOIN top_category g USING (matter_id)
LEFT JOIN found USING (matter_id)
{{- define "found"}}
         || CASE WHEN township_words = [t.township] THEN printf($found_township_alone_{{.}}, t.township)
                 WHEN len(township_words) > 0 THEN printf($found_township_{{.}}, t.township, array_to_string(township_words, {{template "sep" .}})) ELSE '' END
         || CASE WHEN category_words = [g.category] THEN printf($found_category_alone_{{.}}, g.category)
                 WHEN len(category_words) > 0 THEN printf($found_category_{{.}}, g.category, array_to_string(category_words, {{template "sep" .}})) ELSE '' END
{{- end}}
{{- define "sep"}}{{if eq . "zh"}}'、'{{else}}', '{{end}}{{end}}
