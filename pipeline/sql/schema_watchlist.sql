-- watchlist: every run's watchlist, one row per matter, ranked, in the columns of the table
-- earlier versions kept: its rank and measures from watchlist_ranks, its item from the span that
-- holds it. The join on from_seq lets DuckDB read only the spans of the runs' last week (it
-- filters the spans' scan by the least and greatest from_seq of the ranks read).
CREATE OR REPLACE VIEW watchlist AS
SELECT k.run_id, k.rank, k.matter_id, s.matter_kind, k.tier, k.score, s.rules, s.families, s.reason_zh,
       s.reason_en, s.responsible_unit, s.township, s.category, s.case_ids, s.contact_ids, s.event_ids,
       s.first_flagged, k.as_of, s.complainants, s.top_level, k.days_overdue, k.state, k.state_note_zh,
       k.state_note_en, s.merged_ids, s.last_evidence, s.title
FROM watchlist_ranks k JOIN watchlist_spans s USING (matter_id, from_seq)
