package runrecord

// Topics is what the topics stage found (pipeline/topics.go, package internal/topics): the
// phrases of the cases' text whose distinct complainants in the window rose far above their own
// daily rate in the baseline before it, most significant first.
type Topics struct {
	WindowDays   int `json:"window_days"`
	BaselineDays int `json:"baseline_days"`
	// KnownDays is how many baseline days are on record (the latest ones); with fewer than half
	// the baseline there is no history to compare with, and no topics.
	KnownDays int     `json:"known_baseline_days"`
	Topics    []Topic `json:"topics"`
}

// Topic is one emerging topic, as table topic_bursts stores it.
type Topic struct {
	Phrase       string       `json:"phrase"`
	Related      []string     `json:"related,omitempty"` // other phrases of the same messages that rose with it
	Complainants int          `json:"complainants"`      // distinct, in the window
	Messages     int          `json:"messages"`          // contacts in the window
	Expected     float64      `json:"expected"`          // complainants the baseline predicts for the window
	PValue       float64      `json:"p_value"`
	FirstDate    string       `json:"first_date"`
	LastDate     string       `json:"last_date"`
	Examples     []string     `json:"example_case_ids"`
	Places       []TopicPlace `json:"places,omitempty"` // townships with most of its messages
}

// TopicPlace is a township and its messages about a topic.
type TopicPlace struct {
	Name     string `json:"name"`
	Messages int    `json:"messages"`
}
