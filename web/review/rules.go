package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Kind of the rules whose flags count towards the repeat family but are shown as escalation.
const kindEscalation = "escalation"

// RuleInfo is what a run's record keeps of one of its rules: its kind, the family its flags
// count towards and its display names. A run stored by an earlier version has no kind or names.
type RuleInfo struct {
	Kind   string           `json:"kind"`
	Family string           `json:"family"`
	Name   configs.RuleName `json:"name"`
}

// Rules are a run's rules by id. Outputs and pages show a rule by its display name in the
// run's record, so that a watchlist shows the names of the config it was made with; a rule the
// record does not name is shown by its id.
type Rules map[string]RuleInfo

// LoadRules reads run runID's rules from its record; none (every rule shown by its id) for a
// run that is not stored or whose record holds no rules.
func LoadRules(ctx context.Context, q Querier, runID string) (Rules, error) {
	var js sql.NullString
	err := q.QueryRowContext(ctx, runRulesSQL, runID).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !js.Valid {
		return Rules{}, nil
	}
	if err != nil {
		return nil, i18n.Wrap(err, "web.db.rules", runID)
	}
	rs := Rules{}
	if err := json.Unmarshal([]byte(js.String), &rs); err != nil {
		return nil, i18n.Wrap(err, "web.db.rules", runID)
	}
	return rs, nil
}

// Name is rule id's display name in lang, or the id when the run's record does not name it.
func (rs Rules) Name(lang, id string) string {
	if n := rs[id].Name.In(Lang(lang)); n != "" {
		return n
	}
	return id
}

// Join shows a list of rule ids as their names in lang, separated as the language separates a
// list ("、" in zh).
func (rs Rules) Join(lang string, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = rs.Name(lang, id)
	}
	return strings.Join(names, i18n.T(Lang(lang), "label.list_sep"))
}

// JoinIDs is Join for ids joined by ';' (SQL's array_to_string(rules, ';'); ids never hold a
// ';').
func (rs Rules) JoinIDs(lang, ids string) string {
	if ids == "" {
		return ""
	}
	return rs.Join(lang, strings.Split(ids, ";"))
}

// Family is the family a flag of rule id is shown under: its family, except that escalation
// rules, whose flags count towards the repeat family, are shown as escalation.
func (rs Rules) Family(id, family string) string {
	if rs[id].Kind == kindEscalation {
		return kindEscalation
	}
	return family
}

// ChangeStates are a matter's states against the previous run, in report order.
var ChangeStates = []string{"new", "worse", "reopened", "continuing", "cleared", "suppressed"}

// ChangeLabel is a change state's display name in lang (label.state.*): new, worse, reopened,
// continuing, cleared or suppressed. Label does not look these up: "reopened" is an event type
// there.
func ChangeLabel(lang, state string) string {
	return i18n.Label(Lang(lang), "state", state)
}
