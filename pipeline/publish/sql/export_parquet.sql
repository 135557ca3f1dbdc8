-- Run $1's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language, to the file $2 as zstd-compressed Parquet. DuckDB streams the rows to the
-- file: none is held in a table or in Go. A row group holds 20,000 rows, not DuckDB's 122,880:
-- the writer keeps a row group's lists of ids in memory, which it cannot spill, and a million
-- matters' evidence would not fit a small memory_limit.
COPY (
  SELECT rank, matter_id, title, matter_kind, tier, state, score, rules, {{.reason}} AS reason, {{.state_note}} AS state_note,
         responsible_unit, township, category, first_flagged, days_overdue, case_ids, contact_ids, event_ids
  FROM watchlist WHERE run_id = $1 ORDER BY rank
) TO $2 (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 20000)
