-- topics: the run's emerging topics until the run is stored (topic_store.sql), most significant
-- first. Lists arrive as JSON text from Go.
CREATE OR REPLACE TEMP TABLE {{.run_topics}} (
  rank INTEGER, phrase VARCHAR, related VARCHAR[], complainants INTEGER, messages INTEGER,
  expected DOUBLE, p_value DOUBLE, baseline_days INTEGER, first_date DATE, last_date DATE,
  example_case_ids VARCHAR[], places VARCHAR[], place_messages INTEGER[]);
