// Package configs embeds the default configuration, so earlywarn runs from any folder when no
// --config is given and configs/default.yaml is not there.
package configs

import _ "embed"

// DefaultPath is where the default configuration lives in a checkout.
const DefaultPath = "configs/default.yaml"

// Default is configs/default.yaml as built into the binary.
//
//go:embed default.yaml
var Default []byte
