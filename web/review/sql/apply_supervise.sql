INSERT INTO {{.supervisions}} (matter_id, supervised_at, supervised_by, note, deadline) VALUES ($1, $2, $3, $4, CAST($5 AS DATE))
