package rules

import (
	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Built-in reason templates, used when a rule's config leaves reason.zh or reason.en empty. The
// texts live in the message catalogue (internal/i18n, reasons.yaml).
var (
	repeatReason        = builtInReason("reason.repeat")
	headCountReason     = builtInReason("reason.head_count")
	waveReason          = builtInReason("reason.wave")
	copiedReason        = builtInReason("reason.copied")
	higherLevelReason   = builtInReason("reason.higher_level")
	continuedReason     = builtInReason("reason.continued")
	baselineReason      = builtInReason("reason.baseline")
	copiedSimilarReason = builtInReason("reason.copied_similar")
	hotIssueReason      = builtInReason("reason.hot_issue")
	overdueReason       = builtInReason("reason.overdue")
	noProgressReason    = builtInReason("reason.no_progress")
	extensionsReason    = builtInReason("reason.extensions")
)

func builtInReason(key string) configs.Reason {
	return configs.Reason{ZH: i18n.T("zh", key), EN: i18n.T("en", key)}
}
