-- group_signal hot_issue, step 1: the places named in the text of each case with a contact
-- (or, without one, received) in the period the rule reads, its $lookback_days days and the
-- $baseline_days days before them, in the order they are written, one range of cases' rows
-- ($from to $to) at a time, as hot_doc_texts.sql: those of hot_mention_rows.sql. Go picks each case's
-- primary place (rules/hot_place.go).
SELECT ck, key, name, kind, context, in_subject, written
FROM {{.hot_mentions}}
WHERE ck BETWEEN $from AND $to
ORDER BY ck, ord
