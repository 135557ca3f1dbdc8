-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL and fails
-- its check in validate); the others stay NULL.
INSERT INTO {{.into}} BY NAME
SELECT {{range $i, $c := .cols}}{{if $i}}, {{end}}TRY_CAST({{$c}} AS {{type $.table $c}}) AS {{$c}}{{end}}
FROM read_parquet($path)
