-- The lines found for the rows a file loses ($1 rowids, $2 lines, in the same order).
INSERT INTO {{.reject_lines}} SELECT unnest($1::BIGINT[]), unnest($2::BIGINT[])
