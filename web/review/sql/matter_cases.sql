-- The cases of matter $2 on run $1's watchlist, at most $3.
SELECT case_id, strftime(received_date, '%Y-%m-%d'), channel, level, complainant_id,
  coalesce(township, ''), coalesce(category, ''), coalesce(target_org, ''), coalesce(responsible_unit, ''),
  coalesce(content, ''), coalesce(head_count, 1), coalesce(found_in_text, ''), coalesce(village, '')
FROM {{.cases}} WHERE case_id IN (SELECT unnest(case_ids) FROM {{.watchlist}} WHERE run_id = $1 AND matter_id = $2) ORDER BY received_date, case_id LIMIT $3
