package data

// SampleFile is a file of the bundled sample: its name, size and SHA-256 checksum (hex).
type SampleFile struct {
	Name   string
	Size   int64
	SHA256 string
}

// Sample lists the files of the bundled sample (data/sample, which `earlywarn gen --seed 7
// --cases 3000` writes). The sample alone may be read on the published demo key: a run
// recognises its files by their checksums, never by their path. A test regenerates the sample
// and checks the list.
var Sample = []SampleFile{
	{"cases.csv", 1394843, "b0290811a5c2a85fb1e8d8fcc05106a30a2fa9e7ce0044923c6ffa73884e2b9f"},
	{"contacts.csv", 307203, "5d1e6c877f7ed4bdb93d2bfb293a11ba8f40ff712f4b37674c7428a6468b3783"},
	{"events.csv", 465809, "ca20ddd2657cb6be3cd4122723c6806cbe394bc3f021db9bbd2fddcec41598d0"},
	{"generator.json", 1249, "46592b6784fcec6a5fc90d406149a8260ce48c0c247c443f2ca9b78742634f3e"},
	{"ground_truth.csv", 9279, "4cd77bad79d2735263fc5906fe00166abf4df8c0f15599cc213a80d1608886a5"},
}
