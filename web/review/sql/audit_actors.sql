-- The users the audit log names, for its filter.
SELECT DISTINCT actor FROM {{.audit_log}} ORDER BY 1
