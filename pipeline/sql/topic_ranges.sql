-- topics: the first and last case (ck) of topic_contacts and how many contacts it holds, from
-- which the stage cuts its ranges (-1 for the last when it is empty).
SELECT coalesce(min(ck), 0), coalesce(max(ck), -1), count(*) FROM {{.topic_contacts}}
