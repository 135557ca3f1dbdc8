-- Place extraction, step 3: one chunk of the texts to read, the rows $from to $to of cases (a
-- case without a text has none), each with the hash its places are stored with (places_todo.sql).
SELECT t.r, t.case_id, c.content, hash(CAST($salt AS VARCHAR), c.content)
FROM cases c JOIN {{.places_todo}} t ON t.r = c.rowid
WHERE c.rowid BETWEEN $from AND $to AND t.r BETWEEN $from AND $to AND c.content IS NOT NULL
ORDER BY t.r
