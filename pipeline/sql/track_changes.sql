-- run_measured: the run's items with their measures, so that later runs can tell whether a
-- matter got materially worse: distinct complainants, the highest level reached (top_level) and
-- days past the deadline of its pending cases as of $as_of (NULL unless $deadlines: data without
-- closing records has no deadline that means anything).
CREATE OR REPLACE TEMP TABLE {{.run_measured}} AS
WITH item_cases AS (SELECT matter_id, unnest(case_ids) AS case_id FROM {{.run_items}}),
seen AS (
  SELECT i.matter_id, t.person_id AS person, coalesce({{level_rank "t.level"}}, 0) AS lvl
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM {{.run_items}}) i JOIN contacts t USING (contact_id)
  UNION ALL
  SELECT i.matter_id, c.complainant_id, coalesce({{level_rank "c.level"}}, 0) FROM item_cases i JOIN cases c USING (case_id)
),
overdue AS (
  SELECT i.matter_id, max(greatest(CAST($as_of AS DATE) - s.deadline, 0)) FILTER (WHERE s.pending) AS days
  FROM item_cases i JOIN {{.case_state}} s USING (case_id) GROUP BY i.matter_id
),
m AS (
  SELECT matter_id, count(DISTINCT person)::INTEGER AS complainants, {{level_code "max(lvl)"}} AS top_level,
         CASE WHEN $deadlines THEN coalesce(any_value(o.days), 0) END::INTEGER AS days_overdue
  FROM seen LEFT JOIN overdue o USING (matter_id) GROUP BY matter_id
)
SELECT i.*, m.complainants, m.top_level, m.days_overdue FROM {{.run_items}} i LEFT JOIN m USING (matter_id);

