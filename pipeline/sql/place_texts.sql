-- The loaded cases' texts, for learning the office's place names (earlywarn learn-places): the
-- rows $from to $to of cases, as the driver holds a query's whole result until it is read.
SELECT content
FROM cases
WHERE rowid BETWEEN $from AND $to AND content IS NOT NULL AND trim(content) <> ''
