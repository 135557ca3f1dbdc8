-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO {{.stage_dups}}
SELECT rowid, {{.key}}, {{if .by_column}}first_value({{.line_col}}) OVER version{{else}}NULL{{end}}
FROM {{.table}}
WHERE {{.key}} IN (SELECT {{.key}} FROM {{.table}} WHERE {{.key}} IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY {{.key}}
  ORDER BY {{range $i, $c := .cols}}{{if $i}} + {{end}}(coalesce({{$c}}::VARCHAR, '') <> '')::INT{{end}} DESC, rowid DESC)
QUALIFY row_number() OVER version > 1
