-- The run's items become run $run_id's watchlist (the $seq-th run stored), without those held
-- back by a dismissal, ranked 1..n by tier, then score (highest first), the date first flagged
-- and the matter id.
CREATE OR REPLACE TEMP TABLE {{.run_listed}} AS
WITH listed AS (
  -- Ranked in a narrow projection: sorting whole items costs far more.
  SELECT i.matter_id, row_number() OVER (ORDER BY {{template "tier_rank" "i.tier"}}, i.score DESC, i.first_flagged, i.matter_id) AS rank,
         t.state, t.note_zh, t.note_en
  FROM {{.run_measured}} i JOIN {{.tracked}} t USING (matter_id)
  WHERE t.state <> {{.state_suppressed}}
)
SELECT l.rank, i.matter_id, i.matter_kind, i.tier, i.score, i.rules, i.families, i.reason_zh, i.reason_en,
  i.responsible_unit, i.township, i.category, i.case_ids, i.contact_ids, i.event_ids, i.first_flagged,
  i.complainants, i.top_level, i.days_overdue, l.state, l.note_zh, l.note_en, i.merged_ids, i.last_evidence, n.title
FROM {{.run_measured}} i JOIN listed l USING (matter_id) LEFT JOIN {{.run_titles}} n USING (matter_id);

-- An item the latest stored run listed alike (every column of watchlist_spans equal) keeps its
-- span, which now reaches this run, unless the span began a week of runs ago: a span covers at
-- most $span_runs runs, so that reading a run reads only the spans of its last week (see view
-- watchlist). The latest run's other spans end with it; the run's other items begin spans of
-- their own. Every item gets its rank and measures. A night that changes few items writes few
-- spans, and a week's unchanged items once more.
CREATE OR REPLACE TEMP TABLE {{.watchlist_kept}} AS
SELECT s.rowid AS span, w.rowid AS item, s.from_seq
FROM watchlist_spans s JOIN {{.run_listed}} w USING (matter_id)
WHERE s.to_seq IS NULL AND s.from_seq > $seq - $span_runs
  AND (s.matter_kind, s.rules, s.families, s.reason_zh, s.reason_en, s.responsible_unit, s.township, s.category,
       s.case_ids, s.contact_ids, s.event_ids, s.first_flagged, s.complainants, s.top_level, s.merged_ids,
       s.last_evidence, s.title)
      IS NOT DISTINCT FROM
      (w.matter_kind, w.rules, w.families, w.reason_zh, w.reason_en, w.responsible_unit, w.township, w.category,
       w.case_ids, w.contact_ids, w.event_ids, w.first_flagged, w.complainants, w.top_level, w.merged_ids,
       w.last_evidence, w.title);

UPDATE watchlist_spans SET to_seq = $seq - 1
WHERE to_seq IS NULL AND rowid NOT IN (SELECT span FROM {{.watchlist_kept}});

INSERT INTO watchlist_spans
SELECT $seq, NULL, matter_id, matter_kind, rules, families, reason_zh, reason_en, responsible_unit, township, category,
  case_ids, contact_ids, event_ids, first_flagged, complainants, top_level, merged_ids, last_evidence, title
FROM {{.run_listed}}
WHERE rowid NOT IN (SELECT item FROM {{.watchlist_kept}})
ORDER BY rank;

INSERT INTO watchlist_ranks
SELECT $run_id, CAST($as_of AS DATE), w.rank, w.matter_id, coalesce(k.from_seq, $seq), w.tier, w.score, w.days_overdue,
  w.state, w.note_zh, w.note_en
FROM {{.run_listed}} w LEFT JOIN {{.watchlist_kept}} k ON k.item = w.rowid
ORDER BY w.rank;

DROP TABLE {{.watchlist_kept}};

-- The dismissals of matters that came back are lifted, with the note saying why.
UPDATE dismissals SET lifted_at = now(),
  lifted_reason = (SELECT t.note_zh FROM {{.tracked}} t WHERE t.matter_id = dismissals.matter_id)
WHERE lifted_at IS NULL AND matter_id IN (SELECT matter_id FROM {{.tracked}} WHERE state = {{.state_reopened}});

-- The run's changes against the previous run ($prev_run, '' for none), including the matters
-- it cleared: those on the previous watchlist and not among the run's items. A cleared
-- matter's note says when it merged into another, when its flags went quiet (none live:
-- newest evidence older than the active window, no case pending), or that no rule flags it,
-- with how its cases stand as of the run's date: none pending (all answered, closed or
-- terminated), or how many still are.
INSERT INTO matter_changes
SELECT $run_id, matter_id, state, nullif($prev_run, ''), tier, prev_tier, note_zh, note_en FROM {{.tracked}}
UNION ALL
SELECT $run_id, p.matter_id, {{.state_cleared}}, $prev_run, NULL, p.tier,
       {{template "cleared_note" "zh"}}, {{template "cleared_note" "en"}}
FROM watchlist p
LEFT JOIN (SELECT matter_id AS into_id, unnest(merged_ids) AS member FROM {{.run_items}}) m ON m.member = p.matter_id
LEFT JOIN (SELECT matter_id, max(last_evidence) AS last_evidence FROM {{.run_flags}} GROUP BY ALL) q USING (matter_id)
LEFT JOIN (
  SELECT p.matter_id, count(*) FILTER (WHERE s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM watchlist WHERE run_id = $prev_run) p
  JOIN {{.case_state}} s USING (case_id)
  GROUP BY p.matter_id
) cs USING (matter_id)
WHERE p.run_id = $prev_run AND p.matter_id NOT IN (SELECT matter_id FROM {{.tracked}});
{{- define "cleared_note"}}CASE
         WHEN m.into_id IS NOT NULL THEN printf({{text . "track.merged_into"}}, m.into_id)
         WHEN q.matter_id IS NOT NULL THEN printf({{text . "track.quiet"}}, coalesce(strftime(q.last_evidence, '%Y-%m-%d'), '-'))
         WHEN cs.pending = 0 THEN {{text . "track.none_pending"}}
         WHEN cs.pending > 0 THEN printf({{text . "track.still_pending"}}, cs.pending)
         ELSE {{text . "track.no_longer_flagged"}} END{{end}}
