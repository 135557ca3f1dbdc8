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
	add("csv.watchlist", watchlistColumns)
	add("csv.quarantine", quarantineColumns)
	add("csv.backtest", backtestColumns)
	add("sheet.watchlist", append([]string{"name"}, xlsxColumns...))
	add("sheet.ledger", append([]string{"name", "overdue"}, ledgerColumns...))
	add("sheet.summary", []string{"name", "item", "count", "run", "as_of", "generated", "total", "by_tier", "by_rule", "by_township", "by_category"})
	add("report", append([]string{"other"}, reportTexts...))
	add("label.tier", review.Tiers)
	add("label.kind", []string{"case", "cluster"})
	add("label.state", []string{"new", "continuing", "worse", "reopened"})
	add("label.backtest.scope", []string{"family", "kind", "rule"})
	add("label.backtest.family", []string{"repeat", "group", "stalled"})
	keys = append(keys, "chart.backtest.title", "chart.backtest.y", "publish.step.write", "publish.step.leaders", "publish.step.move")
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("the catalogue lacks %q", k)
		}
	}
}
