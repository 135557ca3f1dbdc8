-- The facts of one rule's flags, for Go to render their reasons from (no reasons carried: see
-- screen_flag_facts_carried.sql).
SELECT matter_id, facts, NULL::VARCHAR, NULL::VARCHAR FROM {{.rule_flags}}
