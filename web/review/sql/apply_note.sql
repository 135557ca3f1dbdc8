INSERT INTO {{.progress_notes}} VALUES ($1, $2, $3, $4)
