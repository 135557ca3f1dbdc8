-- A database an earlier version made keeps its flags in table flags, one copy per run: they move
-- to flag_spans, each as a span of its own run, left open for the latest run's (the flags of runs
-- no longer recorded go), and the table makes way for view flags. Its columns added over time
-- come first.
ALTER TABLE flags ADD COLUMN IF NOT EXISTS rule_matter_id VARCHAR;
ALTER TABLE flags ADD COLUMN IF NOT EXISTS last_evidence DATE;
ALTER TABLE flags ADD COLUMN IF NOT EXISTS live BOOLEAN;
INSERT INTO flag_spans
SELECT r.seq, CASE WHEN r.seq < (SELECT max(seq) FROM runs) THEN r.seq END, f.rule_id, f.family, f.weight, f.min_tier, f.matter_id, f.matter_kind, f.case_ids, f.contact_ids,
       f.first_flagged, f.strength, f.facts, f.reason_zh, f.reason_en, f.rule_matter_id, f.last_evidence, f.live
FROM flags f JOIN runs r USING (run_id);
DROP TABLE flags;
