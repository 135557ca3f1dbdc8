package publish

import (
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// TestCatalogueHasEveryText checks that every header, sheet name, heading and label the outputs
// look up is in the catalogue: a missing key would print as the key itself.
func TestCatalogueHasEveryText(t *testing.T) {
	var keys []string
	add := func(prefix string, names []string) {
		for _, n := range names {
			keys = append(keys, prefix+"."+n)
		}
	}
	add("csv.watchlist", csvColumns)
	add("csv.quarantine", quarantineColumns)
	add("csv.backtest", backtestColumns)
	add("sheet.watchlist", append([]string{"name"}, xlsxColumns...))
	add("sheet.ledger", append([]string{"name", "overdue"}, ledgerColumns...))
	add("sheet.summary", []string{"name", "item", "count", "run", "as_of", "generated", "total", "by_tier", "by_change", "by_rule", "by_township", "by_category", "by_unit"})
	add("sheet.watchlist", leaderColumns)
	add("sheet.leader", []string{"name", "title", "meta", "top", "top_note", "top_more", "top_none", "counts", "supervise", "supervise_none", "full"})
	add("sheet.cleared", []string{"name", "none"})
	add("sheet.print", []string{"as_of", "footer"})
	add("leader.cleared", clearedCols)
	add("leader.group", []string{"township", "category", "responsible_unit"})
	add("leader.sup", []string{"unit", "matters", "red", "overdue", "stalled", "max_days"})
	add("report", []string{"act_on", "act_on_note", "act_on_more", "cleared", "cleared_note", "cleared_more", "full", "full_show"})
	add("report", append([]string{"other"}, reportTexts...))
	add("report.baoan", []string{"title", "intro", "none"})
	add("report.baoan.col", baoanColumns)
	add("label.tier", review.Tiers)
	add("label.kind", []string{"case", "cluster"})
	add("label.state", review.ChangeStates)
	add("label.family", []string{"repeat", "group", "stalled", "escalation"})
	keys = append(keys, "label.list_sep", "leader.count.total")
	add("topics", append([]string{"title", "intro", "none", "no_history", "off", "place", "period_value"}, topicColumns...))
	keys = append(keys, "sheet.topics.name")
	add("label.backtest.scope", []string{"family", "kind", "rule"})
	add("label.backtest.family", []string{"repeat", "group", "stalled"})
	keys = append(keys, "chart.backtest.title", "chart.backtest.y", "publish.step.write", "publish.step.move")
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("the catalogue lacks %q", k)
		}
	}
}
