package runrecord

// Categories is what a run's category classifier (config text.category_model) did with the
// cases loaded without a category (empty, or one of text.unknown_categories): each is
// classified once, when loaded, and its found_in_text records the class, the confidence and
// the model.
type Categories struct {
	Model         string  `json:"model"`  // the model file, as the config resolves it
	SHA256        string  `json:"sha256"` // of the model file
	MinConfidence float64 `json:"min_confidence"`
	// Classified counts, by category, the cases given the category the model predicted.
	Classified map[string]int64 `json:"classified"`
	// Uncertain counts the cases left as they were: the model was less confident than
	// MinConfidence. Their found_in_text records its guess.
	Uncertain int64 `json:"uncertain"`
}

// Total is the number of cases the classifier classified, replacing their category or not.
func (c *Categories) Total() int64 {
	n := c.Uncertain
	for _, k := range c.Classified {
		n += k
	}
	return n
}
