INSERT INTO {{.dismissals}} VALUES ($1, $2, $3, $4, $5, NULL, NULL)
