-- The cases open (not resolved) on the day screened.
INSERT INTO bt_population
SELECT CAST($bt_day AS DATE), count(*) FILTER (WHERE NOT resolved) FROM {{.case_state}}
