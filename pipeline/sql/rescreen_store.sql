-- The digests of the records this run screened become the latest stored run's (case_digests),
-- for the cases whose records changed; for the others, the resolved state as of this run's date
-- where it changed, and all of them where a database made before the digests of the rules by
-- group has none.
DELETE FROM case_digests WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});

INSERT INTO case_digests (case_id, digest, group_key, group_digest, resolved)
SELECT case_id, digest, group_key, group_digest, resolved
FROM {{.case_digests_now}} WHERE case_id IN (SELECT case_id FROM {{.changed_cases}});

UPDATE case_digests SET group_key = n.group_key, group_digest = n.group_digest, resolved = n.resolved
FROM {{.case_digests_now}} n
WHERE n.case_id = case_digests.case_id
  AND (case_digests.group_digest IS NULL OR case_digests.resolved IS DISTINCT FROM n.resolved);
