-- The cases a rule by case screens again as of $as_of, when the latest stored run screened as
-- of $prev_as_of and its flags stand for the other cases (see pipeline/rescreen.go): the cases
-- whose records changed since (changed_cases), and those whose flag the calendar can change:
-- received after $prev_as_of, with an event dated after it, or with a contact that crossed one
-- of the rule's horizons (the boundaries "contact_date > as_of - h" its query reads, for h in
-- $horizons, 0 among them). Their rows of case_state and case_contacts, for the rule's query.
CREATE OR REPLACE TEMP TABLE {{.rescreen_state}} AS
SELECT *
FROM {{.case_state}}
WHERE received_date > CAST($prev_as_of AS DATE)
   OR case_id IN (SELECT case_id FROM {{.changed_cases}})
   OR case_id IN (SELECT case_id FROM events
                  WHERE event_date > CAST($prev_as_of AS DATE) AND event_date <= CAST($as_of AS DATE))
   OR ck IN (SELECT k.ck
             FROM {{.case_contacts}} k, (SELECT unnest(CAST($horizons AS INTEGER[])) AS h) b
             WHERE k.contact_date > CAST($prev_as_of AS DATE) - b.h
               AND k.contact_date <= CAST($as_of AS DATE) - b.h);

CREATE OR REPLACE TEMP TABLE {{.rescreen_contacts}} AS
SELECT * FROM {{.case_contacts}} WHERE ck IN (SELECT ck FROM {{.rescreen_state}});
