-- The lines DuckDB's CSV reader rejected, as it numbers them (the header is line 1; each
-- record and each empty line after it is one line).
SELECT DISTINCT line FROM {{.csv_rejects}} ORDER BY line
