-- group_signal hot_issue, step 3c: the cases of the places that may hold a hot issue (Go fills
-- it), whose texts the rule reads for their places' topics.
CREATE OR REPLACE TEMP TABLE {{.hot_candidates}} (ck BIGINT)
