-- title_facts: the facts of each run item's title (internal/title), numbered from 0 (i) in the
-- order of the items' matter ids, for Go to read a range at a time (watchlist_title_range.sql):
-- its township and category as the item has them; the village and target organisation most
-- common among its lead flag's cases (run_items.lead_case_ids) in that township (ties broken by
-- the larger value, so the choice is reproducible), the village only when more than half of
-- those cases are in it; how many townships and target organisations all its cases name (a
-- merged matter's other flags may reach beyond its lead's), when more than one; the place a
-- hot issue's text names (its flags' facts.place, the first by name); and the content of the first of those cases, masked as every stored content
-- is: of those in the most common village with that target organisation first, so that the
-- gist is of a case the title's place and organisation are, then received first, then by case
-- id (watchlist_title_range.sql gives an item of labels another: the label most of its cases have).
-- Without the gist ($gist false, watchlist.title_gist) the content is '' and no case's is read.
CREATE OR REPLACE TEMP TABLE {{.title_facts}} AS
WITH mc AS (
  SELECT i.matter_id, c.case_id, c.received_date, c.village, c.target_org
  FROM (SELECT matter_id, township, unnest(coalesce(lead_case_ids, case_ids)) AS case_id FROM {{.run_items}}) i
  JOIN cases c ON c.case_id = i.case_id AND c.township IS NOT DISTINCT FROM i.township
),
village AS (
  SELECT matter_id, arg_max(village, (n, village)) AS village, max(n) * 2 > any_value(cases) AS most
  FROM (SELECT matter_id, village, count(*) AS n, sum(count(*)) OVER (PARTITION BY matter_id) AS cases
        FROM mc GROUP BY matter_id, village)
  WHERE coalesce(village, '') <> ''
  GROUP BY matter_id
),
target AS (
  SELECT matter_id, arg_max(target_org, (n, target_org)) AS target_org
  FROM (SELECT matter_id, target_org, count(*) AS n FROM mc WHERE coalesce(target_org, '') <> '' GROUP BY ALL)
  GROUP BY matter_id
),
first_case AS (
  SELECT mc.matter_id,
         arg_min(mc.case_id, (mc.village IS DISTINCT FROM v.village, mc.target_org IS DISTINCT FROM t.target_org,
                              mc.received_date, mc.case_id)) AS case_id
  FROM mc LEFT JOIN village v USING (matter_id) LEFT JOIN target t USING (matter_id)
  GROUP BY mc.matter_id
),
spread AS (
  -- How many townships (as watchlist_build.sql's spread counts them) and target organisations
  -- the cases of an item of several name.
  SELECT i.matter_id, count(DISTINCT c.township) AS townships,
         count(DISTINCT c.target_org) FILTER (WHERE c.target_org <> '') AS targets
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM {{.run_items}} WHERE len(case_ids) > 1) i
  JOIN cases c USING (case_id)
  GROUP BY i.matter_id
),
place AS (
  SELECT matter_id, min(json_extract_string(facts, '$.place')) AS place
  FROM {{.run_flags}} WHERE json_extract_string(facts, '$.place') <> '' GROUP BY matter_id
)
SELECT row_number() OVER (ORDER BY i.matter_id) - 1 AS i, i.matter_id,
  coalesce(i.township, '') AS township, CASE WHEN v.most THEN v.village ELSE '' END AS village, coalesce(p.place, '') AS place,
  coalesce(i.category, '') AS category, coalesce(t.target_org, '') AS target_org, coalesce(c.content, '') AS content,
  coalesce(n.townships, 1) AS townships, coalesce(n.targets, 1) AS targets
FROM {{.run_items}} i
LEFT JOIN village v USING (matter_id)
LEFT JOIN target t USING (matter_id)
LEFT JOIN place p USING (matter_id)
LEFT JOIN spread n USING (matter_id)
LEFT JOIN first_case f USING (matter_id)
LEFT JOIN cases c ON $gist AND c.case_id = f.case_id
