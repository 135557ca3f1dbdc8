-- work_days: every day from $cal_from to $cal_to, whether it is a working day ($working_days
-- lists them), and n, the working days up to and including it. The k-th working day after a
-- day with count n is the working day with count n + k.
CREATE OR REPLACE TEMP TABLE {{.work_days}} AS
WITH w AS (SELECT CAST(unnest($working_days) AS DATE) AS d)
SELECT CAST(g.d AS DATE) AS d, w.d IS NOT NULL AS working,
       count(w.d) OVER (ORDER BY g.d ROWS UNBOUNDED PRECEDING) AS n
FROM range(CAST($cal_from AS DATE), CAST($cal_to AS DATE) + 1, INTERVAL 1 DAY) g(d)
LEFT JOIN w ON w.d = CAST(g.d AS DATE)
