-- group_signal baseline: the strata in order of g.
SELECT stratum FROM {{.baseline_strata}} ORDER BY g
