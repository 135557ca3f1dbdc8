-- Input check of a rule that reads the cases' text (hot_issue; see inputcheck.go), over the
-- cases received in the $lookback_days days up to the screening date: how many in all, and how
-- many have a text with at least one letter.
SELECT count(*) AS cases,
       count(*) FILTER (WHERE regexp_matches(coalesce(c.content, ''), '\p{L}')) AS texts
FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid
WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
