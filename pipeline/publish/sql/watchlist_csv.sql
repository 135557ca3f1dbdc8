-- watchlist.csv's rows of run $1 ranked $2 to $3 (one page), every column as text, with the
-- matter's title (empty for one stored before titles), reasons and change notes in the output
-- language, days past the deadline (empty when the data has no closing records), id lists
-- joined by ';'; the rules twice, the first shown by their names, the last (rule_ids) as they
-- are.
SELECT rank::VARCHAR, matter_id, coalesce(title, ''), matter_kind, tier, state, printf('%.2f', score),
  array_to_string(rules, ';'), {{.reason}}, {{.state_note}}, responsible_unit, township, category,
  strftime(first_flagged, '%Y-%m-%d'), coalesce(days_overdue::VARCHAR, ''), array_to_string(case_ids, ';'),
  array_to_string(contact_ids, ';'), array_to_string(event_ids, ';'), array_to_string(rules, ';')
FROM watchlist WHERE run_id = $1 AND rank BETWEEN $2 AND $3 ORDER BY rank
