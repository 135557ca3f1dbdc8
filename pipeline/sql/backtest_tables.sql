-- A backtest's tables, in its scratch database: each screened day's flags and open cases, and
-- the ground truth (one row per planted event and case).
CREATE TABLE bt_flags (day DATE, rule_id VARCHAR, family VARCHAR, matter_id VARCHAR, case_ids VARCHAR[]);

CREATE TABLE bt_population (day DATE, open_cases BIGINT);

-- Each screened day's pending cases whose current stage falls due from the day before (due
-- yesterday: first overdue today) to watchlist.due_soon_days ahead (see backtest_due_soon.sql).
CREATE TABLE bt_due (day DATE, case_id VARCHAR, stage VARCHAR, deadline DATE);

CREATE TEMP TABLE {{.bt_truth}} (
  truth_id VARCHAR, family VARCHAR, kind VARCHAR, case_id VARCHAR, first_date DATE, peak_date DATE);
