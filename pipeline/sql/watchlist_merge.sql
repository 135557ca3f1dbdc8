-- The run's items before their places and events (see watchlist_build.sql): the run's flags
-- (in run_flags) combined into one row per matter that has a live flag, with score, lowest
-- tier allowed, rules hit, reasons, evidence lists, the date first flagged, the newest
-- evidence, the other matters merged into it and the cases of its lead flag (lead_case_ids,
-- NULL when the matter has one flag and so leads with all its cases): the flag its reason tells
-- first (see merge_reason_flags.sql). The reason of a matter of several flags is the one Go
-- composed (merged_reasons).
--
-- A flag's strength counts up to $cap, and halves for every $half_life days of age of its newest
-- evidence ($half_life = 0: no decay); the score is the sum of weight × strength.
CREATE OR REPLACE TEMP TABLE {{.run_merged}} AS
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
lead AS (
  -- The cases of the first flag in merge_reason_flags.sql's order: a cluster's before a case's,
  -- then by weight (highest first), case id, rule id, the date first flagged and its own id. By
  -- an ordered row_number(), not arg_min() with that order as a key over the matter's window:
  -- DuckDB's window arg_min() with a composite key crashed the process now and then (a
  -- segmentation fault in ConstructSortKeyRecursive, or "Cannot create a string of size
  -- 4294967360"), about one run in six on a small county.
  SELECT matter_id, case_ids AS lead_case_ids
  FROM f WHERE flags > 1
  QUALIFY row_number() OVER (PARTITION BY matter_id ORDER BY matter_kind = 'case', -weight,
            CASE WHEN matter_kind = 'case' THEN case_ids[1] ELSE '' END, rule_id, first_flagged, rule_matter_id) = 1
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
           coalesce(list_sort(list_distinct(list(rule_matter_id) FILTER (WHERE rule_matter_id <> matter_id) OVER w)), []) AS merged_ids
    FROM f WHERE flags > 1
    WINDOW w AS (PARTITION BY matter_id)
    QUALIFY row_number() OVER w = 1
  ) JOIN {{.merged_reasons}} r USING (matter_id) JOIN lead USING (matter_id)
)
SELECT * FROM m
