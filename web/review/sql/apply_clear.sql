DELETE FROM {{.matter_review}} WHERE matter_id = $1
