-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  {{if .by_column}}s.{{.line_col}}{{else if .rescan}}(SELECT l.line FROM {{.reject_lines}} l WHERE l.rid = r.rid){{else if .by_row}}r.rid - $3 + 1{{else}}NULL{{end}},
  r.field, r.reason, coalesce(r.raw, s.{{.key}}), s.{{.key}}::VARCHAR
FROM {{.stage_rejects}} r JOIN {{.table}} s ON s.rowid = r.rid
