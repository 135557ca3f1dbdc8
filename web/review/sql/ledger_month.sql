-- What happened to matters in the month [$1, $2), oldest first: the progress notes (kind
-- 'note': time, author, note, '') and the supervisions (kind 'supervision': time, by whom,
-- note, deadline).
SELECT matter_id, 'note' AS kind, noted_at AS happened_at, author, note, '' AS deadline FROM {{.progress_notes}}
WHERE noted_at >= $1 AND noted_at < $2
UNION ALL
SELECT matter_id, 'supervision', supervised_at, supervised_by, note, strftime(deadline, '%Y-%m-%d') FROM {{.supervisions}}
WHERE supervised_at >= $1 AND supervised_at < $2
ORDER BY happened_at, kind
