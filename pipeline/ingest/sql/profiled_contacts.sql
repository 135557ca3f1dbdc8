-- The contact each case implies: the first, on the received date.
INSERT INTO {{.contacts}} BY NAME
SELECT case_id AS contact_id, case_id, received_date AS contact_date, channel, level,
  complainant_id AS person_id, head_count, category, township
FROM {{.stage_src}}
