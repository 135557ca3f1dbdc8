-- The groups a rule by group (signal wave) screens again as of $as_of, when the latest stored
-- run screened as of $prev_as_of and its flags stand for the other groups (see
-- pipeline/rescreen.go), by their group_by values:
--  - the groups of the cases whose records the rule reads changed since (changed_group_cases:
--    new and corrected contacts and cases, and cases whose resolved state changed), and of
--    those received after $prev_as_of;
--  - the groups that may have a window of $min_complainants people or more ending on a day
--    a horizon moved past (h in $horizons, days before the screening date: 0, the screening
--    date itself, whose windows are cut at it; the lookback's start, whose windows leave the
--    period): those with that many people in the contacts of the $window_days days before
--    such a day. A window ending on day d holds the contacts of d - window_days + 1 to d.
-- No other group's windows, baselines or episodes differ between the two dates.
CREATE OR REPLACE TEMP TABLE {{.rescreen_groups}} AS
SELECT {{join ", " .group_by}}
FROM cases
WHERE case_id IN (SELECT case_id FROM {{.changed_group_cases}})
   OR received_date > CAST($prev_as_of AS DATE) AND received_date <= CAST($as_of AS DATE)
UNION
SELECT {{join ", " .group_by}}
FROM (SELECT b.h, {{range .group_by}}s.{{.}}, {{end}}count(DISTINCT coalesce(k.pk, 0)) AS people
      FROM {{.case_contacts}} k JOIN {{.case_state}} s USING (ck),
           (SELECT unnest(CAST($horizons AS INTEGER[])) AS h) b
      WHERE k.contact_date > CAST($prev_as_of AS DATE) - b.h - CAST($window_days AS INTEGER)
        AND k.contact_date <= CAST($as_of AS DATE) - b.h
      GROUP BY ALL)
WHERE people >= $min_complainants;

-- Their cases: the flags of the latest stored run that stand are those of no such case.
CREATE OR REPLACE TEMP TABLE {{.rescreen_group_cases}} AS
SELECT case_id FROM cases SEMI JOIN {{.rescreen_groups}} USING ({{join ", " .group_by}});
