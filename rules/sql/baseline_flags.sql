-- group_signal baseline: one flag per alarm episode, with the contacts of its days as evidence.
-- complainants and cases count the whole episode; peak_complainants the distinct people of the
-- strongest alarm's window (peak_from to peak_to), whose daily counts summed are observed.
CREATE OR REPLACE TEMP TABLE {{.rule_flags}} AS
WITH ev AS (
  SELECT e.*, e.peak_to - CAST($window_days AS INTEGER) + 1 AS peak_from,
         t.contact_id, t.contact_date, s.case_id, t.pk, s.resolved
  FROM {{.baseline_episodes}} e
  JOIN {{.case_state}} s ON {{template "stratum" .}} = e.stratum
  JOIN {{.case_contacts}} t ON t.ck = s.ck AND t.contact_date BETWEEN e.from_day AND e.to_day
)
SELECT 'group:' || md5(concat_ws(chr(31), 'baseline', stratum, first_alarm::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(DISTINCT case_id)) AS case_ids,
       list_sort(list(DISTINCT contact_id)) AS contact_ids,
       first_alarm AS first_flagged,
       any_value(strength) AS strength,
       json_object('complainants', count(DISTINCT pk), 'unnamed', count(DISTINCT pk) FILTER (WHERE pk < 0),
                   'cases', count(DISTINCT case_id),
                   'observed', any_value(observed), 'expected', round(any_value(expected), 1),
                   'window_days', $window_days, 'baseline_days', $baseline_days,
                   'from', any_value(from_day), 'to', any_value(to_day),
                   'peak_from', any_value(peak_from), 'peak_to', any_value(peak_to),
                   'peak_complainants', count(DISTINCT pk) FILTER (WHERE contact_date BETWEEN peak_from AND peak_to),
                   'group', replace(stratum, chr(31), ' / '), 'method', $method)::VARCHAR AS facts
FROM ev
GROUP BY stratum, first_alarm
HAVING NOT ($skip_resolved AND bool_and(resolved))
