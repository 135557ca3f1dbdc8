-- group_signal hot_issue, step 3: the text of every case in the period the rule reads, for the
-- n-grams' document frequencies (template phrases are frequent) and the topics of the places
-- that may hold a hot issue. One range of rows ($from to $to) at a time: the driver holds a
-- query's whole result until it is read, and a million texts are a gigabyte.
SELECT s.ck, c.content
FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid
WHERE c.content IS NOT NULL
  AND c.rowid BETWEEN $from AND $to AND s.ck BETWEEN $from AND $to
  AND coalesce(s.last_contact, s.received_date) > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
