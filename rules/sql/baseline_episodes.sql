-- group_signal baseline: the alarm episodes Go found, appended to this table: a run of alarm
-- days of one stratum, the later ones within a window of the earlier, and the strongest alarm's
-- day (peak_to, the last day of its window) and numbers.
CREATE OR REPLACE TEMP TABLE {{.baseline_episodes}} (
  stratum VARCHAR, first_alarm DATE, from_day DATE, to_day DATE, peak_to DATE, observed INTEGER, expected DOUBLE, strength DOUBLE)
