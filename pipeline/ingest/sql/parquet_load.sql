-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL and fails
-- its check in validate); the others stay NULL. Ids and codes (trimmed) lose surrounding white
-- space, as in a CSV.
INSERT INTO {{.into}} BY NAME
SELECT {{range $i, $c := .cols}}{{if $i}}, {{end}}TRY_CAST({{$c}} AS {{type $.table $c}}) AS {{$c}}{{end}}
  {{- range $i, $c := .trimmed}}{{if or $i $.cols}}, {{end}}{{template "trim" $c}} AS {{$c}}{{end}}
FROM read_parquet($path)
{{- define "trim"}}trim(CAST({{.}} AS VARCHAR), ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)){{end}}
