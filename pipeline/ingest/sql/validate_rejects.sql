-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE {{.stage_rejects}} AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
{{.checks}}
UNION ALL
SELECT rid, {{literal .key}},
  CASE WHEN kept_line IS NULL THEN to_json([{{reason "duplicate_id"}}, {{literal .key}}])
       ELSE to_json([{{reason "duplicate_id"}}, {{literal .key}}, kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM {{.stage_dups}}
) GROUP BY rid
