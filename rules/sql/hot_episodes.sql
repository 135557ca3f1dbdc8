-- group_signal hot_issue, step 4b: per episode of hot_members, its place's key and first case
-- (its row id; the matter id hashes its case id), the day it became unusual, the count it needed
-- (at least $min_complainants), and the facts only Go knows: the place as written, its context and kind,
-- the topic's words, and the test's expected count, probability and baseline days.
CREATE OR REPLACE TEMP TABLE {{.hot_episodes}} (
  episode INTEGER, place_key VARCHAR, first_ck BIGINT, first_flagged DATE, needed INTEGER, facts VARCHAR)
