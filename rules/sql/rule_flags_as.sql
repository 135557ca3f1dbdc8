-- rule_flags, filled by a rule's query.
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} AS
{{.query}}