-- tracked: each item's state and note against the previous run ($prev_run), the dismissal in
-- force and earlier listings.
--
--   - An item whose dismissal is in force is suppressed unless it got materially worse than
--     when it was dismissed; then it is reopened and its note says why it came back.
--   - An item listed in an earlier run but not the previous one is reopened; one never listed
--     is new (its note says so when it met its rule by the previous run's as-of date already:
--     records added or corrected since, or the rules changed); one on the previous watchlist is
--     worse when materially worse or of a higher tier, continuing otherwise (its note saying so
--     when its tier is lower).
--   - An item an unsatisfied return visit (回访不满意) reopened in review since the previous run
--     finished is reopened; its note says so for as long as it stays owned.
--   - The note of an item marked resolved in review that the data still flags says so, and
--     the note of an item that merged matters listed separately on the previous watchlist;
--     a new case's note names the cluster of the previous watchlist it was part of (the
--     cluster cleared or left it, and its case is flagged on its own).
CREATE OR REPLACE TEMP TABLE {{.tracked}} AS
WITH cur AS (SELECT * FROM {{.run_measured}}),
prev AS (SELECT * FROM watchlist WHERE run_id = $prev_run),
prev_done AS (SELECT max(finished_at) AS done_at, max(as_of) AS as_of FROM runs WHERE run_id = $prev_run),
earlier AS (
  SELECT matter_id, max(as_of) AS last_listed FROM watchlist
  WHERE as_of < CAST($as_of AS DATE) AND matter_id IN (SELECT matter_id FROM cur)
  GROUP BY matter_id
),
merged AS (
  -- Matters of the previous watchlist merged into an item (a window, not list() in a GROUP BY,
  -- whose states DuckDB cannot spill).
  SELECT c.matter_id, array_to_string(list_sort(list(p.matter_id) OVER (PARTITION BY c.matter_id)), ', ') AS ids
  FROM (SELECT matter_id, unnest(merged_ids) AS member FROM cur) c JOIN prev p ON p.matter_id = c.member
  QUALIFY row_number() OVER (PARTITION BY c.matter_id) = 1
),
within AS (
  -- A new case's cluster on the previous watchlist: the first by id.
  SELECT c.matter_id, min(p.matter_id) AS cluster
  FROM (SELECT matter_id, case_ids[1] AS case_id FROM cur WHERE matter_kind = 'case') c
  JOIN (SELECT matter_id, unnest(case_ids) AS case_id FROM prev WHERE matter_kind = 'cluster') p USING (case_id)
  WHERE c.matter_id NOT IN (SELECT matter_id FROM prev)
  GROUP BY c.matter_id
),
dis AS (
  -- The latest dismissal in force, with the measures of the item dismissed.
  SELECT d.matter_id, d.dismissed_at, r.complainants, r.top_level, r.days_overdue, r.tier
  FROM dismissals d LEFT JOIN watchlist r ON r.run_id = d.run_id AND r.matter_id = d.matter_id
  WHERE d.lifted_at IS NULL
  QUALIFY row_number() OVER (PARTITION BY d.matter_id ORDER BY d.dismissed_at DESC) = 1
),
cmp AS (
  SELECT cur.matter_id, cur.tier, p.tier AS prev_tier, d.matter_id IS NOT NULL AS dismissed,
         d.dismissed_at, m.last_listed, p.matter_id IS NOT NULL AS listed_before,
         m.last_listed IS NOT NULL AS known,
         {{template "worse_zh" "p"}} AS vs_prev_zh,
         {{template "worse_en" "p"}} AS vs_prev_en,
         {{template "worse_zh" "d"}} AS vs_dis_zh,
         {{template "worse_en" "d"}} AS vs_dis_en,
         {{template "tier_rank" "cur.tier"}} < {{template "tier_rank" "p.tier"}} AS tier_up,
         {{template "tier_rank" "cur.tier"}} > {{template "tier_rank" "p.tier"}} AS tier_down,
         CASE WHEN r.state = 'resolved' THEN r.resolved_at END AS resolved_in_review,
         CASE WHEN r.state = 'owned' THEN r.reopened_at END AS reopened_in_review,
         r.state = 'owned' AND coalesce(r.reopened_at > pd.done_at, r.reopened_at IS NOT NULL) AS reopened_since_prev,
         g.ids AS merged_ids, w.cluster AS was_in, cur.first_flagged,
         CASE WHEN cur.first_flagged <= pd.as_of THEN pd.as_of END AS late_after
  FROM cur
  LEFT JOIN prev p USING (matter_id)
  LEFT JOIN dis d USING (matter_id)
  LEFT JOIN earlier m USING (matter_id)
  LEFT JOIN matter_review r USING (matter_id)
  LEFT JOIN merged g USING (matter_id)
  LEFT JOIN within w USING (matter_id)
  CROSS JOIN prev_done pd
)
SELECT matter_id, tier, prev_tier,
  CASE
    WHEN dismissed AND vs_dis_zh = '' THEN {{.state_suppressed}}
    WHEN dismissed THEN {{.state_reopened}}
    WHEN reopened_since_prev THEN {{.state_reopened}}
    WHEN NOT listed_before AND known THEN {{.state_reopened}}
    WHEN NOT listed_before THEN {{.state_new}}
    WHEN vs_prev_zh <> '' OR tier_up THEN {{.state_worse}}
    ELSE {{.state_continuing}}
  END AS state,
  concat_ws({{text "zh" "track.separator"}}, CASE WHEN merged_ids IS NOT NULL
    THEN printf({{text "zh" "track.merged"}}, merged_ids) END, CASE WHEN was_in IS NOT NULL
    THEN printf({{text "zh" "track.was_in"}}, was_in) END, CASE WHEN resolved_in_review IS NOT NULL
    THEN printf({{text "zh" "track.resolved_in_review"}}, strftime(resolved_in_review, '%Y-%m-%d')) END, CASE WHEN reopened_in_review IS NOT NULL
    THEN printf({{text "zh" "track.reopened_after_visit"}}, strftime(reopened_in_review, '%Y-%m-%d')) END, nullif(CASE
    WHEN dismissed AND vs_dis_zh <> '' THEN printf({{text "zh" "track.back_after_dismissal"}}, strftime(dismissed_at, '%Y-%m-%d'), vs_dis_zh)
    WHEN NOT dismissed AND NOT listed_before AND known THEN printf({{text "zh" "track.back_on_list"}}, strftime(last_listed, '%Y-%m-%d'))
    WHEN NOT dismissed AND NOT listed_before AND late_after IS NOT NULL THEN printf({{text "zh" "track.late_records"}},
      strftime(first_flagged, '%Y-%m-%d'), strftime(late_after, '%Y-%m-%d'))
    WHEN NOT dismissed AND listed_before THEN concat_ws({{text "zh" "track.separator"}}, nullif(vs_prev_zh, ''),
      CASE WHEN tier_up THEN printf({{text "zh" "track.tier_up"}}, {{tier_label "tier" "zh"}})
           WHEN tier_down THEN printf({{text "zh" "track.tier_down"}}, {{tier_label "tier" "zh"}}) END)
    ELSE ''
  END, '')) AS note_zh,
  concat_ws({{text "en" "track.separator"}}, CASE WHEN merged_ids IS NOT NULL
    THEN printf({{text "en" "track.merged"}}, merged_ids) END, CASE WHEN was_in IS NOT NULL
    THEN printf({{text "en" "track.was_in"}}, was_in) END, CASE WHEN resolved_in_review IS NOT NULL
    THEN printf({{text "en" "track.resolved_in_review"}}, strftime(resolved_in_review, '%Y-%m-%d')) END, CASE WHEN reopened_in_review IS NOT NULL
    THEN printf({{text "en" "track.reopened_after_visit"}}, strftime(reopened_in_review, '%Y-%m-%d')) END, nullif(CASE
    WHEN dismissed AND vs_dis_en <> '' THEN printf({{text "en" "track.back_after_dismissal"}}, strftime(dismissed_at, '%Y-%m-%d'), vs_dis_en)
    WHEN NOT dismissed AND NOT listed_before AND known THEN printf({{text "en" "track.back_on_list"}}, strftime(last_listed, '%Y-%m-%d'))
    WHEN NOT dismissed AND NOT listed_before AND late_after IS NOT NULL THEN printf({{text "en" "track.late_records"}},
      strftime(first_flagged, '%Y-%m-%d'), strftime(late_after, '%Y-%m-%d'))
    WHEN NOT dismissed AND listed_before THEN concat_ws({{text "en" "track.separator"}}, nullif(vs_prev_en, ''),
      CASE WHEN tier_up THEN printf({{text "en" "track.tier_up"}}, {{tier_label "tier" "en"}})
           WHEN tier_down THEN printf({{text "en" "track.tier_down"}}, {{tier_label "tier" "en"}}) END)
    ELSE ''
  END, '')) AS note_en
FROM cmp;
