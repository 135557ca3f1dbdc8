-- rule_flags gains the flags of one part of the cases, found by a per-case rule's query.
INSERT INTO {{.rule_flags}}
{{.query}}
