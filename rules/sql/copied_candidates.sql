-- group_signal copied_letters with similarity below 1, step 1: the letters Go compares (package
-- copydetect), those on one of $channels received in the last $lookback_days days, with their
-- township and category (which tell template phrases from copied text).
SELECT s.ck, s.case_id, s.complainant_id, s.received_date, c.content, s.township, s.category
FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid
WHERE c.content IS NOT NULL AND list_contains($channels, c.channel)
  AND s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
