-- The facts of one rule's flags, for Go to render their reasons from.
SELECT matter_id, facts FROM {{.rule_flags}}
