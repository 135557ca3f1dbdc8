-- The rows of a canonical Parquet file with a value that does not convert to its column's
-- canonical type (cols: the columns whose type in the file is another; a fraction does not convert
-- to an integer, which a cast would round), each with its row number
-- (1-based) and those columns as text; normally none. Only these columns are read.
CREATE OR REPLACE TEMP TABLE {{.parquet_bad}} AS
SELECT file_row_number + 1 AS row, {{range $i, $c := .cols}}{{if $i}}, {{end}}{{$c}}::VARCHAR AS {{$c}}{{end}}
FROM read_parquet($path, file_row_number = true)
WHERE {{range $i, $c := .cols}}{{if $i}} OR {{end}}(TRY_CAST({{$c}} AS {{type $.table $c}}) IS NULL AND {{$c}} IS NOT NULL
  {{- if eq (print (type $.table $c)) "INTEGER"}} OR TRY_CAST({{$c}} AS DOUBLE) <> round(TRY_CAST({{$c}} AS DOUBLE)){{end}}){{end}}
