-- One rule's flagged matters on the day screened.
INSERT INTO bt_flags
SELECT CAST($bt_day AS DATE), $bt_rule, $bt_family, matter_id, case_ids FROM {{.rule_flags}}
