-- topics: store the run's emerging topics as $run_id's.
INSERT INTO topic_bursts
SELECT $run_id, rank, phrase, related, complainants, messages, expected, p_value, baseline_days,
       first_date, last_date, example_case_ids, places, place_messages
FROM {{.run_topics}} ORDER BY rank
