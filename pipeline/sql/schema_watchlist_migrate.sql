-- A database an earlier version made keeps its watchlists in table watchlist, one copy per run:
-- each run's items move to watchlist_spans as spans of their own run, left open for the latest
-- run's, and their ranks and measures to watchlist_ranks (the items of runs no longer recorded
-- go); the table makes way for view watchlist. Its columns added over time come first.
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS merged_ids VARCHAR[];
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS last_evidence DATE;
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS title VARCHAR;
INSERT INTO watchlist_spans
SELECT r.seq, CASE WHEN r.seq < (SELECT max(seq) FROM runs) THEN r.seq END, w.matter_id, w.matter_kind, w.rules,
       w.families, w.reason_zh, w.reason_en, w.responsible_unit, w.township, w.category, w.case_ids, w.contact_ids,
       w.event_ids, w.first_flagged, w.complainants, w.top_level, w.merged_ids, w.last_evidence, w.title
FROM watchlist w JOIN runs r USING (run_id)
ORDER BY r.seq, w.rank;
INSERT INTO watchlist_ranks
SELECT w.run_id, r.as_of, w.rank, w.matter_id, r.seq, w.tier, w.score, w.days_overdue, w.state, w.state_note_zh, w.state_note_en
FROM watchlist w JOIN runs r USING (run_id)
ORDER BY r.seq, w.rank;
DROP TABLE watchlist;
