-- Rows of a cases source sharing a case key are one case: each row takes the case id of the
-- earliest row (by received date, then line), and stays a contact of its own.
UPDATE {{.stage_src}} s SET case_id = g.case_id
FROM (SELECT case_key, arg_min(case_id, (received_date, _line)) AS case_id FROM {{.stage_src}} GROUP BY case_key) g
WHERE s.case_key = g.case_key AND s.case_id <> g.case_id
