-- flags: every run's flags, from flag_spans, in the columns of the table earlier versions kept.
CREATE OR REPLACE VIEW flags AS
SELECT r.run_id, f.* EXCLUDE (from_seq, to_seq)
FROM flag_spans f JOIN runs r ON r.seq >= f.from_seq AND (f.to_seq IS NULL OR r.seq <= f.to_seq)
