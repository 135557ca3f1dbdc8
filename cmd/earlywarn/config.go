package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/rules"
)

// envKeys are the config keys an environment variable EARLYWARN_<KEY> may set.
var envKeys = []string{"database", "input", "output", "timezone", "lang", "threads", "memory_limit"}

// configSource is a config file's name, bytes and YAML tree (for error lines); name is
// "(built-in default)" for the embedded one.
type configSource struct {
	name string
	body []byte
	root *yaml.Node
}

func readConfigSource(path string, explicit bool) (configSource, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		return configSource{name: path, body: b}, nil
	case !explicit && errors.Is(err, os.ErrNotExist):
		return configSource{name: "(built-in default)", body: configs.Default}, nil
	default:
		return configSource{}, usageErrorf("config file %s cannot be read: %v", path, err)
	}
}

// loadConfig reads the config named by --config (or the default), applies EARLYWARN_*
// environment variables and the flags the user set, and decodes it strictly: unknown keys and
// wrong types are errors that name the key and its line.
func loadConfig(cmd *cobra.Command, flagKeys map[string]string) (pipeline.Config, configSource, error) {
	path, _ := cmd.Flags().GetString("config")
	src, err := readConfigSource(path, cmd.Flags().Changed("config"))
	if err != nil {
		return pipeline.Config{}, src, err
	}
	set := map[string]string{}
	for flag, key := range flagKeys {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			set[key] = f.Value.String()
		}
	}
	cfg, err := decodeConfig(&src, set)
	return cfg, src, err
}

// decodeConfig parses src.body (keeping its YAML tree in src.root for error lines), fills in
// the defaults, applies EARLYWARN_* environment variables and then set (config key → value, from
// flags), and decodes the result strictly. Every error is a *configFileError.
func decodeConfig(src *configSource, set map[string]string) (pipeline.Config, error) {
	src.root = &yaml.Node{}
	if err := yaml.Unmarshal(src.body, src.root); err != nil {
		return pipeline.Config{}, &configFileError{src: *src, errs: []error{err}}
	}
	v := viper.New()
	v.SetConfigType("yaml")
	def := pipeline.DefaultConfig()
	for key, val := range map[string]any{
		"version": def.Version, "database": def.Database, "input": def.Input, "output": def.Output,
		"timezone": def.TimeZone, "lang": def.Lang, "threads": def.Threads, "memory_limit": def.MemoryLimit,
		"quarantine.max_reject_rate": def.Quarantine.MaxRejectRate,
		"clocks.accept_days":         def.Clocks.AcceptDays, "clocks.handle_days": def.Clocks.HandleDays,
		"clocks.extension_days": def.Clocks.ExtensionDays, "clocks.review_days": def.Clocks.ReviewDays,
		"clocks.rereview_days":   def.Clocks.RereviewDays,
		"watchlist.strength_cap": def.Watchlist.StrengthCap, "watchlist.tiers.red": def.Watchlist.Tiers.Red,
		"watchlist.tiers.orange": def.Watchlist.Tiers.Orange,
	} {
		v.SetDefault(key, val)
	}
	if err := v.ReadConfig(bytes.NewReader(src.body)); err != nil {
		return pipeline.Config{}, &configFileError{src: *src, errs: []error{err}}
	}
	v.SetEnvPrefix("EARLYWARN")
	for _, k := range envKeys {
		if err := v.BindEnv(k); err != nil {
			return pipeline.Config{}, err
		}
	}
	for key, val := range set {
		v.Set(key, val)
	}
	var cfg pipeline.Config
	err := v.Unmarshal(&cfg, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true
		dc.WeaklyTypedInput = true // environment variables and flags arrive as strings
	})
	if err != nil {
		return cfg, &configFileError{src: *src, errs: decodeErrors(err, fmt.Sprintf("%T", cfg))}
	}
	return cfg, nil
}

var invalidKeys = regexp.MustCompile(`'([^']*)' has invalid keys: (.*)`)

// decodeErrors turns mapstructure's message into one FieldError per problem. mapstructure
// names the top level by its Go type (rootName); keys there get no prefix.
func decodeErrors(err error, rootName string) []error {
	var out []error
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "*"))
		if m := invalidKeys.FindStringSubmatch(line); m != nil {
			for _, k := range strings.Split(m[2], ", ") {
				key := k
				if m[1] != "" && m[1] != rootName {
					key = m[1] + "." + k
				}
				out = append(out, &rules.FieldError{Key: key, Msg: "unknown key (configs/reference.yaml lists every key)"})
			}
			continue
		}
		if strings.HasPrefix(line, "'") {
			if i := strings.Index(line[1:], "'"); i >= 0 {
				out = append(out, &rules.FieldError{Key: line[1 : i+1], Msg: strings.TrimSpace(line[i+2:])})
				continue
			}
		}
		if line != "" && !strings.HasPrefix(line, "decoding failed") {
			out = append(out, errors.New(line))
		}
	}
	if len(out) == 0 {
		out = append(out, err)
	}
	return out
}

// configFileError lists every problem of a config file, each with its line where known.
type configFileError struct {
	src  configSource
	errs []error
}

func (e *configFileError) Error() string {
	var b strings.Builder
	for i, err := range e.errs {
		if i > 0 {
			b.WriteString("\n")
		}
		var fe *rules.FieldError
		if errors.As(err, &fe) {
			if line := lineOf(e.src.root, fe.Key); line > 0 {
				fmt.Fprintf(&b, "%s:%d: %s", e.src.name, line, fe.Error())
				continue
			}
		}
		fmt.Fprintf(&b, "%s: %s", e.src.name, err)
	}
	return b.String()
}

// withLines wraps validation errors of a loaded config so that each names its file and line.
func withLines(src configSource, err error) error {
	return &configFileError{src: src, errs: flatten(err)}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

var keySegment = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// lineOf finds the line of a dotted key path such as "rules[2].params.window_days" in a YAML
// document, or of its nearest existing parent; 0 when nothing matches.
func lineOf(root *yaml.Node, key string) int {
	if root == nil || len(root.Content) == 0 {
		return 0
	}
	n, line := root.Content[0], 0
	for _, m := range keySegment.FindAllStringSubmatch(key, -1) {
		next := (*yaml.Node)(nil)
		switch {
		case m[2] != "" && n.Kind == yaml.SequenceNode:
			if i, _ := strconv.Atoi(m[2]); i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		case m[1] != "" && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if strings.EqualFold(n.Content[i].Value, m[1]) {
					next, line = n.Content[i+1], n.Content[i].Line
					break
				}
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
