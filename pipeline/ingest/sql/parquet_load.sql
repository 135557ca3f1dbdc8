-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL here, and
-- loadParquet quarantines its row), free text with its id numbers and phones masked; the others stay NULL.
INSERT INTO {{.into}} BY NAME
SELECT {{join ", " .cols}}{{range .text}},
  {{template "masked_text" .}} AS {{.}}{{end}}
FROM (
  SELECT {{range $i, $c := .all}}{{if $i}}, {{end}}TRY_CAST({{$c}} AS {{type $.table $c}}) AS {{$c}}{{end}}
  FROM read_parquet($path))
