-- The title facts of title_facts numbered $from to $to - 1, for Go to compose their titles. The
-- content most of an item's lead cases in its township have, when most have one, is its gist;
-- when its contents are labels (at least half of those cases have a content another has too, as
-- a 311 export's descriptor or an office's 事由 picked from a list) and none holds more than
-- half, it has none: a label of one case is no gist of the others. Otherwise the gist is
-- title_facts' content. Contents are counted by a hash, here, a range of items at a time:
-- counted over every item at once in title_facts, at 10^8 contacts, they ran out of memory.
-- Without the gist ($gist false) no content is read: every item's is title_facts' ''.
WITH f AS (
  SELECT * FROM {{.title_facts}} WHERE i >= $from AND i < $to
),
lead AS (
  SELECT i.matter_id, c.case_id, hash(c.content) AS h
  FROM (SELECT r.matter_id, r.township, unnest(coalesce(r.lead_case_ids, r.case_ids)) AS case_id
        FROM {{.run_items}} r SEMI JOIN f USING (matter_id)
        WHERE len(coalesce(r.lead_case_ids, r.case_ids)) > 1) i
  JOIN cases c ON c.case_id = i.case_id AND c.township IS NOT DISTINCT FROM i.township
  WHERE $gist AND coalesce(c.content, '') <> ''
),
labels AS (
  SELECT matter_id, arg_max(any_case, (n, h)) AS top_case, max(n) AS top_n, sum(n) AS cases,
         coalesce(sum(n) FILTER (WHERE n >= 2), 0) AS repeated
  FROM (SELECT matter_id, h, count(*) AS n, min(case_id) AS any_case FROM lead GROUP BY ALL)
  GROUP BY matter_id
)
SELECT f.matter_id, f.township, f.village, f.place, f.category, f.target_org,
       CASE WHEN l.top_n >= 2 AND l.top_n * 2 > l.cases THEN coalesce(tc.content, f.content)
            WHEN l.repeated * 2 >= l.cases THEN ''
            ELSE f.content END AS content,
       f.townships, f.targets
FROM f
LEFT JOIN labels l USING (matter_id)
LEFT JOIN cases tc ON tc.case_id = l.top_case
