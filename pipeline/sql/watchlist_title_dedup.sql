-- Items of the run whose titles are alike say when, so that a leader tells them apart without
-- their ids: clusters (one township, category and organisation flagged again weeks later: two
-- waves) the day they were first flagged, $from_format formatting its year, month and day
-- (（2023年8月31日首次预警）: the day the alert fired, which a reason's period starts before); then
-- cases still alike (one place, category and organisation, and no text to tell them by) the day
-- their case was received, $received_format
-- (（2023年8月31日受理）); then cases received the same day too (a backlog's dozens), their
-- case number, $case_format (（信访件编号 NYCC26539424）).
UPDATE {{.run_titles}} t
SET title = t.title || printf($from_format, year(i.first_flagged), month(i.first_flagged), day(i.first_flagged))
FROM {{.run_items}} i
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'cluster' AND i.first_flagged IS NOT NULL
  AND t.title IN (SELECT title FROM {{.run_titles}} GROUP BY title HAVING count(*) > 1);

UPDATE {{.run_titles}} t
SET title = t.title || printf($received_format, year(c.received_date), month(c.received_date), day(c.received_date))
FROM {{.run_items}} i, cases c
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'case' AND c.case_id = i.case_ids[1] AND c.received_date IS NOT NULL
  AND t.title IN (SELECT title FROM {{.run_titles}} GROUP BY title HAVING count(*) > 1);;

UPDATE {{.run_titles}} t
SET title = t.title || printf($case_format, i.case_ids[1])
FROM {{.run_items}} i
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'case'
  AND t.title IN (SELECT title FROM {{.run_titles}} GROUP BY title HAVING count(*) > 1)
