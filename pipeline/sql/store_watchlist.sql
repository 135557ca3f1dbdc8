-- The run's items become run $run_id's watchlist, without those held back by a dismissal,
-- ranked 1..n by tier, then score (highest first), the date first flagged and the matter id.
INSERT INTO watchlist (run_id, rank, matter_id, matter_kind, tier, score, rules, families,
  reason_zh, reason_en, responsible_unit, township, category, case_ids, contact_ids, event_ids, first_flagged,
  as_of, complainants, top_level, days_overdue, state, state_note_zh, state_note_en, merged_ids, last_evidence, title)
WITH listed AS (
  -- Ranked in a narrow projection: sorting whole items costs far more.
  SELECT i.matter_id, row_number() OVER (ORDER BY {{template "tier_rank" "i.tier"}}, i.score DESC, i.first_flagged, i.matter_id) AS rank,
         t.state, t.note_zh, t.note_en
  FROM {{.run_measured}} i JOIN {{.tracked}} t USING (matter_id)
  WHERE t.state <> {{.state_suppressed}}
)
SELECT $run_id, l.rank, i.matter_id, i.matter_kind, i.tier, i.score, i.rules, i.families, i.reason_zh,
  i.reason_en, i.responsible_unit, i.township, i.category, i.case_ids, i.contact_ids, i.event_ids,
  i.first_flagged, i.as_of, i.complainants, i.top_level, i.days_overdue, l.state, l.note_zh, l.note_en,
  i.merged_ids, i.last_evidence, n.title
FROM {{.run_measured}} i JOIN listed l USING (matter_id) LEFT JOIN {{.run_titles}} n USING (matter_id);

-- The dismissals of matters that came back are lifted, with the note saying why.
UPDATE dismissals SET lifted_at = now(),
  lifted_reason = (SELECT t.note_zh FROM {{.tracked}} t WHERE t.matter_id = dismissals.matter_id)
WHERE lifted_at IS NULL AND matter_id IN (SELECT matter_id FROM {{.tracked}} WHERE state = {{.state_reopened}});

-- The run's changes against the previous run ($prev_run, '' for none), including the matters
-- it cleared: those on the previous watchlist and not among the run's items. A cleared
-- matter's note says when it merged into another, when its flags went quiet (none live:
-- newest evidence older than the active window, no case pending), or that no rule flags it.
INSERT INTO matter_changes
SELECT $run_id, matter_id, state, nullif($prev_run, ''), tier, prev_tier, note_zh, note_en FROM {{.tracked}}
UNION ALL
SELECT $run_id, p.matter_id, {{.state_cleared}}, $prev_run, NULL, p.tier,
       {{template "cleared_note" "zh"}}, {{template "cleared_note" "en"}}
FROM watchlist p
LEFT JOIN (SELECT matter_id AS into_id, unnest(merged_ids) AS member FROM {{.run_items}}) m ON m.member = p.matter_id
LEFT JOIN (SELECT matter_id, max(last_evidence) AS last_evidence FROM {{.run_flags}} GROUP BY ALL) q USING (matter_id)
WHERE p.run_id = $prev_run AND p.matter_id NOT IN (SELECT matter_id FROM {{.tracked}});
{{- define "cleared_note"}}CASE
         WHEN m.into_id IS NOT NULL THEN printf({{text . "track.merged_into"}}, m.into_id)
         WHEN q.matter_id IS NOT NULL THEN printf({{text . "track.quiet"}}, coalesce(strftime(q.last_evidence, '%Y-%m-%d'), '-'))
         ELSE {{text . "track.no_longer_flagged"}} END{{end}}
