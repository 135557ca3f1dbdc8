-- How the due-soon list (临期预警) did over the backtest. A case became overdue in the range when
-- on a screened day it stood pending in a stage whose deadline was the day before (its first
-- day past the deadline); each stage and deadline counts once. It had been on the list
-- beforehand when on an earlier screened day it stood pending in that stage with that deadline
-- 0 to $due_soon_days days ahead; days ahead is the most days left it was first listed with.
WITH became AS (
  SELECT DISTINCT case_id, stage, deadline, day FROM bt_due WHERE deadline = day - 1
),
listed AS (
  SELECT b.case_id, b.stage, b.deadline, max(d.deadline - d.day) AS ahead
  FROM became b JOIN bt_due d
    ON d.case_id = b.case_id AND d.stage = b.stage AND d.deadline = b.deadline
   AND d.day < b.day AND d.deadline - d.day BETWEEN 0 AND CAST($due_soon_days AS INTEGER)
  GROUP BY ALL
)
SELECT (SELECT count(*) FROM became), count(*), median(ahead) FROM listed
