-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files VALUES ($1, $2, $3, $4, $5, $6, $7, now())
