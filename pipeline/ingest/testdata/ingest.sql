-- The SQL of the ingest stage, rendered from pipeline/ingest/sql: what loading each canonical
-- file (CSV and Parquet) and a file read through a profile executes. Values are bound parameters.
-- Written by TestIngestSQL (go test -tags duckdb_arrow ./pipeline/ingest -run TestIngestSQL -update).

-- ================================================================================================
-- cases.csv
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "cases";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "cases" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the records the census took out of the file, when it found any
-- The records a census took out of a canonical CSV file before its reader saw them ($1 run,
-- $2 file; $3 their first lines, $4 the field at fault or NULL, $5 their reasons, $6 the records
-- as written, in one order).
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, unnest($3::BIGINT[]), unnest($4::VARCHAR[]), unnest($5::VARCHAR[]), unnest($6::VARCHAR[]);

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical CSV file into its table (or the staging table). The columns are given in the
-- file's order, named as its header does (a column the schema does not know by a name of its
-- own, read as text and dropped); the schema's columns the file has are inserted by name, the
-- others stay NULL, free text with its id numbers and phones masked. Lines the reader cannot
-- read go to the rejects table. The reader is given only records a census found sound (see
-- census.go), so that its line size limit, set above the census's, is not what stops a record.
INSERT INTO "cases" BY NAME
SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status",
  CASE WHEN regexp_matches("content", '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace("content",
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE "content" END AS "content",
  CASE WHEN regexp_matches("found_in_text", '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace("found_in_text",
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE "found_in_text" END AS "found_in_text"
FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {'case_id': 'VARCHAR', 'received_date': 'DATE', 'channel': 'VARCHAR', 'level': 'VARCHAR', 'complainant_id': 'VARCHAR', 'head_count': 'INTEGER', 'category': 'VARCHAR', 'township': 'VARCHAR', 'village': 'VARCHAR', 'target_org': 'VARCHAR', 'responsible_unit': 'VARCHAR', 'status': 'VARCHAR', 'content': 'VARCHAR', 'found_in_text': 'VARCHAR', '_column_15': 'VARCHAR'},
  max_line_size = 2097152, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans');

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected
-- The lines DuckDB's CSV reader rejected, as it numbers them (the header is line 1; each
-- record and each empty line after it is one line).
SELECT DISTINCT line FROM "csv_rejects" ORDER BY line;

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected, when there are any
-- The lines the CSV reader rejected ($1 run, $2 file), one quarantine row per line, at its line
-- in the file ($3 the reader's line numbers, $4 the file's, in one order): the first field at
-- fault, a reason for each bad field (a code for the kind of error, the field, and, where no
-- code says it all, the reader's own message), and the record as it is in the file (without
-- the empty lines the reader counts into it), its id numbers and phones masked. A value that is not of its column's type (the
-- table's date and integer columns are given) says so in words of the catalogue.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, file_line, min(column_name),
  '[' || string_agg(to_json(CASE
      WHEN error_type = 'CAST' AND column_name IN ('received_date') THEN ['not_a_date', column_name]
      WHEN error_type = 'CAST' AND column_name IN ('head_count') THEN ['not_an_integer', column_name]
      WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN ['bad_encoding', coalesce(column_name, ''), coalesce(column_name, '')]
      ELSE [CASE error_type
      WHEN 'CAST' THEN 'bad_value'
      WHEN 'MISSING COLUMNS' THEN 'wrong_field_count'
      WHEN 'TOO MANY COLUMNS' THEN 'wrong_field_count'
      WHEN 'UNQUOTED VALUE' THEN 'bad_quoting'
      WHEN 'INVALID STATE' THEN 'bad_quoting'
      WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line_too_long'
      ELSE 'unreadable_record' END,
    coalesce(column_name, ''), error_message] END)::VARCHAR, ',' ORDER BY column_name) || ']',
  CASE WHEN regexp_matches(ltrim(any_value(csv_line), chr(13) || chr(10)), '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(ltrim(any_value(csv_line), chr(13) || chr(10)),
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE ltrim(any_value(csv_line), chr(13) || chr(10)) END
FROM "csv_rejects" JOIN (SELECT unnest($3::BIGINT[]) AS line, unnest($4::BIGINT[]) AS file_line) USING (line)
GROUP BY file_line;

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "responsible_unit" FROM "cases"
WHERE ("case_id" IS NULL OR (("case_id" < '!' OR ("case_id" >= chr(133) AND "case_id" < chr(12289))) AND regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("received_date" IS NULL) OR ("received_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("received_date" > $as_of::DATE) OR ("channel" IS NULL) OR ("channel" NOT IN ('letter', 'visit', 'online', 'phone')) OR ("level" IS NULL) OR ("level" NOT IN ('county', 'city', 'province', 'national')) OR ("complainant_id" IS NULL OR (("complainant_id" < '!' OR ("complainant_id" >= chr(133) AND "complainant_id" < chr(12289))) AND regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("head_count" < 1) OR ("category" IS NULL OR (("category" < '!' OR ("category" >= chr(133) AND "category" < chr(12289))) AND regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("township" IS NULL OR (("township" < '!' OR ("township" >= chr(133) AND "township" < chr(12289))) AND regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("responsible_unit" IS NULL OR (("responsible_unit" < '!' OR ("responsible_unit" >= chr(133) AND "responsible_unit" < chr(12289))) AND regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288)))) OR ("complainant_id" < '!' OR suffix("complainant_id", ' ') OR suffix("complainant_id", chr(9)) OR suffix("complainant_id", chr(10)) OR suffix("complainant_id", chr(11)) OR suffix("complainant_id", chr(12)) OR suffix("complainant_id", chr(13))
  OR (strlen("complainant_id") <> length("complainant_id") AND ("complainant_id" >= chr(133) AND "complainant_id" < chr(12289) OR "complainant_id"[-1] >= chr(133) AND "complainant_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "cases" SET "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "complainant_id" = regexp_replace("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "complainant_id" = regexp_replace("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "case_id" AS id, lag("case_id") OVER () AS prev FROM "cases" WHERE "case_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "case_id", NULL
FROM "cases"
WHERE "case_id" IN (SELECT "case_id" FROM "cases" WHERE "case_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "case_id"
  ORDER BY (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("received_date"::VARCHAR, '') <> '')::INT + (coalesce("channel"::VARCHAR, '') <> '')::INT + (coalesce("level"::VARCHAR, '') <> '')::INT + (coalesce("complainant_id"::VARCHAR, '') <> '')::INT + (coalesce("head_count"::VARCHAR, '') <> '')::INT + (coalesce("category"::VARCHAR, '') <> '')::INT + (coalesce("township"::VARCHAR, '') <> '')::INT + (coalesce("village"::VARCHAR, '') <> '')::INT + (coalesce("target_org"::VARCHAR, '') <> '')::INT + (coalesce("responsible_unit"::VARCHAR, '') <> '')::INT + (coalesce("status"::VARCHAR, '') <> '')::INT + (coalesce("content"::VARCHAR, '') <> '')::INT + (coalesce("found_in_text"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'case_id' AS field, to_json(['missing_required', 'case_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "case_id" IS NULL OR regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['missing_required', 'received_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "received_date" IS NULL
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['placeholder_date', 'received_date', "received_date"::VARCHAR])::VARCHAR AS reason, "received_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "received_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['future_date', 'received_date', "received_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "received_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "received_date" > $as_of::DATE
UNION ALL
SELECT rid, 'channel' AS field, to_json(['missing_required', 'channel'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "channel" IS NULL OR regexp_full_match("channel", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'channel' AS field, to_json(['unknown_code', 'channel', "channel", 'letter, visit, online, phone'])::VARCHAR AS reason, "channel" AS raw
FROM "stage_bad" WHERE "channel" NOT IN ('letter', 'visit', 'online', 'phone')
UNION ALL
SELECT rid, 'level' AS field, to_json(['missing_required', 'level'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "level" IS NULL OR regexp_full_match("level", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'level' AS field, to_json(['unknown_code', 'level', "level", 'county, city, province, national'])::VARCHAR AS reason, "level" AS raw
FROM "stage_bad" WHERE "level" NOT IN ('county', 'city', 'province', 'national')
UNION ALL
SELECT rid, 'complainant_id' AS field, to_json(['missing_required', 'complainant_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "complainant_id" IS NULL OR regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'head_count' AS field, to_json(['bad_head_count', 'head_count', "head_count"::VARCHAR])::VARCHAR AS reason, "head_count"::VARCHAR AS raw
FROM "stage_bad" WHERE "head_count" < 1
UNION ALL
SELECT rid, 'category' AS field, to_json(['missing_required', 'category'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "category" IS NULL OR regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'township' AS field, to_json(['missing_required', 'township'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "township" IS NULL OR regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'responsible_unit' AS field, to_json(['missing_required', 'responsible_unit'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "responsible_unit" IS NULL OR regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'case_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'case_id'])
       ELSE to_json(['duplicate_id', 'case_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- rescan: lines of the rejected rows
-- The file line of each rejected row of a CSV file.
CREATE OR REPLACE TEMP TABLE "reject_lines" (rid BIGINT, line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "cases";

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines of a file the CSV reader rejected ($1 run, $2 file).
SELECT line FROM quarantine WHERE run_id = $1 AND file = $2 AND line IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The rows a file loses, in file order.
SELECT rid FROM "stage_rejects" ORDER BY rid;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines found for the rows a file loses ($1 rowids, $2 lines, in the same order).
INSERT INTO "reject_lines" SELECT unnest($1::BIGINT[]), unnest($2::BIGINT[]);

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  (SELECT l.line FROM "reject_lines" l WHERE l.rid = r.rid),
  r.field, r.reason, coalesce(r.raw, s."case_id"), s."case_id"::VARCHAR
FROM "stage_rejects" r JOIN "cases" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "cases" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "cases" WHERE "case_id" IN (SELECT "case_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "cases" ("case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text") SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- cases.parquet
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "cases";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "cases" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the file's columns
-- The schema of a Parquet file, in order: the root, then each column followed by its nested
-- fields (num_children says how many each element has directly).
SELECT name, coalesce(num_children, 0) FROM parquet_schema($path);

-- ------------------------------------------------------------------------------------------------
-- the file's rows
-- The rows a Parquet file holds, by its own metadata.
SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($path);

-- ------------------------------------------------------------------------------------------------
-- the file's column types
-- The DuckDB type of each column of a Parquet file, in order.
SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL here, and
-- loadParquet quarantines its row), free text with its id numbers and phones masked; the others stay NULL.
INSERT INTO "cases" BY NAME
SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status",
  CASE WHEN regexp_matches("content", '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace("content",
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE "content" END AS "content",
  CASE WHEN regexp_matches("found_in_text", '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace("found_in_text",
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE "found_in_text" END AS "found_in_text"
FROM (
  SELECT TRY_CAST("case_id" AS VARCHAR) AS "case_id", TRY_CAST("received_date" AS DATE) AS "received_date", TRY_CAST("channel" AS VARCHAR) AS "channel", TRY_CAST("level" AS VARCHAR) AS "level", TRY_CAST("complainant_id" AS VARCHAR) AS "complainant_id", TRY_CAST("head_count" AS INTEGER) AS "head_count", TRY_CAST("category" AS VARCHAR) AS "category", TRY_CAST("township" AS VARCHAR) AS "township", TRY_CAST("village" AS VARCHAR) AS "village", TRY_CAST("target_org" AS VARCHAR) AS "target_org", TRY_CAST("responsible_unit" AS VARCHAR) AS "responsible_unit", TRY_CAST("status" AS VARCHAR) AS "status", TRY_CAST("content" AS VARCHAR) AS "content", TRY_CAST("found_in_text" AS VARCHAR) AS "found_in_text"
  FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- the first row's rowid
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "cases";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert (when a date or integer column has another type)
-- The rows of a canonical Parquet file with a value that does not convert to its column's
-- canonical type (cols: the columns whose type in the file is another; a fraction does not convert
-- to an integer, which a cast would round), each with its row number
-- (1-based) and those columns as text; normally none. Only these columns are read.
CREATE OR REPLACE TEMP TABLE "parquet_bad" AS
SELECT file_row_number + 1 AS row, "received_date"::VARCHAR AS "received_date", "head_count"::VARCHAR AS "head_count"
FROM read_parquet($path, file_row_number = true)
WHERE (TRY_CAST("received_date" AS DATE) IS NULL AND "received_date" IS NOT NULL) OR (TRY_CAST("head_count" AS INTEGER) IS NULL AND "head_count" IS NOT NULL OR TRY_CAST("head_count" AS DOUBLE) <> round(TRY_CAST("head_count" AS DOUBLE)));

-- ------------------------------------------------------------------------------------------------
-- how many
-- The rows of a table.
SELECT count(*) FROM "parquet_bad";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: into the quarantine
-- The rows of a Parquet file with values that do not convert ($1 run, $2 file), one quarantine row
-- each, as the CSV reader's rejects are: its row number as its line, the first field at fault, a
-- reason for each (not_a_date, not_an_integer, or bad_value for another type) and the raw value of
-- the first.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, row, min(field), '[' || string_agg(reason, ',' ORDER BY field) || ']', arg_min(raw, field)
FROM (
SELECT row, 'received_date' AS field, to_json(['not_a_date', 'received_date'])::VARCHAR AS reason, "received_date" AS raw
FROM "parquet_bad" WHERE TRY_CAST("received_date" AS DATE) IS NULL AND "received_date" IS NOT NULL
UNION ALL
SELECT row, 'head_count' AS field, to_json(['not_an_integer', 'head_count'])::VARCHAR AS reason, "head_count" AS raw
FROM "parquet_bad" WHERE TRY_CAST("head_count" AS INTEGER) IS NULL AND "head_count" IS NOT NULL OR TRY_CAST("head_count" AS DOUBLE) <> round(TRY_CAST("head_count" AS DOUBLE))
) GROUP BY row;

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: out of the table
-- The rows of a Parquet file whose values do not convert, out of the table the file was loaded
-- into, in file order from rowid $1 (the first of the file's rows).
DELETE FROM "cases" WHERE rowid IN (SELECT $1 + row - 1 FROM "parquet_bad");

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "responsible_unit" FROM "cases"
WHERE ("case_id" IS NULL OR (("case_id" < '!' OR ("case_id" >= chr(133) AND "case_id" < chr(12289))) AND regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("received_date" IS NULL) OR ("received_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("received_date" > $as_of::DATE) OR ("channel" IS NULL) OR ("channel" NOT IN ('letter', 'visit', 'online', 'phone')) OR ("level" IS NULL) OR ("level" NOT IN ('county', 'city', 'province', 'national')) OR ("complainant_id" IS NULL OR (("complainant_id" < '!' OR ("complainant_id" >= chr(133) AND "complainant_id" < chr(12289))) AND regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("head_count" < 1) OR ("category" IS NULL OR (("category" < '!' OR ("category" >= chr(133) AND "category" < chr(12289))) AND regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("township" IS NULL OR (("township" < '!' OR ("township" >= chr(133) AND "township" < chr(12289))) AND regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("responsible_unit" IS NULL OR (("responsible_unit" < '!' OR ("responsible_unit" >= chr(133) AND "responsible_unit" < chr(12289))) AND regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288)))) OR ("complainant_id" < '!' OR suffix("complainant_id", ' ') OR suffix("complainant_id", chr(9)) OR suffix("complainant_id", chr(10)) OR suffix("complainant_id", chr(11)) OR suffix("complainant_id", chr(12)) OR suffix("complainant_id", chr(13))
  OR (strlen("complainant_id") <> length("complainant_id") AND ("complainant_id" >= chr(133) AND "complainant_id" < chr(12289) OR "complainant_id"[-1] >= chr(133) AND "complainant_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "cases" SET "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "complainant_id" = regexp_replace("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "complainant_id" = regexp_replace("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("complainant_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "case_id" AS id, lag("case_id") OVER () AS prev FROM "cases" WHERE "case_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "case_id", NULL
FROM "cases"
WHERE "case_id" IN (SELECT "case_id" FROM "cases" WHERE "case_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "case_id"
  ORDER BY (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("received_date"::VARCHAR, '') <> '')::INT + (coalesce("channel"::VARCHAR, '') <> '')::INT + (coalesce("level"::VARCHAR, '') <> '')::INT + (coalesce("complainant_id"::VARCHAR, '') <> '')::INT + (coalesce("head_count"::VARCHAR, '') <> '')::INT + (coalesce("category"::VARCHAR, '') <> '')::INT + (coalesce("township"::VARCHAR, '') <> '')::INT + (coalesce("village"::VARCHAR, '') <> '')::INT + (coalesce("target_org"::VARCHAR, '') <> '')::INT + (coalesce("responsible_unit"::VARCHAR, '') <> '')::INT + (coalesce("status"::VARCHAR, '') <> '')::INT + (coalesce("content"::VARCHAR, '') <> '')::INT + (coalesce("found_in_text"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'case_id' AS field, to_json(['missing_required', 'case_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "case_id" IS NULL OR regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['missing_required', 'received_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "received_date" IS NULL
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['placeholder_date', 'received_date', "received_date"::VARCHAR])::VARCHAR AS reason, "received_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "received_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['future_date', 'received_date', "received_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "received_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "received_date" > $as_of::DATE
UNION ALL
SELECT rid, 'channel' AS field, to_json(['missing_required', 'channel'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "channel" IS NULL OR regexp_full_match("channel", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'channel' AS field, to_json(['unknown_code', 'channel', "channel", 'letter, visit, online, phone'])::VARCHAR AS reason, "channel" AS raw
FROM "stage_bad" WHERE "channel" NOT IN ('letter', 'visit', 'online', 'phone')
UNION ALL
SELECT rid, 'level' AS field, to_json(['missing_required', 'level'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "level" IS NULL OR regexp_full_match("level", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'level' AS field, to_json(['unknown_code', 'level', "level", 'county, city, province, national'])::VARCHAR AS reason, "level" AS raw
FROM "stage_bad" WHERE "level" NOT IN ('county', 'city', 'province', 'national')
UNION ALL
SELECT rid, 'complainant_id' AS field, to_json(['missing_required', 'complainant_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "complainant_id" IS NULL OR regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'head_count' AS field, to_json(['bad_head_count', 'head_count', "head_count"::VARCHAR])::VARCHAR AS reason, "head_count"::VARCHAR AS raw
FROM "stage_bad" WHERE "head_count" < 1
UNION ALL
SELECT rid, 'category' AS field, to_json(['missing_required', 'category'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "category" IS NULL OR regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'township' AS field, to_json(['missing_required', 'township'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "township" IS NULL OR regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'responsible_unit' AS field, to_json(['missing_required', 'responsible_unit'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "responsible_unit" IS NULL OR regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'case_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'case_id'])
       ELSE to_json(['duplicate_id', 'case_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  r.rid - $3 + 1,
  r.field, r.reason, coalesce(r.raw, s."case_id"), s."case_id"::VARCHAR
FROM "stage_rejects" r JOIN "cases" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "cases" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "cases" WHERE "case_id" IN (SELECT "case_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "cases" ("case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text") SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- contacts.csv
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "contacts";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "contacts" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the records the census took out of the file, when it found any
-- The records a census took out of a canonical CSV file before its reader saw them ($1 run,
-- $2 file; $3 their first lines, $4 the field at fault or NULL, $5 their reasons, $6 the records
-- as written, in one order).
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, unnest($3::BIGINT[]), unnest($4::VARCHAR[]), unnest($5::VARCHAR[]), unnest($6::VARCHAR[]);

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical CSV file into its table (or the staging table). The columns are given in the
-- file's order, named as its header does (a column the schema does not know by a name of its
-- own, read as text and dropped); the schema's columns the file has are inserted by name, the
-- others stay NULL, free text with its id numbers and phones masked. Lines the reader cannot
-- read go to the rejects table. The reader is given only records a census found sound (see
-- census.go), so that its line size limit, set above the census's, is not what stops a record.
INSERT INTO "contacts" BY NAME
SELECT "contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township"
FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {'contact_id': 'VARCHAR', 'case_id': 'VARCHAR', 'contact_date': 'DATE', 'channel': 'VARCHAR', 'level': 'VARCHAR', 'person_id': 'VARCHAR', 'head_count': 'INTEGER', 'category': 'VARCHAR', 'township': 'VARCHAR', '_column_10': 'VARCHAR'},
  max_line_size = 2097152, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans');

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected
-- The lines DuckDB's CSV reader rejected, as it numbers them (the header is line 1; each
-- record and each empty line after it is one line).
SELECT DISTINCT line FROM "csv_rejects" ORDER BY line;

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected, when there are any
-- The lines the CSV reader rejected ($1 run, $2 file), one quarantine row per line, at its line
-- in the file ($3 the reader's line numbers, $4 the file's, in one order): the first field at
-- fault, a reason for each bad field (a code for the kind of error, the field, and, where no
-- code says it all, the reader's own message), and the record as it is in the file (without
-- the empty lines the reader counts into it), its id numbers and phones masked. A value that is not of its column's type (the
-- table's date and integer columns are given) says so in words of the catalogue.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, file_line, min(column_name),
  '[' || string_agg(to_json(CASE
      WHEN error_type = 'CAST' AND column_name IN ('contact_date') THEN ['not_a_date', column_name]
      WHEN error_type = 'CAST' AND column_name IN ('head_count') THEN ['not_an_integer', column_name]
      WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN ['bad_encoding', coalesce(column_name, ''), coalesce(column_name, '')]
      ELSE [CASE error_type
      WHEN 'CAST' THEN 'bad_value'
      WHEN 'MISSING COLUMNS' THEN 'wrong_field_count'
      WHEN 'TOO MANY COLUMNS' THEN 'wrong_field_count'
      WHEN 'UNQUOTED VALUE' THEN 'bad_quoting'
      WHEN 'INVALID STATE' THEN 'bad_quoting'
      WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line_too_long'
      ELSE 'unreadable_record' END,
    coalesce(column_name, ''), error_message] END)::VARCHAR, ',' ORDER BY column_name) || ']',
  CASE WHEN regexp_matches(ltrim(any_value(csv_line), chr(13) || chr(10)), '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(ltrim(any_value(csv_line), chr(13) || chr(10)),
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE ltrim(any_value(csv_line), chr(13) || chr(10)) END
FROM "csv_rejects" JOIN (SELECT unnest($3::BIGINT[]) AS line, unnest($4::BIGINT[]) AS file_line) USING (line)
GROUP BY file_line;

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "contact_id", "contact_date", "channel", "level", "person_id", "head_count", "case_id" FROM "contacts"
WHERE ("contact_id" IS NULL OR (("contact_id" < '!' OR ("contact_id" >= chr(133) AND "contact_id" < chr(12289))) AND regexp_full_match("contact_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("contact_date" IS NULL) OR ("contact_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("contact_date" > $as_of::DATE) OR ("channel" IS NULL) OR ("channel" NOT IN ('letter', 'visit', 'online', 'phone')) OR ("level" IS NULL) OR ("level" NOT IN ('county', 'city', 'province', 'national')) OR ("person_id" IS NULL OR (("person_id" < '!' OR ("person_id" >= chr(133) AND "person_id" < chr(12289))) AND regexp_full_match("person_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("head_count" < 1) OR ("contact_id" < '!' OR suffix("contact_id", ' ') OR suffix("contact_id", chr(9)) OR suffix("contact_id", chr(10)) OR suffix("contact_id", chr(11)) OR suffix("contact_id", chr(12)) OR suffix("contact_id", chr(13))
  OR (strlen("contact_id") <> length("contact_id") AND ("contact_id" >= chr(133) AND "contact_id" < chr(12289) OR "contact_id"[-1] >= chr(133) AND "contact_id"[-1] <= chr(12288)))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288)))) OR ("person_id" < '!' OR suffix("person_id", ' ') OR suffix("person_id", chr(9)) OR suffix("person_id", chr(10)) OR suffix("person_id", chr(11)) OR suffix("person_id", chr(12)) OR suffix("person_id", chr(13))
  OR (strlen("person_id") <> length("person_id") AND ("person_id" >= chr(133) AND "person_id" < chr(12289) OR "person_id"[-1] >= chr(133) AND "person_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "contacts" SET "contact_id" = regexp_replace("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "person_id" = regexp_replace("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "contact_id" = regexp_replace("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "person_id" = regexp_replace("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "contact_id" AS id, lag("contact_id") OVER () AS prev FROM "contacts" WHERE "contact_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "contact_id", NULL
FROM "contacts"
WHERE "contact_id" IN (SELECT "contact_id" FROM "contacts" WHERE "contact_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "contact_id"
  ORDER BY (coalesce("contact_id"::VARCHAR, '') <> '')::INT + (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("contact_date"::VARCHAR, '') <> '')::INT + (coalesce("channel"::VARCHAR, '') <> '')::INT + (coalesce("level"::VARCHAR, '') <> '')::INT + (coalesce("person_id"::VARCHAR, '') <> '')::INT + (coalesce("head_count"::VARCHAR, '') <> '')::INT + (coalesce("category"::VARCHAR, '') <> '')::INT + (coalesce("township"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'contact_id' AS field, to_json(['missing_required', 'contact_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "contact_id" IS NULL OR regexp_full_match("contact_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['missing_required', 'contact_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "contact_date" IS NULL
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['placeholder_date', 'contact_date', "contact_date"::VARCHAR])::VARCHAR AS reason, "contact_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "contact_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['future_date', 'contact_date', "contact_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "contact_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "contact_date" > $as_of::DATE
UNION ALL
SELECT rid, 'channel' AS field, to_json(['missing_required', 'channel'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "channel" IS NULL OR regexp_full_match("channel", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'channel' AS field, to_json(['unknown_code', 'channel', "channel", 'letter, visit, online, phone'])::VARCHAR AS reason, "channel" AS raw
FROM "stage_bad" WHERE "channel" NOT IN ('letter', 'visit', 'online', 'phone')
UNION ALL
SELECT rid, 'level' AS field, to_json(['missing_required', 'level'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "level" IS NULL OR regexp_full_match("level", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'level' AS field, to_json(['unknown_code', 'level', "level", 'county, city, province, national'])::VARCHAR AS reason, "level" AS raw
FROM "stage_bad" WHERE "level" NOT IN ('county', 'city', 'province', 'national')
UNION ALL
SELECT rid, 'person_id' AS field, to_json(['missing_required', 'person_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "person_id" IS NULL OR regexp_full_match("person_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'head_count' AS field, to_json(['bad_head_count', 'head_count', "head_count"::VARCHAR])::VARCHAR AS reason, "head_count"::VARCHAR AS raw
FROM "stage_bad" WHERE "head_count" < 1
UNION ALL
SELECT rid, 'contact_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'contact_id'])
       ELSE to_json(['duplicate_id', 'contact_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- rescan: lines of the rejected rows
-- The file line of each rejected row of a CSV file.
CREATE OR REPLACE TEMP TABLE "reject_lines" (rid BIGINT, line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "contacts";

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines of a file the CSV reader rejected ($1 run, $2 file).
SELECT line FROM quarantine WHERE run_id = $1 AND file = $2 AND line IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The rows a file loses, in file order.
SELECT rid FROM "stage_rejects" ORDER BY rid;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines found for the rows a file loses ($1 rowids, $2 lines, in the same order).
INSERT INTO "reject_lines" SELECT unnest($1::BIGINT[]), unnest($2::BIGINT[]);

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  (SELECT l.line FROM "reject_lines" l WHERE l.rid = r.rid),
  r.field, r.reason, coalesce(r.raw, s."contact_id"), s."contact_id"::VARCHAR
FROM "stage_rejects" r JOIN "contacts" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "contacts" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "contacts" WHERE "contact_id" IN (SELECT "contact_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "contacts" ("contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township") SELECT "contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- contacts.parquet
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "contacts";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "contacts" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the file's columns
-- The schema of a Parquet file, in order: the root, then each column followed by its nested
-- fields (num_children says how many each element has directly).
SELECT name, coalesce(num_children, 0) FROM parquet_schema($path);

-- ------------------------------------------------------------------------------------------------
-- the file's rows
-- The rows a Parquet file holds, by its own metadata.
SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($path);

-- ------------------------------------------------------------------------------------------------
-- the file's column types
-- The DuckDB type of each column of a Parquet file, in order.
SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL here, and
-- loadParquet quarantines its row), free text with its id numbers and phones masked; the others stay NULL.
INSERT INTO "contacts" BY NAME
SELECT "contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township"
FROM (
  SELECT TRY_CAST("contact_id" AS VARCHAR) AS "contact_id", TRY_CAST("case_id" AS VARCHAR) AS "case_id", TRY_CAST("contact_date" AS DATE) AS "contact_date", TRY_CAST("channel" AS VARCHAR) AS "channel", TRY_CAST("level" AS VARCHAR) AS "level", TRY_CAST("person_id" AS VARCHAR) AS "person_id", TRY_CAST("head_count" AS INTEGER) AS "head_count", TRY_CAST("category" AS VARCHAR) AS "category", TRY_CAST("township" AS VARCHAR) AS "township"
  FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- the first row's rowid
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "contacts";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert (when a date or integer column has another type)
-- The rows of a canonical Parquet file with a value that does not convert to its column's
-- canonical type (cols: the columns whose type in the file is another; a fraction does not convert
-- to an integer, which a cast would round), each with its row number
-- (1-based) and those columns as text; normally none. Only these columns are read.
CREATE OR REPLACE TEMP TABLE "parquet_bad" AS
SELECT file_row_number + 1 AS row, "contact_date"::VARCHAR AS "contact_date", "head_count"::VARCHAR AS "head_count"
FROM read_parquet($path, file_row_number = true)
WHERE (TRY_CAST("contact_date" AS DATE) IS NULL AND "contact_date" IS NOT NULL) OR (TRY_CAST("head_count" AS INTEGER) IS NULL AND "head_count" IS NOT NULL OR TRY_CAST("head_count" AS DOUBLE) <> round(TRY_CAST("head_count" AS DOUBLE)));

-- ------------------------------------------------------------------------------------------------
-- how many
-- The rows of a table.
SELECT count(*) FROM "parquet_bad";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: into the quarantine
-- The rows of a Parquet file with values that do not convert ($1 run, $2 file), one quarantine row
-- each, as the CSV reader's rejects are: its row number as its line, the first field at fault, a
-- reason for each (not_a_date, not_an_integer, or bad_value for another type) and the raw value of
-- the first.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, row, min(field), '[' || string_agg(reason, ',' ORDER BY field) || ']', arg_min(raw, field)
FROM (
SELECT row, 'contact_date' AS field, to_json(['not_a_date', 'contact_date'])::VARCHAR AS reason, "contact_date" AS raw
FROM "parquet_bad" WHERE TRY_CAST("contact_date" AS DATE) IS NULL AND "contact_date" IS NOT NULL
UNION ALL
SELECT row, 'head_count' AS field, to_json(['not_an_integer', 'head_count'])::VARCHAR AS reason, "head_count" AS raw
FROM "parquet_bad" WHERE TRY_CAST("head_count" AS INTEGER) IS NULL AND "head_count" IS NOT NULL OR TRY_CAST("head_count" AS DOUBLE) <> round(TRY_CAST("head_count" AS DOUBLE))
) GROUP BY row;

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: out of the table
-- The rows of a Parquet file whose values do not convert, out of the table the file was loaded
-- into, in file order from rowid $1 (the first of the file's rows).
DELETE FROM "contacts" WHERE rowid IN (SELECT $1 + row - 1 FROM "parquet_bad");

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "contact_id", "contact_date", "channel", "level", "person_id", "head_count", "case_id" FROM "contacts"
WHERE ("contact_id" IS NULL OR (("contact_id" < '!' OR ("contact_id" >= chr(133) AND "contact_id" < chr(12289))) AND regexp_full_match("contact_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("contact_date" IS NULL) OR ("contact_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("contact_date" > $as_of::DATE) OR ("channel" IS NULL) OR ("channel" NOT IN ('letter', 'visit', 'online', 'phone')) OR ("level" IS NULL) OR ("level" NOT IN ('county', 'city', 'province', 'national')) OR ("person_id" IS NULL OR (("person_id" < '!' OR ("person_id" >= chr(133) AND "person_id" < chr(12289))) AND regexp_full_match("person_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("head_count" < 1) OR ("contact_id" < '!' OR suffix("contact_id", ' ') OR suffix("contact_id", chr(9)) OR suffix("contact_id", chr(10)) OR suffix("contact_id", chr(11)) OR suffix("contact_id", chr(12)) OR suffix("contact_id", chr(13))
  OR (strlen("contact_id") <> length("contact_id") AND ("contact_id" >= chr(133) AND "contact_id" < chr(12289) OR "contact_id"[-1] >= chr(133) AND "contact_id"[-1] <= chr(12288)))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288)))) OR ("person_id" < '!' OR suffix("person_id", ' ') OR suffix("person_id", chr(9)) OR suffix("person_id", chr(10)) OR suffix("person_id", chr(11)) OR suffix("person_id", chr(12)) OR suffix("person_id", chr(13))
  OR (strlen("person_id") <> length("person_id") AND ("person_id" >= chr(133) AND "person_id" < chr(12289) OR "person_id"[-1] >= chr(133) AND "person_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "contacts" SET "contact_id" = regexp_replace("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "person_id" = regexp_replace("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "contact_id" = regexp_replace("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "channel" = regexp_replace("channel", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "level" = regexp_replace("level", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "person_id" = regexp_replace("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("contact_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("channel", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("level", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("person_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "contact_id" AS id, lag("contact_id") OVER () AS prev FROM "contacts" WHERE "contact_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "contact_id", NULL
FROM "contacts"
WHERE "contact_id" IN (SELECT "contact_id" FROM "contacts" WHERE "contact_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "contact_id"
  ORDER BY (coalesce("contact_id"::VARCHAR, '') <> '')::INT + (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("contact_date"::VARCHAR, '') <> '')::INT + (coalesce("channel"::VARCHAR, '') <> '')::INT + (coalesce("level"::VARCHAR, '') <> '')::INT + (coalesce("person_id"::VARCHAR, '') <> '')::INT + (coalesce("head_count"::VARCHAR, '') <> '')::INT + (coalesce("category"::VARCHAR, '') <> '')::INT + (coalesce("township"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'contact_id' AS field, to_json(['missing_required', 'contact_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "contact_id" IS NULL OR regexp_full_match("contact_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['missing_required', 'contact_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "contact_date" IS NULL
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['placeholder_date', 'contact_date', "contact_date"::VARCHAR])::VARCHAR AS reason, "contact_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "contact_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'contact_date' AS field, to_json(['future_date', 'contact_date', "contact_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "contact_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "contact_date" > $as_of::DATE
UNION ALL
SELECT rid, 'channel' AS field, to_json(['missing_required', 'channel'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "channel" IS NULL OR regexp_full_match("channel", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'channel' AS field, to_json(['unknown_code', 'channel', "channel", 'letter, visit, online, phone'])::VARCHAR AS reason, "channel" AS raw
FROM "stage_bad" WHERE "channel" NOT IN ('letter', 'visit', 'online', 'phone')
UNION ALL
SELECT rid, 'level' AS field, to_json(['missing_required', 'level'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "level" IS NULL OR regexp_full_match("level", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'level' AS field, to_json(['unknown_code', 'level', "level", 'county, city, province, national'])::VARCHAR AS reason, "level" AS raw
FROM "stage_bad" WHERE "level" NOT IN ('county', 'city', 'province', 'national')
UNION ALL
SELECT rid, 'person_id' AS field, to_json(['missing_required', 'person_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "person_id" IS NULL OR regexp_full_match("person_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'head_count' AS field, to_json(['bad_head_count', 'head_count', "head_count"::VARCHAR])::VARCHAR AS reason, "head_count"::VARCHAR AS raw
FROM "stage_bad" WHERE "head_count" < 1
UNION ALL
SELECT rid, 'contact_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'contact_id'])
       ELSE to_json(['duplicate_id', 'contact_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  r.rid - $3 + 1,
  r.field, r.reason, coalesce(r.raw, s."contact_id"), s."contact_id"::VARCHAR
FROM "stage_rejects" r JOIN "contacts" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "contacts" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "contacts" WHERE "contact_id" IN (SELECT "contact_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "contacts" ("contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township") SELECT "contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- events.csv
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "events";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "events" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the records the census took out of the file, when it found any
-- The records a census took out of a canonical CSV file before its reader saw them ($1 run,
-- $2 file; $3 their first lines, $4 the field at fault or NULL, $5 their reasons, $6 the records
-- as written, in one order).
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, unnest($3::BIGINT[]), unnest($4::VARCHAR[]), unnest($5::VARCHAR[]), unnest($6::VARCHAR[]);

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical CSV file into its table (or the staging table). The columns are given in the
-- file's order, named as its header does (a column the schema does not know by a name of its
-- own, read as text and dropped); the schema's columns the file has are inserted by name, the
-- others stay NULL, free text with its id numbers and phones masked. Lines the reader cannot
-- read go to the rejects table. The reader is given only records a census found sound (see
-- census.go), so that its line size limit, set above the census's, is not what stops a record.
INSERT INTO "events" BY NAME
SELECT "event_id", "case_id", "event_type", "event_date", "result"
FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
  columns = {'event_id': 'VARCHAR', 'case_id': 'VARCHAR', 'event_type': 'VARCHAR', 'event_date': 'DATE', 'result': 'VARCHAR', '_column_6': 'VARCHAR'},
  max_line_size = 2097152, store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans');

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected
-- The lines DuckDB's CSV reader rejected, as it numbers them (the header is line 1; each
-- record and each empty line after it is one line).
SELECT DISTINCT line FROM "csv_rejects" ORDER BY line;

-- ------------------------------------------------------------------------------------------------
-- the lines the reader rejected, when there are any
-- The lines the CSV reader rejected ($1 run, $2 file), one quarantine row per line, at its line
-- in the file ($3 the reader's line numbers, $4 the file's, in one order): the first field at
-- fault, a reason for each bad field (a code for the kind of error, the field, and, where no
-- code says it all, the reader's own message), and the record as it is in the file (without
-- the empty lines the reader counts into it), its id numbers and phones masked. A value that is not of its column's type (the
-- table's date and integer columns are given) says so in words of the catalogue.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, file_line, min(column_name),
  '[' || string_agg(to_json(CASE
      WHEN error_type = 'CAST' AND column_name IN ('event_date') THEN ['not_a_date', column_name]
      WHEN error_type = 'CAST' AND column_name IN ('') THEN ['not_an_integer', column_name]
      WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN ['bad_encoding', coalesce(column_name, ''), coalesce(column_name, '')]
      ELSE [CASE error_type
      WHEN 'CAST' THEN 'bad_value'
      WHEN 'MISSING COLUMNS' THEN 'wrong_field_count'
      WHEN 'TOO MANY COLUMNS' THEN 'wrong_field_count'
      WHEN 'UNQUOTED VALUE' THEN 'bad_quoting'
      WHEN 'INVALID STATE' THEN 'bad_quoting'
      WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line_too_long'
      ELSE 'unreadable_record' END,
    coalesce(column_name, ''), error_message] END)::VARCHAR, ',' ORDER BY column_name) || ']',
  CASE WHEN regexp_matches(ltrim(any_value(csv_line), chr(13) || chr(10)), '[0-9]{3}[ -]?[0-9]{4}')
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace(ltrim(any_value(csv_line), chr(13) || chr(10)),
    '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'), '(^|[^0-9])(?:[0-9]{6} ?[0-9]{8} ?[0-9]{3}[0-9Xx]|[1-9][0-9]{5} ?[0-9]{6} ?[0-9]{3})([^0-9]|$)', '\1〔身份证号〕\2', 'g'),
    '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g'), '(^|[^0-9])(?:(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}|0[1-9][0-9]{1,2}[)）]?[ -]?[0-9]{7,8})([^0-9]|$)', '\1〔电话〕\2', 'g')
  ELSE ltrim(any_value(csv_line), chr(13) || chr(10)) END
FROM "csv_rejects" JOIN (SELECT unnest($3::BIGINT[]) AS line, unnest($4::BIGINT[]) AS file_line) USING (line)
GROUP BY file_line;

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "event_id", "case_id", "event_type", "event_date", "result" FROM "events"
WHERE ("event_id" IS NULL OR (("event_id" < '!' OR ("event_id" >= chr(133) AND "event_id" < chr(12289))) AND regexp_full_match("event_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("case_id" IS NULL OR (("case_id" < '!' OR ("case_id" >= chr(133) AND "case_id" < chr(12289))) AND regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("event_type" IS NULL) OR ("event_type" NOT IN ('accepted', 'assigned', 'supervised', 'extended', 'answered', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'terminated', 'closed', 'return_visit', 'evaluated', 'reopened')) OR ("event_date" IS NULL) OR ("event_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("event_date" > $as_of::DATE) OR ("result" NOT IN ('satisfied', 'basically_satisfied', 'unsatisfied')) OR ("event_type" = 'evaluated' AND "result" IS NULL) OR ("event_id" < '!' OR suffix("event_id", ' ') OR suffix("event_id", chr(9)) OR suffix("event_id", chr(10)) OR suffix("event_id", chr(11)) OR suffix("event_id", chr(12)) OR suffix("event_id", chr(13))
  OR (strlen("event_id") <> length("event_id") AND ("event_id" >= chr(133) AND "event_id" < chr(12289) OR "event_id"[-1] >= chr(133) AND "event_id"[-1] <= chr(12288)))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "events" SET "event_id" = regexp_replace("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "event_type" = regexp_replace("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "result" = regexp_replace("result", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("result", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "event_id" = regexp_replace("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "event_type" = regexp_replace("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "result" = regexp_replace("result", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("result", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "event_id" AS id, lag("event_id") OVER () AS prev FROM "events" WHERE "event_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "event_id", NULL
FROM "events"
WHERE "event_id" IN (SELECT "event_id" FROM "events" WHERE "event_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "event_id"
  ORDER BY (coalesce("event_id"::VARCHAR, '') <> '')::INT + (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("event_type"::VARCHAR, '') <> '')::INT + (coalesce("event_date"::VARCHAR, '') <> '')::INT + (coalesce("result"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'event_id' AS field, to_json(['missing_required', 'event_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_id" IS NULL OR regexp_full_match("event_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'case_id' AS field, to_json(['missing_required', 'case_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "case_id" IS NULL OR regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'event_type' AS field, to_json(['missing_required', 'event_type'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_type" IS NULL OR regexp_full_match("event_type", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'event_type' AS field, to_json(['unknown_code', 'event_type', "event_type", 'accepted, assigned, supervised, extended, answered, review_requested, reviewed, rereview_requested, rereviewed, terminated, closed, return_visit, evaluated, reopened'])::VARCHAR AS reason, "event_type" AS raw
FROM "stage_bad" WHERE "event_type" NOT IN ('accepted', 'assigned', 'supervised', 'extended', 'answered', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'terminated', 'closed', 'return_visit', 'evaluated', 'reopened')
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['missing_required', 'event_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_date" IS NULL
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['placeholder_date', 'event_date', "event_date"::VARCHAR])::VARCHAR AS reason, "event_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "event_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['future_date', 'event_date', "event_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "event_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "event_date" > $as_of::DATE
UNION ALL
SELECT rid, 'result' AS field, to_json(['unknown_code', 'result', "result", 'satisfied, basically_satisfied, unsatisfied'])::VARCHAR AS reason, "result" AS raw
FROM "stage_bad" WHERE "result" NOT IN ('satisfied', 'basically_satisfied', 'unsatisfied')
UNION ALL
SELECT rid, 'result' AS field, to_json(['missing_result', 'result', 'satisfied, basically_satisfied, unsatisfied'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_type" = 'evaluated' AND "result" IS NULL
UNION ALL
SELECT rid, 'event_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'event_id'])
       ELSE to_json(['duplicate_id', 'event_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- rescan: lines of the rejected rows
-- The file line of each rejected row of a CSV file.
CREATE OR REPLACE TEMP TABLE "reject_lines" (rid BIGINT, line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "events";

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines of a file the CSV reader rejected ($1 run, $2 file).
SELECT line FROM quarantine WHERE run_id = $1 AND file = $2 AND line IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The rows a file loses, in file order.
SELECT rid FROM "stage_rejects" ORDER BY rid;

-- ------------------------------------------------------------------------------------------------
-- rescan
-- The lines found for the rows a file loses ($1 rowids, $2 lines, in the same order).
INSERT INTO "reject_lines" SELECT unnest($1::BIGINT[]), unnest($2::BIGINT[]);

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  (SELECT l.line FROM "reject_lines" l WHERE l.rid = r.rid),
  r.field, r.reason, coalesce(r.raw, s."event_id"), s."event_id"::VARCHAR
FROM "stage_rejects" r JOIN "events" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "events" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "events" WHERE "event_id" IN (SELECT "event_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "events" ("event_id", "case_id", "event_type", "event_date", "result") SELECT "event_id", "case_id", "event_type", "event_date", "result" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- events.parquet
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- records in the table
-- The rows of a table.
SELECT count(*) FROM "events";

-- ------------------------------------------------------------------------------------------------
-- a staging table, when the table holds records
-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE "stage" AS FROM "events" LIMIT 0;

-- ------------------------------------------------------------------------------------------------
-- the file's columns
-- The schema of a Parquet file, in order: the root, then each column followed by its nested
-- fields (num_children says how many each element has directly).
SELECT name, coalesce(num_children, 0) FROM parquet_schema($path);

-- ------------------------------------------------------------------------------------------------
-- the file's rows
-- The rows a Parquet file holds, by its own metadata.
SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($path);

-- ------------------------------------------------------------------------------------------------
-- the file's column types
-- The DuckDB type of each column of a Parquet file, in order.
SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- load (into the table)
-- A canonical Parquet file into its table (or the staging table): the schema's columns the file
-- has, by name, each cast to its canonical type (a value that does not convert is NULL here, and
-- loadParquet quarantines its row), free text with its id numbers and phones masked; the others stay NULL.
INSERT INTO "events" BY NAME
SELECT "event_id", "case_id", "event_type", "event_date", "result"
FROM (
  SELECT TRY_CAST("event_id" AS VARCHAR) AS "event_id", TRY_CAST("case_id" AS VARCHAR) AS "case_id", TRY_CAST("event_type" AS VARCHAR) AS "event_type", TRY_CAST("event_date" AS DATE) AS "event_date", TRY_CAST("result" AS VARCHAR) AS "result"
  FROM read_parquet($path));

-- ------------------------------------------------------------------------------------------------
-- the first row's rowid
-- The first rowid of a table and its rows.
SELECT coalesce(min(rowid), 0), count(*) FROM "events";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert (when a date or integer column has another type)
-- The rows of a canonical Parquet file with a value that does not convert to its column's
-- canonical type (cols: the columns whose type in the file is another; a fraction does not convert
-- to an integer, which a cast would round), each with its row number
-- (1-based) and those columns as text; normally none. Only these columns are read.
CREATE OR REPLACE TEMP TABLE "parquet_bad" AS
SELECT file_row_number + 1 AS row, "event_date"::VARCHAR AS "event_date"
FROM read_parquet($path, file_row_number = true)
WHERE (TRY_CAST("event_date" AS DATE) IS NULL AND "event_date" IS NOT NULL);

-- ------------------------------------------------------------------------------------------------
-- how many
-- The rows of a table.
SELECT count(*) FROM "parquet_bad";

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: into the quarantine
-- The rows of a Parquet file with values that do not convert ($1 run, $2 file), one quarantine row
-- each, as the CSV reader's rejects are: its row number as its line, the first field at fault, a
-- reason for each (not_a_date, not_an_integer, or bad_value for another type) and the raw value of
-- the first.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, row, min(field), '[' || string_agg(reason, ',' ORDER BY field) || ']', arg_min(raw, field)
FROM (
SELECT row, 'event_date' AS field, to_json(['not_a_date', 'event_date'])::VARCHAR AS reason, "event_date" AS raw
FROM "parquet_bad" WHERE TRY_CAST("event_date" AS DATE) IS NULL AND "event_date" IS NOT NULL
) GROUP BY row;

-- ------------------------------------------------------------------------------------------------
-- values that do not convert: out of the table
-- The rows of a Parquet file whose values do not convert, out of the table the file was loaded
-- into, in file order from rowid $1 (the first of the file's rows).
DELETE FROM "events" WHERE rowid IN (SELECT $1 + row - 1 FROM "parquet_bad");

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "event_id", "case_id", "event_type", "event_date", "result" FROM "events"
WHERE ("event_id" IS NULL OR (("event_id" < '!' OR ("event_id" >= chr(133) AND "event_id" < chr(12289))) AND regexp_full_match("event_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("case_id" IS NULL OR (("case_id" < '!' OR ("case_id" >= chr(133) AND "case_id" < chr(12289))) AND regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("event_type" IS NULL) OR ("event_type" NOT IN ('accepted', 'assigned', 'supervised', 'extended', 'answered', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'terminated', 'closed', 'return_visit', 'evaluated', 'reopened')) OR ("event_date" IS NULL) OR ("event_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')) OR ("event_date" > $as_of::DATE) OR ("result" NOT IN ('satisfied', 'basically_satisfied', 'unsatisfied')) OR ("event_type" = 'evaluated' AND "result" IS NULL) OR ("event_id" < '!' OR suffix("event_id", ' ') OR suffix("event_id", chr(9)) OR suffix("event_id", chr(10)) OR suffix("event_id", chr(11)) OR suffix("event_id", chr(12)) OR suffix("event_id", chr(13))
  OR (strlen("event_id") <> length("event_id") AND ("event_id" >= chr(133) AND "event_id" < chr(12289) OR "event_id"[-1] >= chr(133) AND "event_id"[-1] <= chr(12288)))) OR ("case_id" < '!' OR suffix("case_id", ' ') OR suffix("case_id", chr(9)) OR suffix("case_id", chr(10)) OR suffix("case_id", chr(11)) OR suffix("case_id", chr(12)) OR suffix("case_id", chr(13))
  OR (strlen("case_id") <> length("case_id") AND ("case_id" >= chr(133) AND "case_id" < chr(12289) OR "case_id"[-1] >= chr(133) AND "case_id"[-1] <= chr(12288))));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "events" SET "event_id" = regexp_replace("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "event_type" = regexp_replace("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "result" = regexp_replace("result", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE rowid IN (SELECT rid FROM "stage_bad") AND (regexp_matches("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("result", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$'));

-- ------------------------------------------------------------------------------------------------
-- validate: ids and codes trimmed, when any row may have padded ones
-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE "stage_bad" SET "event_id" = regexp_replace("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "case_id" = regexp_replace("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "event_type" = regexp_replace("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g'), "result" = regexp_replace("result", '^[\t\n\v\f\r\x{85}\p{Z}]+|[\t\n\v\f\r\x{85}\p{Z}]+$', '', 'g')
WHERE regexp_matches("event_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("case_id", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("event_type", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$') OR regexp_matches("result", '^[\t\n\v\f\r\x{85}\p{Z}]|[\t\n\v\f\r\x{85}\p{Z}]$');

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "event_id" AS id, lag("event_id") OVER () AS prev FROM "events" WHERE "event_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "event_id", NULL
FROM "events"
WHERE "event_id" IN (SELECT "event_id" FROM "events" WHERE "event_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "event_id"
  ORDER BY (coalesce("event_id"::VARCHAR, '') <> '')::INT + (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("event_type"::VARCHAR, '') <> '')::INT + (coalesce("event_date"::VARCHAR, '') <> '')::INT + (coalesce("result"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'event_id' AS field, to_json(['missing_required', 'event_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_id" IS NULL OR regexp_full_match("event_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'case_id' AS field, to_json(['missing_required', 'case_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "case_id" IS NULL OR regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'event_type' AS field, to_json(['missing_required', 'event_type'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_type" IS NULL OR regexp_full_match("event_type", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'event_type' AS field, to_json(['unknown_code', 'event_type', "event_type", 'accepted, assigned, supervised, extended, answered, review_requested, reviewed, rereview_requested, rereviewed, terminated, closed, return_visit, evaluated, reopened'])::VARCHAR AS reason, "event_type" AS raw
FROM "stage_bad" WHERE "event_type" NOT IN ('accepted', 'assigned', 'supervised', 'extended', 'answered', 'review_requested', 'reviewed', 'rereview_requested', 'rereviewed', 'terminated', 'closed', 'return_visit', 'evaluated', 'reopened')
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['missing_required', 'event_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_date" IS NULL
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['placeholder_date', 'event_date', "event_date"::VARCHAR])::VARCHAR AS reason, "event_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "event_date" IN (DATE '1900-01-01', DATE '1899-12-30', DATE '1970-01-01')
UNION ALL
SELECT rid, 'event_date' AS field, to_json(['future_date', 'event_date', "event_date"::VARCHAR, $as_of::VARCHAR])::VARCHAR AS reason, "event_date"::VARCHAR AS raw
FROM "stage_bad" WHERE "event_date" > $as_of::DATE
UNION ALL
SELECT rid, 'result' AS field, to_json(['unknown_code', 'result', "result", 'satisfied, basically_satisfied, unsatisfied'])::VARCHAR AS reason, "result" AS raw
FROM "stage_bad" WHERE "result" NOT IN ('satisfied', 'basically_satisfied', 'unsatisfied')
UNION ALL
SELECT rid, 'result' AS field, to_json(['missing_result', 'result', 'satisfied, basically_satisfied, unsatisfied'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "event_type" = 'evaluated' AND "result" IS NULL
UNION ALL
SELECT rid, 'event_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'event_id'])
       ELSE to_json(['duplicate_id', 'event_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  r.rid - $3 + 1,
  r.field, r.reason, coalesce(r.raw, s."event_id"), s."event_id"::VARCHAR
FROM "stage_rejects" r JOIN "events" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "events" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- The records a staged file replaces.
DELETE FROM "events" WHERE "event_id" IN (SELECT "event_id" FROM "stage");

-- ------------------------------------------------------------------------------------------------
-- replace (from the staging table)
-- A staged file's records into their table.
INSERT INTO "events" ("event_id", "case_id", "event_type", "event_date", "result") SELECT "event_id", "case_id", "event_type", "event_date", "result" FROM "stage";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;

-- ================================================================================================
-- a file read through a profile (cases, with the contact and events each implies)
-- ================================================================================================

-- ------------------------------------------------------------------------------------------------
-- already loaded?
-- Whether a file with this checksum was loaded into this table before, through the same
-- mapping ($1 checksum, $2 table, $3 mapping digest, '' for canonical files).
SELECT count(*) FROM loaded_files WHERE sha256 = $1 AND table_name = $2 AND coalesce(mapping, '') = $3;

-- ------------------------------------------------------------------------------------------------
-- the mapped rows, from Arrow
-- The mapped rows of a file read through a profile, as they arrive from Go.
CREATE OR REPLACE TEMP TABLE "stage_src" AS SELECT * FROM "src_cases";

-- ------------------------------------------------------------------------------------------------
-- the rejected records, from Arrow
-- The records the profile's mapping rejected ($1 run, $2 file), into the quarantine.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2, line, field, reason, raw, record_id FROM "src_rejects";

-- ------------------------------------------------------------------------------------------------
-- validate: rows that may break a row check or have padded ids
-- The rows of a file (alone in the table) that may break a row check, normally none, with the
-- checked columns only: each check's condition, or a cheaper one every row breaking it meets.
CREATE OR REPLACE TEMP TABLE "stage_bad" AS
SELECT rowid AS rid, "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "responsible_unit" FROM "stage_src"
WHERE ("case_id" IS NULL OR (("case_id" < '!' OR ("case_id" >= chr(133) AND "case_id" < chr(12289))) AND regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("received_date" IS NULL) OR ("channel" IS NULL) OR ("channel" NOT IN ('letter', 'visit', 'online', 'phone')) OR ("level" IS NULL) OR ("level" NOT IN ('county', 'city', 'province', 'national')) OR ("complainant_id" IS NULL OR (("complainant_id" < '!' OR ("complainant_id" >= chr(133) AND "complainant_id" < chr(12289))) AND regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("head_count" < 1) OR ("category" IS NULL OR (("category" < '!' OR ("category" >= chr(133) AND "category" < chr(12289))) AND regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("township" IS NULL OR (("township" < '!' OR ("township" >= chr(133) AND "township" < chr(12289))) AND regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*'))) OR ("responsible_unit" IS NULL OR (("responsible_unit" < '!' OR ("responsible_unit" >= chr(133) AND "responsible_unit" < chr(12289))) AND regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*')));

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_bad";

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids
-- The rows repeating an id of the file, with the id and the source line of the row with that id
-- that stands (NULL where the rows hold no line: see validate_dups.sql).
CREATE OR REPLACE TEMP TABLE "stage_dups" (rid BIGINT, raw VARCHAR, kept_line BIGINT);

-- ------------------------------------------------------------------------------------------------
-- validate: ids not ascending?
-- Whether a file's ids are not strictly ascending in the order the scan yields them (lag over
-- an unordered window streams them): only then can one repeat.
SELECT count(*) > 0 FROM (
  SELECT "case_id" AS id, lag("case_id") OVER () AS prev FROM "stage_src" WHERE "case_id" IS NOT NULL)
WHERE id <= prev;

-- ------------------------------------------------------------------------------------------------
-- validate: repeated ids, when not ascending
-- Of rows sharing an id within the file, all but the most complete (the most non-empty
-- columns), and of equally complete ones the last (the most recent version); each with the line
-- of the row that stands, when the rows hold their lines (line_col, the profile path).
INSERT INTO "stage_dups"
SELECT rowid, "case_id", first_value("_line") OVER version
FROM "stage_src"
WHERE "case_id" IN (SELECT "case_id" FROM "stage_src" WHERE "case_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
WINDOW version AS (PARTITION BY "case_id"
  ORDER BY (coalesce("case_id"::VARCHAR, '') <> '')::INT + (coalesce("received_date"::VARCHAR, '') <> '')::INT + (coalesce("channel"::VARCHAR, '') <> '')::INT + (coalesce("level"::VARCHAR, '') <> '')::INT + (coalesce("complainant_id"::VARCHAR, '') <> '')::INT + (coalesce("head_count"::VARCHAR, '') <> '')::INT + (coalesce("category"::VARCHAR, '') <> '')::INT + (coalesce("township"::VARCHAR, '') <> '')::INT + (coalesce("village"::VARCHAR, '') <> '')::INT + (coalesce("target_org"::VARCHAR, '') <> '')::INT + (coalesce("responsible_unit"::VARCHAR, '') <> '')::INT + (coalesce("status"::VARCHAR, '') <> '')::INT + (coalesce("content"::VARCHAR, '') <> '')::INT + (coalesce("found_in_text"::VARCHAR, '') <> '')::INT DESC, rowid DESC)
QUALIFY row_number() OVER version > 1;

-- ------------------------------------------------------------------------------------------------
-- validate: anything to quarantine?
-- How many rows may break a row check, and how many repeat an id.
SELECT (SELECT count(*) FROM "stage_bad"), (SELECT count(*) FROM "stage_dups");

-- ------------------------------------------------------------------------------------------------
-- validate: the rejected rows, with field, reasons and raw value
-- The rows a file loses, one a row: the first field at fault, a reason for every check the row
-- breaks (each a JSON array of code, field and arguments; the row's a JSON array of them), and
-- the raw value of the first field.
CREATE OR REPLACE TEMP TABLE "stage_rejects" AS
SELECT rid, min(field) AS field, '[' || string_agg(reason, ',' ORDER BY reason) || ']' AS reason, arg_min(raw, field) AS raw
FROM (
SELECT rid, 'case_id' AS field, to_json(['missing_required', 'case_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "case_id" IS NULL OR regexp_full_match("case_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'received_date' AS field, to_json(['missing_required', 'received_date'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "received_date" IS NULL
UNION ALL
SELECT rid, 'channel' AS field, to_json(['missing_required', 'channel'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "channel" IS NULL OR regexp_full_match("channel", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'channel' AS field, to_json(['unknown_code', 'channel', "channel", 'letter, visit, online, phone'])::VARCHAR AS reason, "channel" AS raw
FROM "stage_bad" WHERE "channel" NOT IN ('letter', 'visit', 'online', 'phone')
UNION ALL
SELECT rid, 'level' AS field, to_json(['missing_required', 'level'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "level" IS NULL OR regexp_full_match("level", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'level' AS field, to_json(['unknown_code', 'level', "level", 'county, city, province, national'])::VARCHAR AS reason, "level" AS raw
FROM "stage_bad" WHERE "level" NOT IN ('county', 'city', 'province', 'national')
UNION ALL
SELECT rid, 'complainant_id' AS field, to_json(['missing_required', 'complainant_id'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "complainant_id" IS NULL OR regexp_full_match("complainant_id", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'head_count' AS field, to_json(['bad_head_count', 'head_count', "head_count"::VARCHAR])::VARCHAR AS reason, "head_count"::VARCHAR AS raw
FROM "stage_bad" WHERE "head_count" < 1
UNION ALL
SELECT rid, 'category' AS field, to_json(['missing_required', 'category'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "category" IS NULL OR regexp_full_match("category", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'township' AS field, to_json(['missing_required', 'township'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "township" IS NULL OR regexp_full_match("township", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'responsible_unit' AS field, to_json(['missing_required', 'responsible_unit'])::VARCHAR AS reason, NULL AS raw
FROM "stage_bad" WHERE "responsible_unit" IS NULL OR regexp_full_match("responsible_unit", '[\t\n\v\f\r\x{85}\p{Z}]*')
UNION ALL
SELECT rid, 'case_id',
  CASE WHEN kept_line IS NULL THEN to_json(['duplicate_id', 'case_id'])
       ELSE to_json(['duplicate_id', 'case_id', kept_line::VARCHAR]) END::VARCHAR,
  raw
FROM "stage_dups"
) GROUP BY rid;

-- ------------------------------------------------------------------------------------------------
-- validate: how many
-- The rows of a table.
SELECT count(*) FROM "stage_rejects";

-- ------------------------------------------------------------------------------------------------
-- validate: into the quarantine
-- The rows a file loses into the quarantine ($1 run, $2 file), with their line: from the
-- line column of the profile path, from the rescan of a CSV file, the row number of a Parquet
-- file (its rows are in file order from rowid $3), or unknown.
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2,
  s."_line",
  r.field, r.reason, coalesce(r.raw, s."case_id"), s."case_id"::VARCHAR
FROM "stage_rejects" r JOIN "stage_src" s ON s.rowid = r.rid;

-- ------------------------------------------------------------------------------------------------
-- validate: out of the table
-- The rows a file loses out of its table.
DELETE FROM "stage_src" WHERE rowid IN (SELECT rid FROM "stage_rejects");

-- ------------------------------------------------------------------------------------------------
-- with a case key: the rows sent twice
-- A row of a cases file with a case key that repeats an earlier row of the file in case key,
-- complainant, received date and text, white space aside (a message board's form sent twice, a
-- space added), is no second contact: it is quarantined (of run $run in file $file) with the
-- line of the row that stands, and taken out of the file's rows. Rows without text are never
-- alike.
CREATE OR REPLACE TEMP TABLE "stage_twice" AS
SELECT rowid AS rid, _line, first_value(_line) OVER alike AS kept_line, "contact_id" AS raw
FROM "stage_src"
WHERE content IS NOT NULL AND content <> ''
WINDOW alike AS (PARTITION BY case_key, complainant_id, received_date, md5(regexp_replace(content, '\s+', '', 'g')) ORDER BY _line)
QUALIFY row_number() OVER alike > 1;

-- ------------------------------------------------------------------------------------------------
-- with a case key: the rows sent twice
INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $run, $file, _line, 'content', to_json([['sent_twice', 'content', kept_line::VARCHAR]])::VARCHAR, raw, raw
FROM "stage_twice";

-- ------------------------------------------------------------------------------------------------
-- with a case key: the rows sent twice
DELETE FROM "stage_src" WHERE rowid IN (SELECT rid FROM "stage_twice");

-- ------------------------------------------------------------------------------------------------
-- the rows loaded with numbers set aside, from Arrow
-- The records the profile's mapping loaded with identifiers set aside ($1 run, $2 file), into
-- set_aside, but for those validation quarantined after all (a duplicate id, a form sent
-- twice), which did not load.
INSERT INTO set_aside (run_id, file, line, field, reason, raw, record_id)
SELECT $1, $2, line, field, reason, raw, record_id FROM "src_rejects" r
WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.run_id = $1 AND q.file = $2 AND q.line = r.line);

-- ------------------------------------------------------------------------------------------------
-- how many
-- How many rows of file $2 run $1 loaded with identifiers set aside.
SELECT count(*) FROM set_aside WHERE run_id = $1 AND file = $2;

-- ------------------------------------------------------------------------------------------------
-- rows loaded
-- The rows of a table.
SELECT count(*) FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- replacing records?
-- Whether any record is loaded already (a first load, into empty tables, replaces none).
SELECT EXISTS (FROM "cases") OR EXISTS (FROM "contacts") OR EXISTS (FROM "events");

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "cases" WHERE "case_id" IN (SELECT "case_id" FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "contacts" WHERE "contact_id" IN (SELECT "case_id" FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "events" WHERE "event_id" IN (SELECT case_id || ':accepted' FROM "stage_src" UNION ALL SELECT "case_id" || ':closed' FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The cases of a profiled cases file; with a case key, each case once, from its earliest row,
-- and none for rows joining a case an earlier file made. The earliest rows are picked by rowid
-- over the few columns that order them, so that the window does not hold the rows' texts.
INSERT INTO "cases" ("case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content") SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content" FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The contacts of a profiled file: a contacts file's rows, or the contact each row of a cases
-- file makes, on its received date (contact: the column holding its id).
INSERT INTO "contacts" BY NAME
SELECT "case_id" AS contact_id, case_id, received_date AS contact_date, channel, level, complainant_id AS person_id,
  head_count, category, township
FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates (contact: the column holding the row's contact id).
INSERT INTO "events" BY NAME
SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, received_date AS event_date FROM "stage_src"
UNION ALL
SELECT "case_id" || ':closed' AS event_id, case_id, 'closed' AS event_type, closed_date AS event_date
FROM "stage_src" WHERE closed_date IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- load: a cases file of a one-file profile (replacing)
-- The keyed hashes behind each complainant's pseudonymous id, each combination once.
INSERT INTO "person_keys"
SELECT DISTINCT "complainant_id", complainant_idno_key, complainant_namephone_key FROM "stage_src"
WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
EXCEPT SELECT person_id, idno_key, namephone_key FROM "person_keys";

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- Rows of a cases file sharing a case key are one case. A key an earlier file made a case for
-- keeps that case: its rows join it (joins), unless this file holds the row that made it (the
-- same export again), which then makes it anew. A new key's case is its earliest row's (by
-- received date, then line).
CREATE OR REPLACE TEMP TABLE "stage_groups" AS
SELECT s.case_key, coalesce(k.case_id, arg_min(s.case_id, (s.received_date, s._line))) AS case_id,
  k.case_id IS NOT NULL AND NOT bool_or(s.contact_id = k.case_id) AS joins
FROM "stage_src" s LEFT JOIN "case_keys" k USING (case_key)
GROUP BY s.case_key, k.case_id;

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- Each row of a cases file with a case key takes the case id of its key's case.
UPDATE "stage_src" s SET case_id = g.case_id FROM "stage_groups" g
WHERE s.case_key = g.case_key AND s.case_id <> g.case_id;

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "cases" WHERE "case_id" IN (SELECT "case_id" FROM "stage_src" WHERE case_key IN (SELECT case_key FROM "stage_groups" WHERE NOT joins));

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "contacts" WHERE "contact_id" IN (SELECT "contact_id" FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "events" WHERE "event_id" IN (SELECT case_id || ':accepted' FROM "stage_src" WHERE case_key IN (SELECT case_key FROM "stage_groups" WHERE NOT joins) UNION ALL SELECT "contact_id" || ':answered' FROM "stage_src" UNION ALL SELECT "contact_id" || ':closed' FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The cases of a profiled cases file; with a case key, each case once, from its earliest row,
-- and none for rows joining a case an earlier file made. The earliest rows are picked by rowid
-- over the few columns that order them, so that the window does not hold the rows' texts.
INSERT INTO "cases" ("case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text") SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content", "found_in_text" FROM "stage_src"
WHERE rowid IN (
  SELECT rowid FROM "stage_src" WHERE case_key IN (SELECT case_key FROM "stage_groups" WHERE NOT joins)
  QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY received_date, _line) = 1);

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The contacts of a profiled file: a contacts file's rows, or the contact each row of a cases
-- file makes, on its received date (contact: the column holding its id).
INSERT INTO "contacts" BY NAME
SELECT "contact_id" AS contact_id, case_id, received_date AS contact_date, channel, level, complainant_id AS person_id,
  head_count, category, township
FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The case keys a cases file saw first, with their cases.
INSERT INTO "case_keys" SELECT case_key, case_id FROM "stage_groups" g
WHERE NOT EXISTS (SELECT 1 FROM "case_keys" k WHERE k.case_key = g.case_key);

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates (contact: the column holding the row's contact id).
INSERT INTO "events" BY NAME
SELECT case_id || ':accepted' AS event_id, case_id, 'accepted' AS event_type, min(received_date) AS event_date
FROM "stage_src" WHERE case_key IN (SELECT case_key FROM "stage_groups" WHERE NOT joins) GROUP BY case_id
UNION ALL
SELECT "contact_id" || ':answered' AS event_id, case_id, 'answered' AS event_type, answered_date AS event_date
FROM "stage_src" WHERE answered_date IS NOT NULL
UNION ALL
SELECT "contact_id" || ':closed' AS event_id, case_id, 'closed' AS event_type, closed_date AS event_date
FROM "stage_src" WHERE closed_date IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- load: a message board: cases with a case key, answers and fields found in text (replacing)
-- The keyed hashes behind each complainant's pseudonymous id, each combination once.
INSERT INTO "person_keys"
SELECT DISTINCT "complainant_id", complainant_idno_key, complainant_namephone_key FROM "stage_src"
WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
EXCEPT SELECT person_id, idno_key, namephone_key FROM "person_keys";

-- ------------------------------------------------------------------------------------------------
-- load: the cases file of a three-file export, into empty tables
-- The cases of a profiled cases file; with a case key, each case once, from its earliest row,
-- and none for rows joining a case an earlier file made. The earliest rows are picked by rowid
-- over the few columns that order them, so that the window does not hold the rows' texts.
INSERT INTO "cases" ("case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content") SELECT "case_id", "received_date", "channel", "level", "complainant_id", "head_count", "category", "township", "village", "target_org", "responsible_unit", "status", "content" FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- load: the cases file of a three-file export, into empty tables
-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates (contact: the column holding the row's contact id).
INSERT INTO "events" BY NAME
SELECT "case_id" || ':closed' AS event_id, case_id, 'closed' AS event_type, closed_date AS event_date
FROM "stage_src" WHERE closed_date IS NOT NULL;

-- ------------------------------------------------------------------------------------------------
-- load: the cases file of a three-file export, into empty tables
-- The keyed hashes behind each complainant's pseudonymous id, each combination once.
INSERT INTO "person_keys"
SELECT DISTINCT "complainant_id", complainant_idno_key, complainant_namephone_key FROM "stage_src"
WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
EXCEPT SELECT person_id, idno_key, namephone_key FROM "person_keys";

-- ------------------------------------------------------------------------------------------------
-- load: a contacts file with names, id numbers and phones (replacing)
-- A row without a valid id number is its person's by name and phone: when that name and phone
-- go with exactly one person known by id number (in person_keys, from the files loaded before,
-- or in this file), the row takes that person's id, so that a visit where the id number was
-- not given, or was mistyped and set aside, counts for the person the other visits name.
UPDATE "stage_src" s SET "person_id" = m.person
FROM (
  WITH wanted AS (
    SELECT DISTINCT complainant_namephone_key AS k FROM "stage_src"
    WHERE complainant_idno_key IS NULL AND complainant_namephone_key IS NOT NULL
  )
  SELECT k, min(person) AS person
  FROM (
    SELECT namephone_key AS k, person_id AS person FROM "person_keys"
    WHERE idno_key IS NOT NULL AND namephone_key IN (SELECT k FROM wanted)
    UNION
    SELECT complainant_namephone_key, "person_id" FROM "stage_src"
    WHERE complainant_idno_key IS NOT NULL AND complainant_namephone_key IN (SELECT k FROM wanted)
  )
  GROUP BY k HAVING count(DISTINCT person) = 1
) m
WHERE s.complainant_idno_key IS NULL AND s.complainant_namephone_key = m.k;

-- ------------------------------------------------------------------------------------------------
-- load: a contacts file with names, id numbers and phones (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "contacts" WHERE "contact_id" IN (SELECT "contact_id" FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: a contacts file with names, id numbers and phones (replacing)
-- The contacts of a profiled file: a contacts file's rows, or the contact each row of a cases
-- file makes, on its received date (contact: the column holding its id).
INSERT INTO "contacts" BY NAME
SELECT "contact_id", "case_id", "contact_date", "channel", "level", "person_id", "head_count", "category", "township"
FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- load: a contacts file with names, id numbers and phones (replacing)
-- The keyed hashes behind each complainant's pseudonymous id, each combination once.
INSERT INTO "person_keys"
SELECT DISTINCT "person_id", complainant_idno_key, complainant_namephone_key FROM "stage_src"
WHERE complainant_idno_key IS NOT NULL OR complainant_namephone_key IS NOT NULL
EXCEPT SELECT person_id, idno_key, namephone_key FROM "person_keys";

-- ------------------------------------------------------------------------------------------------
-- load: an events file (replacing)
-- The records of table a profiled file replaces: those with the ids it is about to insert, the
-- file's own case, contact or event ids, or the ids of the events its cases make (contact: the
-- column holding each row's contact id).
DELETE FROM "events" WHERE "event_id" IN (SELECT "event_id" FROM "stage_src");

-- ------------------------------------------------------------------------------------------------
-- load: an events file (replacing)
-- The events of a profiled file: an events file's rows, or those each row of a cases file
-- implies: accepted on the case's received date (when the profile has no events source; with a
-- case key, the earliest row's, and none for a case an earlier file made), answered and closed
-- on the row's answer and closing dates (contact: the column holding the row's contact id).
INSERT INTO "events" BY NAME
SELECT "event_id", "case_id", "event_type", "event_date", "result" FROM "stage_src";

-- ------------------------------------------------------------------------------------------------
-- record the file
-- A file's checksum and counts, so that later runs skip it.
INSERT INTO loaded_files (sha256, path, table_name, rows_read, rows_loaded, rows_quarantined, run_id, loaded_at, mapping)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8);

-- ------------------------------------------------------------------------------------------------
-- too many rejects? the fields they name
-- The fields most of a file's rejects name ($1 run, $2 file), most first: how many, the first
-- line, and the reason there. A reject of the whole record (no field) names field ''.
SELECT coalesce(field, ''), count(*), coalesce(min(line), 0), coalesce(arg_min(reason, line), min(reason), '')
FROM quarantine
WHERE run_id = $1 AND file = $2
GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 3;
