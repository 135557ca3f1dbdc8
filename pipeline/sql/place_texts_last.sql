-- The last row of cases (-1 when there are none), to read their texts in ranges (place_texts.sql).
SELECT coalesce(max(rowid), -1) FROM cases
