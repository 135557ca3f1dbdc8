package configs

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// EnvKeys are the config keys an environment variable EARLYWARN_<KEY> may set.
var EnvKeys = []string{"database", "input", "output", "timezone", "lang", "threads", "memory_limit"}

// BuiltIn names the embedded default config in errors and run records.
const BuiltIn = "(built-in default)"

// Source is a config file's name, bytes and YAML tree (for the lines of errors).
type Source struct {
	Name string
	Body []byte
	// Flags names the command-line flag that set a key (key → "--lang"), so that a problem with
	// a value given there names the flag, not the file.
	Flags map[string]string
	root  *yaml.Node
	env   map[string]string // key → the EARLYWARN_* variable that set it
}

// ReadSource reads the config file at path. When the file does not exist and the path was not
// asked for explicitly (the default path), the embedded default.yaml stands in for it.
func ReadSource(path string, explicit bool) (*Source, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		return &Source{Name: path, Body: b}, nil
	case !explicit && errors.Is(err, os.ErrNotExist):
		return &Source{Name: BuiltIn, Body: DefaultYAML}, nil
	default:
		return nil, &FileError{File: path, Problems: []Issue{{Err: i18n.Wrap(err, "config.unreadable")}}}
	}
}

// Load reads the config at path (see ReadSource), decodes it strictly over the defaults,
// applies EARLYWARN_* environment variables and then set (config key → value, e.g. from
// flags), and validates it (Validate). Every error is a *FileError naming the file, and the
// line wherever the key is in it (or the flag or environment variable that set the value), and
// lists every problem found. With an error, the Config is returned too when it could be
// decoded (Decoded reports it), so that a caller can add the problems of later checks.
func Load(path string, explicit bool, set map[string]string) (Config, error) {
	src, err := ReadSource(path, explicit)
	if err != nil {
		return Config{}, err
	}
	return src.Decode(set)
}

// Decode decodes and validates the source; see Load.
func (s *Source) Decode(set map[string]string) (Config, error) {
	cfg, err := s.decodeWith(set, true)
	if !cfg.Decoded() {
		return Config{}, err
	}
	if verr := cfg.Validate(); verr != nil {
		err = s.locate(errors.Join(err, verr))
	}
	return cfg, err
}

// Decoded reports whether the config was decoded from a source, if perhaps with problems.
func (c Config) Decoded() bool { return c.src != nil }

// decodeWith decodes the source over the defaults, then EARLYWARN_* environment variables
// (when env), then set.
func (s *Source) decodeWith(set map[string]string, env bool) (Config, error) {
	if line, err := checkText(s.Body); err != nil {
		return Config{}, s.fail(Issue{Line: line, Err: err})
	}
	s.root = &yaml.Node{}
	if err := yaml.Unmarshal(s.Body, s.root); err != nil {
		return Config{}, s.fail(Issue{Line: yamlLine(err), Err: i18n.Wrap(err, "config.yaml")})
	}
	if doc := s.root; len(doc.Content) > 0 && doc.Content[0].Kind != yaml.MappingNode {
		return Config{}, s.fail(Issue{Line: doc.Content[0].Line, Err: i18n.Errorf("config.not_mapping")})
	}
	if issues := badKeys(s.root, nil); len(issues) > 0 {
		return Config{}, &FileError{File: s.Name, Problems: issues}
	}
	v := viper.New()
	v.SetConfigType("yaml")
	setDefaults(v, "", reflect.ValueOf(Default()))
	if err := v.ReadConfig(bytes.NewReader(s.Body)); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return Config{}, s.fail(Issue{Line: yamlLine(err), Err: i18n.Wrap(err, "config.yaml")})
		}
		fe := &FileError{File: s.Name}
		for _, msg := range te.Errors {
			e := errors.New(msg)
			fe.Problems = append(fe.Problems, Issue{Line: yamlLine(e), Err: i18n.Wrap(e, "config.yaml")})
		}
		return Config{}, fe
	}
	if env {
		v.SetEnvPrefix("EARLYWARN")
		s.env = map[string]string{}
		for _, k := range EnvKeys {
			if err := v.BindEnv(k); err != nil {
				return Config{}, err
			}
			if name := "EARLYWARN_" + strings.ToUpper(k); os.Getenv(name) != "" {
				s.env[k] = name
			}
		}
	}
	for key, val := range set {
		v.Set(key, val)
	}
	var cfg Config
	var md mapstructure.Metadata
	err := v.Unmarshal(&cfg, func(dc *mapstructure.DecoderConfig) {
		dc.Metadata = &md
		dc.WeaklyTypedInput = true // environment variables and flags arrive as strings
		if dc.DecodeHook == nil {
			dc.DecodeHook = wholeNumbers
		} else {
			dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(dc.DecodeHook, wholeNumbers)
		}
	})
	var errs []error
	for _, e := range Flatten(err) {
		errs = append(errs, decodeProblem(e))
	}
	slices.Sort(md.Unused)
	for _, key := range md.Unused {
		errs = append(errs, Fieldf(key, "config.unknown_key"))
	}
	cfg.src = s
	if len(errs) > 0 {
		if err != nil {
			return Config{}, s.locate(errors.Join(errs...)) // the values themselves are wrong
		}
		return cfg, s.locate(errors.Join(errs...)) // unknown keys: what is known decoded
	}
	return cfg, nil
}

