SELECT run_id, strftime(as_of, '%Y-%m-%d') FROM {{.runs}} ORDER BY finished_at DESC, run_id DESC LIMIT 1
