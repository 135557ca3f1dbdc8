-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version).
INSERT INTO {{.stage_dups}} SELECT rowid, {{.key}} FROM {{.table}}
WHERE {{.key}} IN (SELECT {{.key}} FROM {{.table}} WHERE {{.key}} IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
QUALIFY row_number() OVER (PARTITION BY {{.key}}
  ORDER BY {{range $i, $c := .cols}}{{if $i}} + {{end}}(coalesce({{$c}}::VARCHAR, '') <> '')::INT{{end}} DESC, rowid DESC) > 1