// wholeNumbers refuses a fraction or a boolean where the config wants a whole number, which
// weak typing would otherwise truncate (7.5 days to 7) or turn into 0 or 1, and a single value
// where it wants a mapping (active_days: 90), which mapstructure reports in English.
func wholeNumbers(from, to reflect.Type, data any) (any, error) {
	switch to.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
	case reflect.Struct:
		if data == nil || from.Kind() == reflect.Map || from.Kind() == reflect.Struct || to == reflect.TypeOf(time.Time{}) {
			return data, nil
		}
		return nil, &mapstructure.UnconvertibleTypeError{Expected: reflect.New(to).Elem(), Value: data}
	default:
		return data, nil
	}
	switch v := data.(type) {
	case float64:
		if v == math.Trunc(v) {
			return data, nil
		}
	case float32:
		if float64(v) == math.Trunc(float64(v)) {
			return data, nil
		}
	case bool:
	default:
		return data, nil
	}
	return nil, &mapstructure.UnconvertibleTypeError{Expected: reflect.New(to).Elem(), Value: data}
}

// decodeProblem names the key of one decoding error: mapstructure reports the field's path in
// a *DecodeError, and the type it expected in a *ParseError or *UnconvertibleTypeError.
func decodeProblem(err error) error {
	var de *mapstructure.DecodeError
	if !errors.As(err, &de) {
		return i18n.Wrap(err, "config.decode")
	}
	var pe *mapstructure.ParseError
	var ue *mapstructure.UnconvertibleTypeError
	switch {
	case errors.As(err, &pe):
		return Fieldf(de.Name(), "config.wrong_type", kindKey(pe.Expected.Kind()), fmt.Sprint(pe.Value))
	case errors.As(err, &ue):
		return Fieldf(de.Name(), "config.wrong_type", kindKey(ue.Expected.Kind()), fmt.Sprint(ue.Value))
	}
	return Fieldf(de.Name(), "config.wrong_value", errors.Unwrap(de).Error())
}

// kindKey names what a value of kind k is, as a message of the catalogue, for type errors.
func kindKey(k reflect.Kind) i18n.Message {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return i18n.M("config.kind.integer")
	case reflect.Float32, reflect.Float64:
		return i18n.M("config.kind.number")
	case reflect.Bool:
		return i18n.M("config.kind.bool")
	case reflect.Slice, reflect.Array:
		return i18n.M("config.kind.list")
	case reflect.Map, reflect.Struct:
		return i18n.M("config.kind.mapping")
	}
	return i18n.M("config.kind.text")
}

