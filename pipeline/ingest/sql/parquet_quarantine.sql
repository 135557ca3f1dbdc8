-- The rows of a Parquet file with values that do not convert ($1 run, $2 file), one quarantine row
-- each, as the CSV reader's rejects are: its row number as its line, the first field at fault, a
-- reason for each (not_a_date, not_an_integer, or bad_value for another type) and the raw value of
-- the first.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, row, min(field), '[' || string_agg(reason, ',' ORDER BY field) || ']', arg_min(raw, field)
FROM (
{{- range $i, $c := .cols}}
{{if $i}}UNION ALL
{{end}}SELECT row, {{literal $c}} AS field, to_json([{{cast_reason $.table $c}}, {{literal $c}}])::VARCHAR AS reason, {{$c}} AS raw
FROM {{$.parquet_bad}} WHERE TRY_CAST({{$c}} AS {{type $.table $c}}) IS NULL AND {{$c}} IS NOT NULL
  {{- if eq (print (type $.table $c)) "INTEGER"}} OR TRY_CAST({{$c}} AS DOUBLE) <> round(TRY_CAST({{$c}} AS DOUBLE)){{end}}
{{- end}}
) GROUP BY row
