-- The run's emerging topics (新出现的热点话题), most significant first, lists as JSON text.
SELECT rank, phrase, CAST(to_json(coalesce(related, [])) AS VARCHAR), complainants, messages, expected,
       p_value, CAST(first_date AS VARCHAR), CAST(last_date AS VARCHAR),
       CAST(to_json(coalesce(example_case_ids, [])) AS VARCHAR), CAST(to_json(coalesce(places, [])) AS VARCHAR),
       CAST(to_json(coalesce(place_messages, [])) AS VARCHAR)
FROM topic_bursts WHERE run_id = $1 ORDER BY rank
