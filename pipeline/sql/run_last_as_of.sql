-- The as-of date of the last stored run (in the order runs are stored); NULL before the first.
-- A run whose as-of date is left to the data takes it when the data's latest date is earlier.
SELECT (SELECT as_of FROM runs ORDER BY seq DESC LIMIT 1)
