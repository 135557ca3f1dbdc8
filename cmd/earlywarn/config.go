package main

import (
	"errors"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/rules"
)

// loadConfig loads the config named by --config (or the default), with the flags the user set
// over it (flagKeys maps a flag to its config key), and holds Go's memory to its share of
// memory_limit (pipeline.GoMemoryLimit). The config is validated; every error names
// its file and line, or the flag that set the value. With an error, the config is returned
// too when it could be decoded (cfg.Decoded()).
func loadConfig(cmd *cobra.Command, flagKeys map[string]string) (configs.Config, error) {
	path, _ := cmd.Flags().GetString("config")
	src, err := configs.ReadSource(path, cmd.Flags().Changed("config"))
	if err != nil {
		return configs.Config{}, err
	}
	set := map[string]string{}
	src.Flags = map[string]string{}
	for flag, key := range flagKeys {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			set[key] = f.Value.String()
			src.Flags[key] = "--" + flag
		}
	}
	cfg, err := src.Decode(set)
	if cfg.Decoded() {
		setLang(cmd.Context(), cfg.Lang)
	}
	if err == nil {
		if n := pipeline.GoMemoryLimit(cfg); n > 0 {
			debug.SetMemoryLimit(n)
		}
	}
	return cfg, err
}

// loadPlan loads the config (see loadConfig) and prepares it: its rules compiled and its
// DuckDB settings checked, once. A config with problems has its rules compiled all the same,
// so that every problem is reported at once.
func loadPlan(cmd *cobra.Command, flagKeys map[string]string) (*pipeline.Plan, error) {
	cfg, err := loadConfig(cmd, flagKeys)
	if err != nil {
		if cfg.Decoded() {
			if _, rerr := rules.Compile(cfg.Rules, cfg.Clocks); rerr != nil {
				err = cfg.Locate(errors.Join(err, rerr))
			}
		}
		return nil, err
	}
	return pipeline.Prepare(cmd.Context(), cfg)
}

// asOfAuto is --as-of's value for the latest date in the data not after today.
const asOfAuto = "auto"

// parseDay reads a date flag: YYYY-MM-DD, or (when auto is allowed) "auto" or "" for the zero
// date.
func parseDay(flag, value string, auto bool) (time.Time, error) {
	if auto && (value == asOfAuto || value == "") {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, value)
	if err != nil {
		if auto {
			return time.Time{}, usageErrorf("cli.bad_date_auto", flag, value)
		}
		return time.Time{}, usageErrorf("cli.bad_date", flag, value)
	}
	return d, nil
}
