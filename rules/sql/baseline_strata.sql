-- group_signal baseline: the strata of the screened cases, numbered g = 0, 1 … in order; none
-- of a field empty or a placeholder such as 未注明区县 (.known): their cases share no place.
CREATE OR REPLACE TEMP TABLE {{.baseline_strata}} AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  SELECT *, row_number() OVER () AS n FROM (SELECT DISTINCT {{join ", " .group_by}} FROM {{.case_state}})
)
SELECT stratum, row_number() OVER (ORDER BY stratum) - 1 AS g
FROM (SELECT DISTINCT {{template "stratum" .}} AS stratum FROM group_values s WHERE {{.known}})
