-- The export table to the file $1, as zstd-compressed Parquet.
COPY {{.export}} TO $1 (FORMAT parquet, COMPRESSION zstd)
