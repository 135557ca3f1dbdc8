-- group_signal hot_issue, step 2: the contacts in the period the rule reads of the cases of
-- hot_mentions (those whose text names a place the rule counts them for), and the first day of
-- the records' latest stretch (records_from.sql: days before it are unknown, not quiet); days as
-- days since 1970-01-01, which Go reads far faster than dates. The driver holds the whole
-- result until Go has read it: the cases whose own fields name their place are not read.
SELECT k.ck, k.pk, CAST(k.contact_date - DATE '1970-01-01' AS INTEGER) AS day,
       CAST({{template "records_from" .}} - DATE '1970-01-01' AS INTEGER) AS first_day
FROM {{.case_contacts}} k
WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
  AND k.ck IN (SELECT ck FROM {{.hot_mentions}})
