-- group_signal hot_issue, step 3c: the text of each case of hot_doc_read, with what to do with
-- it (op: 1 add it to the document frequencies, -1 take it out, 0 keep it only for its place's
-- topics), one range of rows ($from to $to) at a time: the driver holds a query's whole result
-- until it is read, and a million texts are a gigabyte.
SELECT d.ck, d.op, c.content
FROM {{.hot_doc_read}} d JOIN cases c ON c.rowid = d.ck
WHERE d.ck BETWEEN $from AND $to AND c.rowid BETWEEN $from AND $to
