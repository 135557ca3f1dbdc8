-- The flags of rule $rule_id, by group, the latest stored run had for the groups the rule does
-- not screen again: those of no case in rescreen_group_cases (a flag's cases are all of its
-- group, and a changed case's group is screened again). They stand as they were, with their
-- newest evidence and reasons (standing_flags, as in rescreen_carry.sql).
CREATE OR REPLACE TEMP TABLE {{.standing_flags}} AS
SELECT rule_matter_id AS matter_id, matter_kind, case_ids, contact_ids, first_flagged, strength, facts, last_evidence,
       reason_zh, reason_en
FROM flag_spans
WHERE to_seq IS NULL AND rule_id = $rule_id
  AND case_ids[1] NOT IN (SELECT case_id FROM {{.rescreen_group_cases}});

INSERT INTO {{.rule_flags}} SELECT * EXCLUDE (last_evidence, reason_zh, reason_en) FROM {{.standing_flags}};
