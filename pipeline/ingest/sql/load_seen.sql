-- Whether a file with this checksum was loaded into this table before ($1 checksum, $2 table).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2
