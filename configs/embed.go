package configs

import _ "embed"

// DefaultPath is where the default configuration lives in a checkout.
const DefaultPath = "configs/default.yaml"

// DefaultYAML is configs/default.yaml as built into the binary, so earlywarn runs from any
// folder when no --config is given and configs/default.yaml is not there.
//
//go:embed default.yaml
var DefaultYAML []byte
