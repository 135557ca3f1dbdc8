-- Whether a case whose records changed since the latest stored run may have left the group a
-- rule by group put it in then: its cases row is gone, or its group fields changed
-- (case_changes.left_group; unknown in case_digests a database made before group keys kept).
-- The rules by group are then screened whole: the group it left is not known. A scalar.
SELECT coalesce(bool_or(left_group), false) FROM {{.case_changes}}
