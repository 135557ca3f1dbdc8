-- The title facts of title_facts numbered $from to $to - 1, for Go to compose their titles.
SELECT matter_id, township, village, place, category, target_org, content, townships, targets
FROM {{.title_facts}} WHERE i >= $from AND i < $to
