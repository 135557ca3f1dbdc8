package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
		return pipeline.Config{}, &configFileError{src: *src, errs: []error{yamlErrorWithLine(err, src.body)}}
	}
	if doc := src.root; len(doc.Content) > 0 && doc.Content[0].Kind != yaml.MappingNode {
		return pipeline.Config{}, &configFileError{src: *src, errs: []error{
			fmt.Errorf("line %d: the config must be a mapping of keys (version:, rules:, …); see configs/reference.yaml", doc.Content[0].Line)}}
	}
	if errs := badKeys(src.root); len(errs) > 0 {
		return pipeline.Config{}, &configFileError{src: *src, errs: errs}
	}
	// Aliases resolve only when the document is decoded; an anchor that contains itself fails
	// there, and the error names no line.
	var resolved any
	if err := yaml.Unmarshal(src.body, &resolved); err != nil {
		return pipeline.Config{}, &configFileError{src: *src, errs: []error{aliasErrorWithLine(err, src.root, src.body)}}
	}
	v := viper.New()
	v.SetConfigType("yaml")
	setDefaults(v, "", reflect.ValueOf(pipeline.DefaultConfig()))
	if err := v.ReadConfig(bytes.NewReader(src.body)); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return pipeline.Config{}, &configFileError{src: *src, errs: []error{err}}
		}
		cfe := &configFileError{src: *src}
		for _, msg := range te.Errors {
			cfe.errs = append(cfe.errs, errors.New("yaml: "+msg))
		}
		return pipeline.Config{}, cfe
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

// badKeys finds mapping keys that the decoder cannot name: empty ones, and ones with an empty
// part between dots (the decoder reads "a.b: 1" as "a: {b: 1}").
func badKeys(n *yaml.Node) []error {
	var errs []error
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case k.Tag == "!!merge":
				if !isMap(v) && (v.Kind != yaml.SequenceNode || slices.ContainsFunc(v.Content, func(c *yaml.Node) bool { return !isMap(c) })) {
					errs = append(errs, fmt.Errorf("line %d: merge key <<: needs a mapping or a list of mappings", k.Line))
				}
			case slices.Contains(strings.Split(k.Value, "."), ""):
				errs = append(errs, fmt.Errorf("line %d: key %q: a key must be a name, not empty, and not start or end with a dot", k.Line, k.Value))
			}
		}
	}
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			errs = append(errs, badKeys(c)...)
		}
	}
	return errs
}

// isMap reports whether n is a mapping or an alias of one.
func isMap(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode || n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias.Kind == yaml.MappingNode
}

var yamlLine = regexp.MustCompile(`\bline \d+\b`)

// yamlErrorWithLine adds the line to a YAML error that lacks one. The YAML reader rejects invalid
// UTF-8 and control characters without saying where, and leaves out the line when it is the
// first.
func yamlErrorWithLine(err error, body []byte) error {
	if yamlLine.MatchString(err.Error()) {
		return err
	}
	msg := err.Error()
	line := 1
	for i := 0; i < len(body) && (strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") || strings.Contains(msg, "Unicode")); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return fmt.Errorf("yaml: line %d: %s; save the config as UTF-8 text", line, strings.TrimPrefix(msg, "yaml: "))
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r >= 0x7f && r <= 0x9f && r != 0x85, r == 0xfffe, r == 0xffff:
			return fmt.Errorf("yaml: line %d: %s (character %U)", line, strings.TrimPrefix(msg, "yaml: "), r)
		case r == '\n':
			line++
		}
		i += size
	}
	return fmt.Errorf("yaml: line 1: %s", strings.TrimPrefix(msg, "yaml: "))
}

var selfAnchor = regexp.MustCompile(`anchor '([^']*)' value contains itself`)

// aliasErrorWithLine gives an error from resolving aliases the line of the anchor it names.
func aliasErrorWithLine(err error, root *yaml.Node, body []byte) error {
	m := selfAnchor.FindStringSubmatch(err.Error())
	if m == nil {
		return yamlErrorWithLine(err, body)
	}
	line := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor == m[1] && line == 0 {
			line = n.Line
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return fmt.Errorf("yaml: line %d: anchor &%s contains an alias of itself (*%s); an alias must refer to a value defined before it", max(line, 1), m[1], m[1])
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
				fmt.Fprintf(&b, "%s:%d: %s", e.src.name, line, oneLine(fe.Error()))
				continue
			}
		}
		fmt.Fprintf(&b, "%s: %s", e.src.name, oneLine(err.Error()))
	}
	return b.String()
}

// oneLine keeps a problem on one line, so that every line of a configFileError names the file.
func oneLine(msg string) string {
	if !strings.Contains(msg, "\n") {
		return msg
	}
	var parts []string
	for _, p := range strings.Split(msg, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
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

// setDefaults registers every scalar field of a config struct as a viper default under its
// dotted mapstructure key, so a YAML section that sets some keys keeps the defaults of the
// others. Lists (the rules) have no per-key defaults.
func setDefaults(v *viper.Viper, prefix string, val reflect.Value) {
	t := val.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("mapstructure")
		if key == "" {
			continue
		}
		switch f := val.Field(i); f.Kind() {
		case reflect.Struct:
			setDefaults(v, prefix+key+".", f)
		case reflect.Slice, reflect.Map:
		default:
			v.SetDefault(prefix+key, f.Interface())
		}
	}
}
