-- The digests of the records this run screened become the latest stored run's (case_digests),
-- for the cases whose records changed.
DELETE FROM case_digests WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});
INSERT INTO case_digests
SELECT * FROM {{.case_digests_now}} WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});
