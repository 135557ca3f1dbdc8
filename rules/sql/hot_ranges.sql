-- group_signal hot_issue: the first and last row of the screened cases (ck), which the rule reads
-- in ranges (hot_mentions.sql, hot_doc_texts.sql); -1 for the last when there are none.
SELECT coalesce(min(ck), 0), coalesce(max(ck), -1) FROM {{.case_state}}
