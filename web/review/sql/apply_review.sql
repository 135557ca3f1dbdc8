INSERT INTO {{.matter_review}} VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, $8, $9, $10)
