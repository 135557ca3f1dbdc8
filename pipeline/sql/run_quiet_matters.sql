-- The matters the run's flags (in run_flags) name none of whose flags is live (see
-- screen_flag_liveness.sql): the rules found them, and they are not on the watchlist.
SELECT count(*) FROM (SELECT matter_id FROM {{.run_flags}} GROUP BY matter_id HAVING NOT bool_or(live))
