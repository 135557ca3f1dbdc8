-- topics: one topic of the run.
INSERT INTO {{.run_topics}} VALUES (
  $rank, $phrase, from_json($related, '["VARCHAR"]'), $complainants, $messages, $expected, $p_value,
  $baseline_days, CAST($first_date AS DATE), CAST($last_date AS DATE),
  from_json($examples, '["VARCHAR"]'), from_json($places, '["VARCHAR"]'), from_json($place_messages, '["INTEGER"]'))
