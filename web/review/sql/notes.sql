SELECT noted_at, author, note FROM {{.progress_notes}} WHERE matter_id = $1 ORDER BY noted_at
