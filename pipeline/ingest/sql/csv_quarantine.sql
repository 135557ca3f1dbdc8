-- The lines the CSV reader rejected ($1 run, $2 file), one quarantine row per line, at its line
-- in the file ($3 the reader's line numbers, $4 the file's, in one order): the first field at
-- fault, a reason for each bad field (a code for the kind of error, the field, and, where no
-- code says it all, the reader's own message), and the record as it is in the file (without
-- the empty lines the reader counts into it), its id numbers and phones masked. A value that is not of its column's type (the
-- table's date and integer columns are given) says so in words of the catalogue.
INSERT INTO quarantine (run_id, file, line, field, reason, raw)
SELECT $1, $2, file_line, min(column_name),
  '[' || string_agg(to_json(CASE
      WHEN error_type = 'CAST' AND column_name IN ({{.date_columns}}) THEN [{{reason "not_a_date"}}, column_name]
      WHEN error_type = 'CAST' AND column_name IN ({{.integer_columns}}) THEN [{{reason "not_an_integer"}}, column_name]
      WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN [{{reason "bad_encoding"}}, coalesce(column_name, ''), coalesce(column_name, '')]
      ELSE [CASE error_type
      WHEN 'CAST' THEN {{reason "bad_value"}}
      WHEN 'MISSING COLUMNS' THEN {{reason "wrong_field_count"}}
      WHEN 'TOO MANY COLUMNS' THEN {{reason "wrong_field_count"}}
      WHEN 'UNQUOTED VALUE' THEN {{reason "bad_quoting"}}
      WHEN 'INVALID STATE' THEN {{reason "bad_quoting"}}
      WHEN 'LINE SIZE OVER MAXIMUM' THEN {{reason "line_too_long"}}
      ELSE {{reason "unreadable_record"}} END,
    coalesce(column_name, ''), error_message] END)::VARCHAR, ',' ORDER BY column_name) || ']',
  {{template "masked_text" "ltrim(any_value(csv_line), chr(13) || chr(10))"}}
FROM {{.csv_rejects}} JOIN (SELECT unnest($3::BIGINT[]) AS line, unnest($4::BIGINT[]) AS file_line) USING (line)
GROUP BY file_line
