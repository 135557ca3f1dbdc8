-- Input check of one group-by field (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date (every case when it is 0): how many, how many
-- have the field empty (NULL or blank), how many distinct values the others have, and the
-- smallest of them (the one value, when there is one).
SELECT count(*) AS cases,
       count(*) FILTER (WHERE nullif(trim({{.field}}), '') IS NULL) AS empty,
       count(DISTINCT nullif(trim({{.field}}), '')) AS distinct_values,
       coalesce(min(nullif(trim({{.field}}), '')), '') AS one_value
FROM {{.case_state}}
WHERE CAST($lookback_days AS INTEGER) = 0
   OR received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
