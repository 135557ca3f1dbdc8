// Package topics finds emerging topics (新出现的热点话题): words or phrases whose distinct
// complainants in a recent window rise far above their own baseline, before any one place or
// category is clear. A topic is about what is said, never about who says it.
//
// The vocabulary is learnt from the office's own messages: the Han character n-grams (MinGram to
// MaxGram characters; punctuation, digits and Latin letters cut runs) of each message's text,
// hashed (FNV-1a, 64 bits). The run reads only the window's and the baseline's messages, in
// three steps:
//
//  1. the window (AddWindow, then EndWindow): each n-gram's people are counted into 2^22 hashed
//     buckets; the n-grams whose bucket reaches MinComplainants are counted exactly, and those
//     with at least MinComplainants distinct complainants in the window are the candidates
//     (n-grams holding a person's name or 某 are never candidates, see HasPersonName), less
//     those too few to alarm even over an empty baseline;
//  2. the baseline (AddBaseline, in batches, on Workers goroutines): each candidate's daily
//     complainants, messages, and the places and categories it is written from;
//  3. Topics: template phrases are dropped (in at least TemplateShare of the baseline's
//     messages, or from at least TemplateSpread of its places or of its categories where there
//     are at least 4 of them); each remaining candidate's window count is tested against its own
//     daily rate in the baseline with package baseline's negative binomial test, as the wave rule
//     does, that rate scaled up by how much busier the whole window is than the baseline, at
//     Alpha divided by the number of n-grams with MinComplainants in the window (Bonferroni:
//     Alpha is the chance that a run with no real burst reports one); the significant ones are grown into whole phrases
//     (物业收 + 业收费 → 物业收费) and reported, the most significant first.
//
// Counting: a message's people are its contacts' persons on its days. The window counts each
// person once; a baseline day counts each message's persons that day, so a person writing two
// messages with the phrase on one day counts twice: the baseline can only be overstated, which
// makes a burst harder, not easier, to report.
package topics

import (
	"runtime"

	"github.com/earlywarn/earlywarn/internal/baseline"
	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Params configure the detection. Start from DefaultParams.
type Params struct {
	WindowDays      int     // days of the window, ending on the as-of day
	BaselineDays    int     // days of the baseline, ending the day before the window
	MinComplainants int     // distinct complainants in the window a topic needs
	Alpha           float64 // significance of the negative binomial test
	MinMean         float64 // floor of a phrase's daily mean in the baseline
	MaxTopics       int     // topics reported at most
	MinGram         int     // shortest n-gram, in characters
	MaxGram         int     // longest n-gram
	MaxPhrase       int     // longest phrase an n-gram is grown into
	TemplateShare   float64 // an n-gram in at least this share of the baseline's messages is template
	TemplateSpread  float64 // … or from at least this share of its places or of its categories
	Grow            float64 // a phrase grows by a character when this share of its messages have it
	Examples        int     // example case ids per topic
	Places          int     // places (most messages first) per topic
	Workers         int     // goroutines; 0: GOMAXPROCS
}

// DefaultParams: a 14-day window against the 56 days before it, 5 distinct complainants at
// least, alpha 0.001 and a daily mean floored at 0.1 as the wave rule's test; n-grams of 2 to 4
// characters grown into phrases of at most 16.
func DefaultParams() Params {
	return Params{WindowDays: 14, BaselineDays: 56, MinComplainants: 5, Alpha: 0.001, MinMean: 0.1,
		MaxTopics: 10, MinGram: 2, MaxGram: 4, MaxPhrase: 16, TemplateShare: 0.05, TemplateSpread: 0.75,
		Grow: 0.8, Examples: 5, Places: 3}
}

// Validate reports parameters that make no sense.
func (p Params) Validate() error {
	t := p.test(p.BaselineDays)
	if err := t.Validate(); err != nil {
		return err
	}
	switch {
	case p.MaxTopics < 1, p.MinGram < 2, p.MaxGram < p.MinGram, p.MaxGram > 8, p.MaxPhrase < p.MaxGram:
		return i18n.Errorf("topics.err.counts", p.MaxTopics, p.MinGram, p.MaxGram, p.MaxPhrase)
	case !(p.TemplateShare > 0 && p.TemplateShare <= 1), !(p.TemplateSpread > 0 && p.TemplateSpread <= 1), !(p.Grow > 0.5 && p.Grow <= 1):
		return i18n.Errorf("topics.err.shares", p.TemplateShare, p.TemplateSpread, p.Grow)
	}
	return nil
}

func (p Params) test(days int) baseline.Params {
	return baseline.Params{Method: baseline.MethodNegBin, BaselineDays: days, WindowDays: p.WindowDays,
		MinObserved: p.MinComplainants, Alpha: p.Alpha, MinMean: p.MinMean}
}

func (p Params) workers() int {
	if p.Workers > 0 {
		return p.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Message is one case's text with its contacts in the period read: the window's for AddWindow,
// the baseline's for AddBaseline (a case with contacts in both is given to each).
type Message struct {
	CaseID   string
	Text     string
	Place    string // the case's place (township), for template phrases and the topic's places
	Category string
	Contacts []Contact
}

// Contact is one contact of a message's case: its day, counted back from the as-of day (0 is
// the as-of day, WindowDays the baseline's last), and its person, any integer that is equal for
// the same person.
type Contact struct {
	Day    int32
	Person int64
}

// Topic is one emerging topic: its phrase and, in the window, the distinct complainants and
// messages (contacts) whose text holds it, against Expected from the baseline.
type Topic struct {
	Phrase       string
	Related      []string // other phrases of the same messages that rose with it, at most MaxRelated
	Complainants int
	Messages     int
	Expected     float64 // complainants the baseline predicts for the window
	PValue       float64
	BaselineDays int      // baseline days the test used (fewer at the start of the data)
	FirstDay     int32    // the window's first and last day with a message of it, counted back
	LastDay      int32    // from the as-of day
	Examples     []string // case ids, first written first
	Places       []Place
}

// MaxRelated is the most related phrases a topic lists.
const MaxRelated = 3

// Place is a place and its messages about a topic.
type Place struct {
	Name     string
	Messages int
}
