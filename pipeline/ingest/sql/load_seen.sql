-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3
