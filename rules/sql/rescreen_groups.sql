-- The groups a rule by group (signal wave) screens again as of $as_of, when the latest stored
-- run screened as of $prev_as_of and its flags stand for the other groups (see
-- pipeline/rescreen.go): the groups (their group_by values) of the cases whose records changed
-- since (changed_cases), of those received or with an event dated after $prev_as_of, and of
-- those with a contact within $reach days of a boundary "contact_date > as_of - h" (h in
-- $horizons: 0, the screening date, and the lookback's start) between the two dates. A group
-- with none of these has the same windows, baselines and episodes on both dates: no contact of
-- it enters or leaves what the rule reads, and no window of it is cut short by either date.
CREATE OR REPLACE TEMP TABLE {{.rescreen_groups}} AS
SELECT DISTINCT {{join ", " .group_by}}
FROM cases
WHERE case_id IN (SELECT case_id FROM {{.changed_cases}})
   OR received_date > CAST($prev_as_of AS DATE) AND received_date <= CAST($as_of AS DATE)
   OR case_id IN (SELECT case_id FROM events
                  WHERE event_date > CAST($prev_as_of AS DATE) AND event_date <= CAST($as_of AS DATE))
   OR rowid IN (SELECT k.ck
                FROM {{.case_contacts}} k, (SELECT unnest(CAST($horizons AS INTEGER[])) AS h) b
                WHERE k.contact_date > CAST($prev_as_of AS DATE) - b.h - CAST($reach AS INTEGER)
                  AND k.contact_date <= CAST($as_of AS DATE) - b.h + CAST($reach AS INTEGER));

-- Their cases: the flags of the latest stored run that stand are those of no such case.
CREATE OR REPLACE TEMP TABLE {{.rescreen_group_cases}} AS
SELECT case_id FROM cases SEMI JOIN {{.rescreen_groups}} USING ({{join ", " .group_by}});
