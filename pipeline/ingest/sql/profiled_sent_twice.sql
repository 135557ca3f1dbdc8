-- A row of a cases file with a case key that repeats an earlier row of the file in case key,
-- complainant, received date and text, white space aside (a message board's form sent twice, a
-- space added), is no second contact: it is quarantined (of run $run in file $file) with the
-- line of the row that stands, and taken out of the file's rows. Rows without text are never
-- alike.
CREATE OR REPLACE TEMP TABLE {{.stage_twice}} AS
SELECT rowid AS rid, _line, first_value(_line) OVER alike AS kept_line, {{.contact}} AS raw
FROM {{.stage_src}}
WHERE content IS NOT NULL AND content <> ''
WINDOW alike AS (PARTITION BY case_key, complainant_id, received_date, md5(regexp_replace(content, '\s+', '', 'g')) ORDER BY _line)
QUALIFY row_number() OVER alike > 1;

INSERT INTO quarantine (run_id, file, line, field, reason, raw, record_id)
SELECT $run, $file, _line, 'content', to_json([[{{reason "sent_twice"}}, 'content', kept_line::VARCHAR]])::VARCHAR, raw, raw
FROM {{.stage_twice}};

DELETE FROM {{.stage_src}} WHERE rowid IN (SELECT rid FROM {{.stage_twice}})
