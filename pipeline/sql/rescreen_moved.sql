-- Whether a case whose records changed since the latest stored run may have left the group a
-- rule by group put it in then: its cases row is gone, or its group fields changed
-- (group_key; unknown in case_digests a database made before group keys kept). The rules
-- by group are then screened whole: the group it left is not known. A scalar.
SELECT EXISTS (
  SELECT *
  FROM {{.changed_cases}} c JOIN case_digests o USING (case_id) LEFT JOIN {{.case_digests_now}} n USING (case_id)
  WHERE n.group_key IS DISTINCT FROM o.group_key
)
