-- topics: the contacts of one period, on a day $from_day .. $to_day days before $as_of, in the
-- order of their cases (ck), for topic_messages.sql to read a range of cases at a time: day
-- counted back from $as_of, person the contact's person key, or the case's own key negated when
-- it has none.
CREATE OR REPLACE TEMP TABLE {{.topic_contacts}} AS
SELECT ck, CAST(CAST($as_of AS DATE) - contact_date AS INTEGER) AS day, coalesce(pk, -ck) AS person
FROM {{.case_contacts}}
WHERE contact_date BETWEEN CAST($as_of AS DATE) - CAST($to_day AS INTEGER)
                       AND CAST($as_of AS DATE) - CAST($from_day AS INTEGER)
ORDER BY ck
