-- Clusters of the run whose titles are alike (one township, category and organisation flagged
-- again weeks later: two waves) say from when, $from_format formatting the first-flagged day's
-- year, month and day (（2023年8月31日起）): a leader tells them apart without their ids.
UPDATE {{.run_titles}} t
SET title = t.title || printf($from_format, year(i.first_flagged), month(i.first_flagged), day(i.first_flagged))
FROM {{.run_items}} i
WHERE i.matter_id = t.matter_id AND i.matter_kind = 'cluster' AND i.first_flagged IS NOT NULL
  AND t.title IN (SELECT title FROM {{.run_titles}} GROUP BY title HAVING count(*) > 1)
