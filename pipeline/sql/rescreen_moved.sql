-- Whether a case whose records changed since the latest stored run may have left the group a
-- rule by group put it in then: its cases row is gone, or its group fields changed
-- (group_digest; unknown in case_digests a database made before group digests kept). The rules
-- by group are then screened whole: the group it left is not known. A scalar.
SELECT EXISTS (
  SELECT *
  FROM {{.changed_cases}} c JOIN case_digests o USING (case_id) LEFT JOIN {{.case_digests_now}} n USING (case_id)
  WHERE n.group_digest IS DISTINCT FROM o.group_digest
)
