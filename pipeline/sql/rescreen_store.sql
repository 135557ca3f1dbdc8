-- The digests of the records this run screened become the latest stored run's (case_digests),
-- for the cases whose records changed, and for those a database made before group digests has
-- none of.
DELETE FROM case_digests WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});

INSERT INTO case_digests (case_id, digest, group_digest)
SELECT case_id, digest, group_digest FROM {{.case_digests_now}} WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});

UPDATE case_digests SET group_digest = n.group_digest
FROM {{.case_digests_now}} n
WHERE case_digests.group_digest IS NULL AND n.case_id = case_digests.case_id;
