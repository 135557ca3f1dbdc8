-- Snippets worse_zh and worse_en: how the current item (cur) is materially worse than a
-- reference, the table alias given (the previous run's item or the dismissed one), listed in
-- Chinese or English; '' when it is not. Complainants and levels only count up; days past the
-- deadline count once newly overdue, then each time they reach $step days and each time those
-- double ($step, 2 × $step, 4 × $step …): a case years past its deadline is not worse for another
-- month of it, whether the runs are a night or a month apart. The words come from the message
-- catalogue (track.*).
{{define "worse_zh"}}concat_ws({{text "zh" "track.separator"}},
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN printf({{text "zh" "track.complainants_up"}}, {{.}}.complainants, cur.complainants) END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN printf({{text "zh" "track.reached_level"}}, {{level_label "cur.top_level" "zh"}}) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR {{template "overdue_stage" "cur"}} > {{template "overdue_stage" .}})
      THEN printf({{text "zh" "track.overdue_more"}}, cur.days_overdue, coalesce({{.}}.days_overdue, 0)) END){{end}}
{{define "worse_en"}}concat_ws({{text "en" "track.separator"}},
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN printf({{text "en" "track.complainants_up"}}, {{.}}.complainants, cur.complainants) END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN printf({{text "en" "track.reached_level"}}, {{level_label "cur.top_level" "en"}}) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR {{template "overdue_stage" "cur"}} > {{template "overdue_stage" .}})
      THEN printf({{text "en" "track.overdue_more"}}, cur.days_overdue, coalesce({{.}}.days_overdue, 0)) END){{end}}
{{/* overdue_stage: how many of $step, 2 × $step, 4 × $step … the alias's days overdue have reached. */}}
{{define "overdue_stage"}}CASE WHEN coalesce({{.}}.days_overdue, 0) >= $step THEN floor(log2({{.}}.days_overdue / $step)) + 1 ELSE 0 END{{end}}
