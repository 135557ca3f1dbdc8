-- The progress notes recorded in [$1, $2).
SELECT matter_id, noted_at, author, note FROM {{.progress_notes}}
WHERE noted_at >= $1 AND noted_at < $2 ORDER BY noted_at
