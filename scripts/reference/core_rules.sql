-- core_rules.sql: the four core rules of configs/default.yaml written as an analyst would write
-- them in plain DuckDB SQL, straight from the county's canonical CSV files. It is the reference
-- the benches measure earlywarn against (scripts/bench, scripts/rulebench --reference): the same
-- files, the same screening date, the same thresholds and the same DuckDB settings (threads,
-- memory_limit), so that "earlywarn / reference" says what earlywarn's machinery costs.
--
-- Before running it, set the input folder, the screening date and (for the last section) the
-- output file:
--
--   SET VARIABLE input_dir = '/tmp/county';            -- holds cases.csv, contacts.csv, events.csv
--   SET VARIABLE as_of = DATE '2025-12-31';
--   SET VARIABLE watchlist_csv = '/tmp/ref/watchlist.csv';
--
-- It runs in four sections (the lines "-- == NAME ==" below; scripts/reference runs them):
-- load (the three files into tables cases, contacts and events), rules (a temporary table
-- ref_flags, one row per flag), watchlist (table ref_watchlist, one row per flagged case or
-- cluster, scored and tiered) and output (ref_watchlist to CSV). The rules section reads only
-- the tables cases, contacts and events, so it also runs on a database earlywarn has loaded.
--
-- The rules (ids of configs/default.yaml; parameters in the settings below, equal to the
-- config's, which scripts/reference's test checks):
--   repeat-contacts      a case with 4 or more contacts within some 90 days, in the last 365.
--   group-head-count     a contact of 5 or more people about a case, in the last 365 days.
--   group-wave           6 or more distinct complainants within 5 days on cases of one township,
--                        category and target organisation, when that many is unusual for the
--                        group: a negative binomial fitted to the group's 5-day windows of the
--                        56 days that end 2 days before the window, upper tail below 0.001.
--   stalled-overdue      a pending case whose current stage is 1 or more days past its deadline
--   stalled-no-progress  … or has had no progress event for 90 days.
-- The group and repeat rules skip cases (clusters) that are resolved: closed, with no contact
-- after the close.
--
-- Where this script deliberately differs from earlywarn (it is the plain version; the flagged
-- case sets agree on a generated county, which is what the test checks):
--   - Contacts without a case id are not linked to a case (earlywarn links them by person and
--     date); the canonical files `earlywarn gen` writes have none.
--   - An "unsatisfied" evaluation does not reopen a closed case (earlywarn treats it as a
--     reopening); generated counties have no evaluations.
--   - Stage clocks count calendar days only (the default config's calendar mode).
--   - Wave: each day's 5-day window is tested against its own 56-day baseline; earlywarn tests
--     a run of days with an equal count once, against the baseline of its first day. The two
--     can differ on a day or two of a long episode. The flag's strength is the count over the
--     floor (6), not over the smallest count the test calls unusual.
--   - Watchlist: one row per flagged case and per wave cluster, scored Σ weight × min(strength,
--     3), tiered at 6 and 3 with each rule's minimum tier. No merging of clusters with the
--     cases they share, no decay with age, no active-days expiry, no run-to-run tracking,
--     reasons or publishing beyond one CSV file.

-- == settings ==
SET VARIABLE accept_days = 15;            -- clocks (信访工作条例)
SET VARIABLE handle_days = 60;
SET VARIABLE extension_days = 30;
SET VARIABLE review_days = 30;
SET VARIABLE rereview_days = 30;
SET VARIABLE repeat_window_days = 90;     -- repeat-contacts
SET VARIABLE repeat_min_contacts = 4;
SET VARIABLE repeat_lookback_days = 365;
SET VARIABLE head_min_people = 5;         -- group-head-count
SET VARIABLE head_lookback_days = 365;
SET VARIABLE wave_window_days = 5;        -- group-wave
SET VARIABLE wave_min_complainants = 6;
SET VARIABLE wave_baseline_days = 56;
SET VARIABLE wave_guard_days = 2;
SET VARIABLE wave_alpha = 0.001;
SET VARIABLE wave_min_mean = 0.1;
SET VARIABLE wave_lookback_days = 365;
SET VARIABLE overdue_min_days = 1;        -- stalled-overdue
SET VARIABLE no_progress_min_days = 90;   -- stalled-no-progress
SET VARIABLE repeat_weight = 2;           -- weights; the group rules rank a matter orange at least
SET VARIABLE head_weight = 3;
SET VARIABLE wave_weight = 3;
SET VARIABLE overdue_weight = 2;
SET VARIABLE no_progress_weight = 1.5;
SET VARIABLE strength_cap = 3;            -- watchlist
SET VARIABLE tier_red = 6;
SET VARIABLE tier_orange = 3;

-- == load ==
CREATE OR REPLACE TABLE cases AS
SELECT * FROM read_csv(getvariable('input_dir') || '/cases.csv', header = true);

CREATE OR REPLACE TABLE contacts AS
SELECT * FROM read_csv(getvariable('input_dir') || '/contacts.csv', header = true);

CREATE OR REPLACE TABLE events AS
SELECT * FROM read_csv(getvariable('input_dir') || '/events.csv', header = true);

-- == rules ==
-- Each case's stage on the screening day, its deadline and its last progress. Events of one day
-- are ordered as the handling goes (accepted before assigned … before closed); supervision,
-- return visits and evaluations neither move a case nor count as progress.
CREATE OR REPLACE TEMP TABLE ref_case_state AS
WITH ev AS (
  SELECT case_id, event_id, event_type, event_date,
         list_position(['accepted', 'assigned', 'supervised', 'extended', 'answered', 'review_requested',
                        'reviewed', 'rereview_requested', 'rereviewed', 'terminated', 'closed',
                        'return_visit', 'evaluated', 'reopened'], event_type) AS seq
  FROM events
  WHERE event_date <= getvariable('as_of')
    AND event_type NOT IN ('supervised', 'return_visit', 'evaluated')
),
per_case AS (
  SELECT case_id,
         arg_max(event_type, (event_date, seq, event_id)) AS last_type,
         max(event_date) AS last_event_date,
         max(event_date) FILTER (WHERE event_type IN ('accepted', 'reopened')) AS handle_from,
         max(event_date) FILTER (WHERE event_type = 'reopened') AS reopened_on,
         max(event_date) FILTER (WHERE event_type = 'review_requested') AS review_from,
         max(event_date) FILTER (WHERE event_type = 'rereview_requested') AS rereview_from,
         max(event_date) FILTER (WHERE event_type <> 'extended') AS progress_date
  FROM ev GROUP BY case_id
),
extensions AS (
  -- Extensions since the case was last reopened.
  SELECT ev.case_id, count(*)::INTEGER AS extensions
  FROM ev JOIN per_case p USING (case_id)
  WHERE ev.event_type = 'extended' AND (p.reopened_on IS NULL OR ev.event_date >= p.reopened_on)
  GROUP BY ev.case_id
),
last_contact AS (
  SELECT case_id, max(contact_date) AS last_contact
  FROM contacts WHERE contact_date <= getvariable('as_of') GROUP BY case_id
),
staged AS (
  SELECT c.case_id, c.received_date, c.township, c.category, c.target_org,
         CASE
           WHEN p.last_type IS NULL THEN 'accept'
           WHEN p.last_type IN ('accepted', 'assigned', 'extended', 'reopened') THEN 'handle'
           WHEN p.last_type = 'review_requested' THEN 'review'
           WHEN p.last_type = 'rereview_requested' THEN 'rereview'
           ELSE p.last_type
         END AS stage,
         p.handle_from, p.review_from, p.rereview_from,
         coalesce(p.progress_date, c.received_date) AS progress_date,
         coalesce(x.extensions, 0) AS extensions,
         p.last_type = 'closed' AND (l.last_contact IS NULL OR l.last_contact <= p.last_event_date) AS resolved
  FROM cases c
  LEFT JOIN per_case p USING (case_id)
  LEFT JOIN extensions x USING (case_id)
  LEFT JOIN last_contact l USING (case_id)
  WHERE c.received_date <= getvariable('as_of')
)
SELECT *,
       stage IN ('accept', 'handle', 'review', 'rereview') AS pending,
       CASE stage
         WHEN 'accept' THEN received_date + getvariable('accept_days')
         WHEN 'handle' THEN coalesce(handle_from, received_date)
                            + getvariable('handle_days') + getvariable('extension_days') * extensions
         WHEN 'review' THEN review_from + getvariable('review_days')
         WHEN 'rereview' THEN rereview_from + getvariable('rereview_days')
       END AS deadline,
       coalesce(resolved, false) AS done
FROM staged;

-- The contacts up to the screening day, of cases received by then.
CREATE OR REPLACE TEMP TABLE ref_contacts AS
SELECT k.contact_id, k.case_id, k.contact_date, k.person_id, k.head_count
FROM contacts k JOIN ref_case_state s USING (case_id)
WHERE k.contact_date <= getvariable('as_of');

CREATE OR REPLACE TEMP TABLE ref_flags (
  rule_id VARCHAR, matter_id VARCHAR, case_ids VARCHAR[], first_flagged DATE, strength DOUBLE,
  weight DOUBLE, min_tier VARCHAR);

-- repeat-contacts: count each case's contacts in the 90 days ending on each contact day.
INSERT INTO ref_flags
WITH windows AS (
  SELECT case_id, contact_date,
         count(*) OVER (PARTITION BY case_id ORDER BY contact_date
                        RANGE BETWEEN INTERVAL (getvariable('repeat_window_days') - 1) DAYS PRECEDING AND CURRENT ROW) AS in_window
  FROM ref_contacts
  WHERE contact_date > getvariable('as_of') - getvariable('repeat_lookback_days') - getvariable('repeat_window_days')
)
SELECT 'repeat-contacts', 'case:' || w.case_id, [w.case_id], min(w.contact_date),
       max(w.in_window) / getvariable('repeat_min_contacts'), getvariable('repeat_weight'), NULL
FROM windows w JOIN ref_case_state s USING (case_id)
WHERE w.in_window >= getvariable('repeat_min_contacts')
  AND w.contact_date > getvariable('as_of') - getvariable('repeat_lookback_days')
  AND NOT s.done
GROUP BY w.case_id;

-- group-head-count: a contact of 5 or more people.
INSERT INTO ref_flags
SELECT 'group-head-count', 'case:' || k.case_id, [k.case_id], min(k.contact_date),
       max(k.head_count) / getvariable('head_min_people'), getvariable('head_weight'), 'orange'
FROM ref_contacts k JOIN ref_case_state s USING (case_id)
WHERE k.head_count >= getvariable('head_min_people')
  AND k.contact_date > getvariable('as_of') - getvariable('head_lookback_days')
  AND NOT s.done
GROUP BY k.case_id;

-- group-wave, step 1: distinct complainants of each group in the 5-day window ending on each
-- day (a contact on day d counts in the windows ending on d … d+4).
CREATE OR REPLACE TEMP TABLE ref_wave_windows AS
WITH grouped AS (
  SELECT DISTINCT s.township, s.category, s.target_org, k.person_id, k.contact_date
  FROM ref_contacts k JOIN ref_case_state s USING (case_id)
  WHERE s.township IS NOT NULL AND s.category IS NOT NULL AND s.target_org IS NOT NULL
    AND k.person_id IS NOT NULL
)
SELECT township, category, target_org, day, count(DISTINCT person_id) AS n
FROM (SELECT township, category, target_org, person_id,
             unnest(generate_series(contact_date, contact_date + getvariable('wave_window_days') - 1, INTERVAL 1 DAY))::DATE AS day
      FROM grouped)
WHERE day <= getvariable('as_of')
GROUP BY ALL;

-- Step 2: the windows in the lookback that reach the floor, with their group's baseline: the
-- windows ending on the 56 days that end 2 days before this window begins (days before the
-- first contact on record are unknown, not quiet, and left out; days without a row had 0).
CREATE OR REPLACE TEMP TABLE ref_wave_tests AS
WITH candidates AS (
  SELECT *,
         day - getvariable('wave_window_days') - getvariable('wave_guard_days') AS base_to,
         greatest(day - getvariable('wave_window_days') - getvariable('wave_guard_days') - getvariable('wave_baseline_days') + 1,
                  (SELECT min(contact_date) FROM contacts)) AS base_from
  FROM ref_wave_windows
  WHERE n >= getvariable('wave_min_complainants')
    AND day > getvariable('as_of') - getvariable('wave_lookback_days')
),
baseline AS (
  SELECT c.township, c.category, c.target_org, c.day, c.n,
         greatest(0, c.base_to - c.base_from + 1) AS days,
         coalesce(sum(b.n), 0) AS all_sum, coalesce(sum(b.n * b.n), 0) AS all_sq,
         coalesce(sum(b.n) FILTER (WHERE b.n < getvariable('wave_min_complainants')), 0) AS usual_sum,
         coalesce(sum(b.n * b.n) FILTER (WHERE b.n < getvariable('wave_min_complainants')), 0) AS usual_sq,
         count(b.n) FILTER (WHERE b.n >= getvariable('wave_min_complainants')) AS busy
  FROM candidates c
  LEFT JOIN ref_wave_windows b
    ON b.township = c.township AND b.category = c.category AND b.target_org = c.target_org
   AND b.day BETWEEN c.base_from AND c.base_to
  GROUP BY ALL
),
fitted AS (
  -- An earlier wave's windows stay out of the baseline while they are at most a quarter of it.
  -- Daily mean and variance (a W-th of the windows'), the variance widened by 1 + W/days for the
  -- uncertainty of the mean, the mean floored; Poisson when the variance does not exceed it.
  SELECT *,
         greatest(w_mean / getvariable('wave_window_days'), getvariable('wave_min_mean')) AS m,
         w_var / getvariable('wave_window_days') * (1 + getvariable('wave_window_days') / b_days) AS v
  FROM (
    SELECT *,
           CASE WHEN quiet THEN usual_sum ELSE all_sum END / b_days AS w_mean,
           greatest(0, (CASE WHEN quiet THEN usual_sq ELSE all_sq END
                        - CASE WHEN quiet THEN usual_sum ELSE all_sum END ^ 2 / b_days) / (b_days - 1)) AS w_var
    FROM (SELECT *, 4 * busy <= days AND days - busy >= 7 AS quiet,
                 CASE WHEN 4 * busy <= days AND days - busy >= 7 THEN days - busy ELSE days END AS b_days
          FROM baseline)
  )
),
tail AS (
  -- P(S ≥ n) = 1 − P(S < n) for the window sum S: Poisson(W·m), or negative binomial with size
  -- W·m²/(v−m) and probability m/v.
  SELECT f.township, f.category, f.target_org, f.day,
         1 - sum(CASE WHEN f.v <= f.m
                      THEN exp(k * ln(W * f.m) - W * f.m - lgamma(k + 1))
                      ELSE exp(lgamma(k + W * f.m * f.m / (f.v - f.m)) - lgamma(W * f.m * f.m / (f.v - f.m)) - lgamma(k + 1)
                               + W * f.m * f.m / (f.v - f.m) * ln(f.m / f.v) + k * ln(1 - f.m / f.v))
                 END) AS p_value
  FROM fitted f, (SELECT getvariable('wave_window_days') AS W),
       LATERAL range(0, f.n) r(k)
  WHERE f.days >= greatest(7, (getvariable('wave_baseline_days') + 1) // 2)
  GROUP BY ALL
)
SELECT c.township, c.category, c.target_org, c.day, c.n, t.p_value
FROM candidates c LEFT JOIN tail t USING (township, category, target_org, day)
-- Too short a baseline (the start of the data): the floor alone decides.
WHERE t.p_value IS NULL OR t.p_value < getvariable('wave_alpha');

-- Step 3: unusual days less than 5 days apart are one episode; its cases are the group's cases
-- with a contact in the episode's windows.
INSERT INTO ref_flags
WITH numbered AS (
  SELECT *, sum(CASE WHEN prev IS NULL OR day - prev >= getvariable('wave_window_days') THEN 1 ELSE 0 END)
              OVER (PARTITION BY township, category, target_org ORDER BY day) AS episode
  FROM (SELECT *, lag(day) OVER (PARTITION BY township, category, target_org ORDER BY day) AS prev FROM ref_wave_tests)
),
episodes AS (
  SELECT township, category, target_org, episode, min(day) AS first_day, max(day) AS last_day,
         max(n) / getvariable('wave_min_complainants') AS strength
  FROM numbered GROUP BY ALL
),
members AS (
  SELECT e.township, e.category, e.target_org, e.first_day,
         list_sort(list(DISTINCT s.case_id)) AS case_ids, bool_and(s.done) AS all_done, any_value(e.strength) AS strength
  FROM episodes e
  JOIN ref_case_state s USING (township, category, target_org)
  JOIN ref_contacts k ON k.case_id = s.case_id
   AND k.contact_date BETWEEN e.first_day - getvariable('wave_window_days') + 1 AND e.last_day
  GROUP BY ALL
)
SELECT 'group-wave', 'wave:' || concat_ws('/', township, category, target_org, first_day), case_ids, first_day,
       strength, getvariable('wave_weight'), 'orange'
FROM members
WHERE NOT all_done;

-- stalled-overdue and stalled-no-progress: pending cases past their stage's deadline, or
-- without progress for 90 days.
INSERT INTO ref_flags
SELECT 'stalled-overdue', 'case:' || case_id, [case_id], deadline + getvariable('overdue_min_days'),
       1 + (getvariable('as_of') - deadline) / 30, getvariable('overdue_weight'), NULL
FROM ref_case_state
WHERE pending AND getvariable('as_of') - deadline >= getvariable('overdue_min_days');

INSERT INTO ref_flags
SELECT 'stalled-no-progress', 'case:' || case_id, [case_id], progress_date + getvariable('no_progress_min_days'),
       (getvariable('as_of') - progress_date) / getvariable('no_progress_min_days'), getvariable('no_progress_weight'), NULL
FROM ref_case_state
WHERE pending AND getvariable('as_of') - progress_date >= getvariable('no_progress_min_days');

-- == watchlist ==
-- One row per matter (a case, or a wave cluster): score Σ weight × min(strength, 3), red at 6,
-- orange at 3, never below a rule's minimum tier.
CREATE OR REPLACE TABLE ref_watchlist AS
WITH scored AS (
  SELECT matter_id, any_value(case_ids) AS case_ids, list_sort(list(rule_id)) AS rules,
         min(first_flagged) AS first_flagged,
         sum(weight * least(strength, getvariable('strength_cap'))) AS score,
         bool_or(min_tier = 'orange') AS at_least_orange
  FROM ref_flags GROUP BY matter_id
)
SELECT row_number() OVER (ORDER BY tier_rank, score DESC, matter_id) AS rank, *
FROM (
  SELECT *,
         CASE WHEN score >= getvariable('tier_red') THEN 'red'
              WHEN score >= getvariable('tier_orange') OR at_least_orange THEN 'orange'
              ELSE 'yellow' END AS tier,
         CASE WHEN score >= getvariable('tier_red') THEN 1
              WHEN score >= getvariable('tier_orange') OR at_least_orange THEN 2
              ELSE 3 END AS tier_rank
  FROM scored
);

-- == output ==
COPY (SELECT rank, matter_id, tier, round(score, 2) AS score, array_to_string(rules, ';') AS rules,
             array_to_string(case_ids, ';') AS case_ids, first_flagged
      FROM ref_watchlist ORDER BY rank)
TO (getvariable('watchlist_csv')) (HEADER);
