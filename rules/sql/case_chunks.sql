-- How many contacts case_contacts holds, and DuckDB's memory limit as it reads it (1.3 GiB).
SELECT (SELECT count(*) FROM {{.case_contacts}}), current_setting('memory_limit')