func (s *Source) fail(issue Issue) error {
	return &FileError{File: s.Name, Problems: []Issue{issue}}
}

// locate turns err into a *FileError: a problem naming a key gets the key's line.
func (s *Source) locate(err error) error {
	fe := &FileError{File: s.Name}
	for _, e := range Flatten(err) {
		var inner *FileError
		if errors.As(e, &inner) {
			fe.Problems = append(fe.Problems, inner.Problems...)
			continue
		}
		issue := Issue{Err: e}
		var fld *FieldError
		if errors.As(e, &fld) {
			if issue.Setting = s.Flags[fld.Key]; issue.Setting == "" {
				issue.Setting = s.env[fld.Key]
			}
			if issue.Setting == "" {
				issue.Line = lineOf(s.root, fld.Key)
			}
		}
		fe.Problems = append(fe.Problems, issue)
	}
	// In the order of the file, problems without a line last.
	slices.SortStableFunc(fe.Problems, func(a, b Issue) int {
		return cmp.Compare(lineOrder(a.Line), lineOrder(b.Line))
	})
	return fe
}

func lineOrder(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}

// checkText finds what the YAML reader rejects without saying where: invalid UTF-8 and control
// characters.
func checkText(body []byte) (int, error) {
	line := 1
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, i18n.Errorf("config.not_utf8")
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r >= 0x7f && r <= 0x9f && r != 0x85, r == 0xfffe, r == 0xffff:
			return line, i18n.Errorf("config.control_char", fmt.Sprintf("%U", r))
		case r == '\n':
			line++
		}
		i += size
	}
	return 0, nil
}

// yamlReportedLine reads the line a YAML error names. go.yaml.in/yaml/v3 reports syntax and
// type errors only as text ("yaml: line 3: …"), with no position field; it leaves the line out
// when it is the first.
var yamlReportedLine = regexp.MustCompile(`\bline (\d+)\b`)

func yamlLine(err error) int {
	if m := yamlReportedLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// badKeys finds what the decoder cannot name or resolve: empty keys, keys with an empty part
// between dots (the decoder reads "a.b: 1" as "a: {b: 1}"), merge keys of something other
// than mappings, and aliases of an anchor that contains them (which resolving would loop on).
// open holds the nodes being walked, outermost first.
func badKeys(n *yaml.Node, open []*yaml.Node) []Issue {
	var issues []Issue
	if n.Kind == yaml.AliasNode {
		if n.Alias != nil && slices.Contains(open, n.Alias) {
			issues = append(issues, Issue{Line: n.Line, Err: i18n.Errorf("config.alias_loop", n.Value)})
		}
		return issues
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch {
			case k.Tag == "!!merge":
				if !isMap(v) && (v.Kind != yaml.SequenceNode || slices.ContainsFunc(v.Content, func(c *yaml.Node) bool { return !isMap(c) })) {
					issues = append(issues, Issue{Line: k.Line, Err: i18n.Errorf("config.merge_key")})
				}
			case slices.Contains(strings.Split(k.Value, "."), ""):
				issues = append(issues, Issue{Line: k.Line, Err: i18n.Errorf("config.bad_key", k.Value)})
			}
		}
	}
	open = append(open, n)
	for _, c := range n.Content {
		issues = append(issues, badKeys(c, open)...)
	}
	return issues
}

// isMap reports whether n is a mapping or an alias of one.
func isMap(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode || n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias.Kind == yaml.MappingNode
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
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
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
		if key == "" || !t.Field(i).IsExported() {
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

// BuiltInConfig is the embedded default.yaml, decoded and validated, with no environment
// variables applied: the config of tests and benchmarks.
func BuiltInConfig() (Config, error) {
	src := &Source{Name: BuiltIn, Body: DefaultYAML}
	cfg, err := src.decodeWith(nil, false)
	if err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, src.locate(err)
	}
	return cfg, nil
}
