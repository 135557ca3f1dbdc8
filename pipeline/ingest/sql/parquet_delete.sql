-- The rows of a Parquet file whose values do not convert, out of the table the file was loaded
-- into, in file order from rowid $1 (the first of the file's rows).
DELETE FROM {{.table}} WHERE rowid IN (SELECT $1 + row - 1 FROM {{.parquet_bad}})
