-- group_signal hot_issue, step 2: the contacts in the period the rule reads of the cases whose
-- text names a place, and the first contact on record (days before it are unknown, not quiet);
-- days as days since 1970-01-01, which Go reads far faster than dates.
SELECT k.ck, k.pk, CAST(k.contact_date - DATE '1970-01-01' AS INTEGER) AS day,
       (SELECT CAST(min(contact_date) - DATE '1970-01-01' AS INTEGER) FROM {{.case_contacts}}) AS first_day
FROM {{.case_contacts}} k
WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
  AND k.ck IN (SELECT s.ck FROM {{.case_state}} s JOIN case_places p ON p.case_id = s.case_id WHERE p.key IS NOT NULL)
