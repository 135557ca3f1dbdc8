-- group_signal hot_issue, step 3b: the cases of a batch of places whose texts the rule reads
-- again (when the texts of every place that may hold a hot issue are more than it holds at once).
CREATE OR REPLACE TEMP TABLE {{.hot_batch}} (ck BIGINT)
