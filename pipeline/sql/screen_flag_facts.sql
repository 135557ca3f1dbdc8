-- The facts of the flags of flag_todo numbered $from to $to - 1, for Go to render their
-- reasons from.
SELECT matter_id, facts FROM {{.flag_todo}} WHERE i >= $from AND i < $to
