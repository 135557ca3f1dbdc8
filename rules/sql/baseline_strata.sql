-- group_signal baseline: the strata of the screened cases, numbered g = 0, 1 … in order.
CREATE OR REPLACE TEMP TABLE {{.baseline_strata}} AS
SELECT stratum, row_number() OVER (ORDER BY stratum) - 1 AS g
FROM (SELECT DISTINCT {{template "stratum" .}} AS stratum FROM {{.case_state}} s)
