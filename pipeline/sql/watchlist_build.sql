-- run_item_facts: what each of the run's items (run_merged, see watchlist_merge.sql) takes
-- from its cases and events: its tier, its responsible unit, township and category, its
-- reasons with where its place or category was found, and its event evidence. The three places
-- are taken from the cases of the matter's lead flag (lead_case_ids; all its cases when NULL),
-- so that a merged matter's title and unit name what its reason leads with. For a cluster, each
-- is the most common among those cases, ties broken by the larger value so the choice is
-- reproducible. A case matter's event evidence is every event of its case up to $as_of; a
-- cluster's is empty. The lists of run_merged stay out of this statement: DuckDB cannot spill
-- a statement's output while it builds a table, and with every matter's evidence beside five
-- joins' tables it ran out of memory where each part alone fits.
--
-- When the matter's township or category was found in its cases' text by the profile (cases.
-- found_in_text), its reasons say so, with the words that matched ($found_<field>_<lang>: a
-- printf format of the value and the words), or without them when the only word is the value
-- itself ($found_<field>_alone_<lang>, of the value).
--
-- When the matter's cases (all of them: a merged matter's other flags may reach beyond its
-- lead's) lie in several townships or with several responsible units, the columns name the
-- lead's most common one and the reasons say how many there are and which, most cases first
-- ($spread_<field>_<lang>: a printf format of the count and the list; at most three, in the
-- columns' order, each formatted by $spread_item_<lang> of its name and cases, the list ended
-- by $spread_more_<lang> when there are more).
--
-- An item is red from score $red, orange from $orange, and never below the min_tier of any of
-- its flags.
CREATE OR REPLACE TEMP TABLE {{.run_item_facts}} AS
WITH ev AS (
  SELECT c.matter_id, list_sort(list(e.event_id) OVER (PARTITION BY c.matter_id)) AS event_ids
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM {{.run_merged}} WHERE matter_kind = 'case') c
  JOIN events e USING (case_id)
  WHERE e.event_date <= CAST($as_of AS DATE)
  QUALIFY row_number() OVER (PARTITION BY c.matter_id) = 1
),
mc AS (
  -- Every case of each matter, lead telling those of its lead flag (all of them when it has no
  -- lead_case_ids) from a merged matter's others, which only the spread counts.
  SELECT m.matter_id, m.lead, c.responsible_unit, c.township, c.category, c.found_in_text
  FROM (
    SELECT matter_id, unnest(coalesce(lead_case_ids, case_ids)) AS case_id, true AS lead FROM {{.run_merged}}
    UNION ALL
    SELECT matter_id, case_id, false
    FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM {{.run_merged}} WHERE lead_case_ids IS NOT NULL)
    ANTI JOIN (SELECT matter_id, unnest(lead_case_ids) AS case_id FROM {{.run_merged}} WHERE lead_case_ids IS NOT NULL)
      USING (matter_id, case_id)
  ) m JOIN cases c USING (case_id)
),
top_responsible_unit AS (
  SELECT matter_id, arg_max(responsible_unit, (n, responsible_unit)) AS responsible_unit
  FROM (SELECT matter_id, responsible_unit, count(*) AS n FROM mc WHERE lead AND responsible_unit IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_township AS (
  SELECT matter_id, arg_max(township, (n, township)) AS township
  FROM (SELECT matter_id, township, count(*) AS n FROM mc WHERE lead AND township IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
top_category AS (
  SELECT matter_id, arg_max(category, (n, category)) AS category
  FROM (SELECT matter_id, category, count(*) AS n FROM mc WHERE lead AND category IS NOT NULL GROUP BY ALL)
  GROUP BY matter_id
),
spread_top AS (
  -- The townships and responsible units of a matter whose cases lie in more than one (n), the
  -- three with the most cases (r). Windows, which spill, rather than a list aggregate over every
  -- matter, whose states DuckDB holds in memory: at 10^8 contacts that ran out of it.
  SELECT matter_id, field, v, cases, count(*) OVER per AS n, row_number() OVER (per ORDER BY cases DESC, v DESC) AS r
  FROM (SELECT matter_id, 'township' AS field, township AS v, count(*) AS cases FROM mc WHERE township IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT matter_id, 'unit', responsible_unit, count(*) FROM mc WHERE responsible_unit IS NOT NULL GROUP BY ALL)
  WINDOW per AS (PARTITION BY matter_id, field)
  QUALIFY n > 1 AND r <= 3
),
spread AS (
  SELECT matter_id, field, any_value(n) AS n, list_sort(list({'r': r, 'v': v, 'cases': cases})) AS top
  FROM spread_top GROUP BY matter_id, field
),
found AS (
  -- The words that matched for the matter's township and category, at most three of each.
  SELECT matter_id,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.township'))
           FILTER (WHERE mc.township = t.township) OVER w))[1:3] AS township_words,
         list_sort(list_distinct(list(json_extract_string(mc.found_in_text, '$.category'))
           FILTER (WHERE mc.category = g.category) OVER w))[1:3] AS category_words
  FROM mc JOIN top_township t USING (matter_id) JOIN top_category g USING (matter_id)
  WHERE mc.lead AND mc.found_in_text IS NOT NULL
  WINDOW w AS (PARTITION BY matter_id)
  QUALIFY row_number() OVER w = 1
)
SELECT m.matter_id, m.matter_kind,
       ['red', 'orange', 'yellow'][least(CASE WHEN score >= $red THEN 0 WHEN score >= $orange THEN 1 ELSE 2 END, min_rank) + 1] AS tier,
       m.score, m.rules, m.families,
       m.reason_zh{{template "found" "zh"}} AS reason_zh,
       m.reason_en{{template "found" "en"}} AS reason_en,
       u.responsible_unit, t.township, g.category,
       coalesce(ev.event_ids, []::VARCHAR[]) AS event_ids, m.first_flagged, CAST($as_of AS DATE) AS as_of, m.last_evidence
FROM {{.run_merged}} m
LEFT JOIN ev USING (matter_id)
LEFT JOIN top_responsible_unit u USING (matter_id)
LEFT JOIN top_township t USING (matter_id)
LEFT JOIN top_category g USING (matter_id)
LEFT JOIN found USING (matter_id)
LEFT JOIN spread st ON st.matter_id = m.matter_id AND st.field = 'township'
LEFT JOIN spread su ON su.matter_id = m.matter_id AND su.field = 'unit'
{{- define "found"}}
         || CASE WHEN township_words = [t.township] THEN printf($found_township_alone_{{.}}, t.township)
                 WHEN len(township_words) > 0 THEN printf($found_township_{{.}}, t.township, array_to_string(township_words, {{template "sep" .}})) ELSE '' END
         || CASE WHEN category_words = [g.category] THEN printf($found_category_alone_{{.}}, g.category)
                 WHEN len(category_words) > 0 THEN printf($found_category_{{.}}, g.category, array_to_string(category_words, {{template "sep" .}})) ELSE '' END
         || CASE WHEN st.n > 1 THEN printf($spread_township_{{.}}, st.n,
              array_to_string(list_transform(st.top, x -> printf($spread_item_{{.}}, x.v, x.cases)), {{template "sep" .}})
              || CASE WHEN st.n > 3 THEN $spread_more_{{.}} ELSE '' END) ELSE '' END
         || CASE WHEN su.n > 1 THEN printf($spread_unit_{{.}}, su.n,
              array_to_string(list_transform(su.top, x -> printf($spread_item_{{.}}, x.v, x.cases)), {{template "sep" .}})
              || CASE WHEN su.n > 3 THEN $spread_more_{{.}} ELSE '' END) ELSE '' END
{{- end}}
{{- define "sep"}}{{if eq . "zh"}}'、'{{else}}', '{{end}}{{end}}
