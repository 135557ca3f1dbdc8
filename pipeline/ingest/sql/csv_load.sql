-- A canonical CSV file into its table (or the staging table). The columns are given in the
-- file's order, named as its header does (a column the schema does not know by a name of its
-- own, read as text and dropped); the schema's columns the file has are inserted by name, the
-- others stay NULL. Ids and codes (trimmed) lose surrounding white space, so that " C00002 "
-- is C00002. Lines the reader cannot read go to the rejects table.
INSERT INTO {{.into}} BY NAME
SELECT {{range $i, $c := .cols}}{{if $i}}, {{end}}{{$c}}{{end}}
  {{- range $i, $c := .trimmed}}{{if or $i $.cols}}, {{end}}{{template "trim" $c}} AS {{$c}}{{end}}
FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = { {{- range $i, $c := .header}}{{if $i}}, {{end}}{{literal $c}}: {{type_literal $.table $c}}{{end -}} },
  store_rejects = true, rejects_table = {{literal .csv_rejects}}, rejects_scan = {{literal .csv_reject_scans}})
{{- define "trim"}}trim({{.}}, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)){{end}}
