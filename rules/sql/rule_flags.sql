-- rule_flags, empty, for a rule computed in Go to fill: the columns every rule returns
-- (FlagColumns in rule.go).
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} (
  matter_id VARCHAR, matter_kind VARCHAR, case_ids VARCHAR[], contact_ids VARCHAR[],
  first_flagged DATE, strength DOUBLE, facts VARCHAR)
