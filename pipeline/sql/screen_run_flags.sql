-- run_flags: the run's flags, collected rule by rule, with the columns of flags.
CREATE OR REPLACE TEMP TABLE {{.run_flags}} AS FROM flags LIMIT 0
