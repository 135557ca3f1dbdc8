-- group_signal copied_letters with similarity below 1, step 3: one flag per episode of
-- copied_members. Each episode is summed up before its contacts are joined: a large cluster's
-- contact list must not be repeated for each of its letters. Its township and category:
-- copied_most.sql.
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} AS
WITH members AS (
  SELECT cm.*, s.case_id, s.received_date, s.township, s.category, s.channel, s.resolved
  FROM {{.copied_members}} cm JOIN {{.case_state}} s USING (ck)
),
{{template "copied_most" "episode"}},
e AS (
  SELECT episode, list_sort(list(case_id)) AS case_ids, count(*) AS letters,
         any_value(first_flagged) AS first_flagged, any_value(complainants) AS complainants,
         min(received_date) AS from_d, max(received_date) AS to_d,
         any_value(similarity) AS similarity, bool_and(resolved) AS resolved
  FROM members m GROUP BY episode
),
mc AS (
  SELECT m.episode, list_sort(list(k.contact_id)) AS contact_ids
  FROM members m JOIN {{.case_contacts}} k USING (ck) GROUP BY m.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'copied-similar', e.episode))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       e.case_ids,
       coalesce(mc.contact_ids, []::VARCHAR[]) AS contact_ids,
       e.first_flagged,
       e.complainants / $min_complainants AS strength,
       json_object('complainants', e.complainants, 'letters', e.letters,
                   'min_complainants', $min_complainants,
                   'from', e.from_d, 'to', e.to_d,
                   'township', most.township, 'townships', most.townships,
                   'category', most.category, 'categories', most.categories, 'channel', most.channel,
                   'similarity', round(e.similarity, 2), 'similarity_threshold', $similarity,
                   'templates_ignored', $templates_ignored)::VARCHAR AS facts
FROM e JOIN most USING (episode) LEFT JOIN mc USING (episode)
WHERE NOT ($skip_resolved AND e.resolved)
