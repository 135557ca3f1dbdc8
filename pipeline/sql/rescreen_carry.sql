-- The flags of rule $rule_id the latest stored run had for the cases the rule does not screen
-- again: those not in rescreen_state, nor changed and now out of the screening (received after
-- $as_of). They stand as they were, with their newest evidence and reasons (standing_flags,
-- which screen_flag_liveness.sql and screen_collect_flags.sql take instead of finding them
-- again).
CREATE OR REPLACE TEMP TABLE {{.standing_flags}} AS
SELECT rule_matter_id AS matter_id, matter_kind, case_ids, contact_ids, first_flagged, strength, facts, last_evidence,
       reason_zh, reason_en
FROM flag_spans
WHERE to_seq IS NULL AND rule_id = $rule_id
  AND case_ids[1] NOT IN (SELECT case_id FROM {{.rescreen_state}})
  AND case_ids[1] NOT IN (SELECT case_id FROM {{.changed_cases}});

INSERT INTO {{.rule_flags}} SELECT * EXCLUDE (last_evidence, reason_zh, reason_en) FROM {{.standing_flags}};
