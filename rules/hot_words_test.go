package rules

import (
	"strings"
	"testing"
)

// A topic word begins and ends with neither a function character nor a function word.
func TestTrimWord(t *testing.T) {
	for w, want := range map[string]string{
		"房价之外":   "房价",
		"垃圾站选址的": "垃圾站选址",
		"离小区":    "小区",
		"要求解决a":  "要求解决",
		"的房价以来":  "房价",
		"以外":     "",
		"物业收费":   "物业收费",
	} {
		if got := trimWord(w); got != want {
			t.Errorf("trimWord(%q) = %q, want %q", w, got, want)
		}
	}
}

// A topic word is what is said, not the kind of place it is said of: the estate's 小区, in every
// message of an episode about standing water, is no topic word of it.
func TestTopicWordsAreNoKindOfPlace(t *testing.T) {
	texts := []string{
		"小区门口道路积水",
		"积水严重 小区业主出行难",
		"道路积水 小区旁边",
		"积水无人管 小区居民",
	}
	d := newDocFreq()
	for _, s := range append(texts, "道路破损", "工资拖欠", "学校收费", "噪音扰民", "医院排队") {
		d.add(countNgrams(topicText(s, nil)))
	}
	words := topicWords(texts, d, 3)
	for _, w := range words {
		if w == "小区" {
			t.Errorf("topic words %q hold 小区", words)
		}
	}
	if len(words) == 0 || !strings.Contains(words[0], "积水") {
		t.Errorf("topic words %q, want 积水 first", words)
	}
}

// A word does not grow into what is said of it: 中转站, not 中转站很不合 (a real board's
// episode, cut at six characters).
func TestGrowWordStopsAtADegreeAdverb(t *testing.T) {
	texts := []string{"垃圾中转站很不合理", "这个中转站很不合适", "中转站很不合规"}
	if got := growWord("中转", texts); got != "中转站" {
		t.Errorf("growWord(中转) = %q, want 中转站", got)
	}
}
