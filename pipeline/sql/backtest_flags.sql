-- One rule's live flagged matters on the day screened (see screen_flag_liveness.sql).
INSERT INTO bt_flags
SELECT CAST($bt_day AS DATE), $bt_rule, $bt_family, f.matter_id, f.case_ids
FROM {{.rule_flags}} f JOIN {{.flag_liveness}} l USING (matter_id)
WHERE l.live
