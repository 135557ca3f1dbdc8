-- A canonical CSV file into its table (or the staging table). The columns are given in the
-- file's order, named as its header does (a column the schema does not know by a name of its
-- own, read as text and dropped); the schema's columns the file has are inserted by name, the
-- others stay NULL, free text with its id numbers and phones masked. Lines the reader cannot
-- read go to the rejects table. The reader is given only records a census found sound (see
-- census.go), so that its line size limit, set above the census's, is not what stops a record.
INSERT INTO {{.into}} BY NAME
SELECT {{join ", " .cols}}{{range .text}},
  {{template "masked_text" .}} AS {{.}}{{end}}
FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = { {{- range $i, $c := .header}}{{if $i}}, {{end}}{{literal $c}}: {{type_literal $.table $c}}{{end -}} },
  max_line_size = {{.max_line_size}}, store_rejects = true, rejects_table = {{literal .csv_rejects}}, rejects_scan = {{literal .csv_reject_scans}})
