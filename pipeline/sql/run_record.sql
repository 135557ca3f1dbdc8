INSERT INTO runs VALUES ($1, $2, $3, CAST($4 AS DATE), $5, $6, $7, $8, $9, $10, $11, $12)
