package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/web"
)

func newServeCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: p.T("cli.cmd.serve.short"),
		Long:  p.T("cli.cmd.serve.long"),
		Example: examples(p,
			"cli.cmd.serve.example.default", "earlywarn serve",
			"cli.cmd.serve.example.flags", "earlywarn serve --config /etc/earlywarn.yaml --addr 127.0.0.1:8080 --lang en"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("db", "", p.T("cli.flag.db"))
	cmd.Flags().String("input", "", p.T("cli.flag.serve_input"))
	cmd.Flags().String("out", "", p.T("cli.flag.serve_out"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.serve"))
	cmd.Flags().String("addr", "", p.T("cli.flag.addr", configs.DefaultAddr))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		plan, err := loadPlan(cmd, map[string]string{"db": "database", "input": "input", "out": "output", "lang": "lang", "addr": "serve.addr"})
		if err != nil {
			return err
		}
		cfg := plan.Config
		if err := errors.Join(cfg.Serve.Validate()...); err != nil {
			return cfg.Locate(err) // run needs no users, so Load checks serve only when it is there
		}
		addr := cfg.Serve.Addr
		if addr == "" {
			addr = configs.DefaultAddr
		}
		ctx := cmd.Context()
		db, err := pipeline.OpenDB(ctx, cfg.Database, cfg)
		if err != nil {
			return serverHoldsDB(cfg.Database, err)
		}
		defer db.Close()
		if err := pipeline.EnsureSchema(ctx, db, cfg.Database); err != nil {
			return err
		}
		logger := log.New(cmd.ErrOrStderr(), "earlywarn serve: ", log.LstdFlags)
		loc, _ := time.LoadLocation(cfg.TimeZone) // Load checked it
		srv, err := web.New(ctx, db, web.Options{
			Lang: cfg.Lang, Serve: cfg.Serve, Log: logger, Location: loc,
			Run: func(ctx context.Context) (string, error) {
				s, err := pipeline.Run(ctx, plan, pipeline.Options{Version: version, DB: db})
				if err != nil {
					return "", err
				}
				if s.Standing != "" {
					return s.Standing, nil // nothing new: that run's results stand
				}
				return s.RunID, nil
			},
		})
		if err != nil {
			return i18n.Wrap(err, "cli.serve.app")
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return i18n.Errorf("cli.serve.listen", addr, err)
		}
		if err := web.WriteLockInfo(cfg.Database, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
		defer web.RemoveLockInfo(cfg.Database)
		if cfg.Serve.RunAt != "" {
			go srv.Schedule(ctx, cfg.Serve.RunAt, loc)
		}
		hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: logger}
		fmt.Fprintln(cmd.OutOrStdout(), i18n.T(cfg.Lang, "cli.serve.listening", ln.Addr(), cfg.Database))
		errc := make(chan error, 1)
		go func() { errc <- hs.Serve(ln) }()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return hs.Shutdown(shutdown)
		}
	}
	return cmd
}

// serverHoldsDB turns a lock error into one that says to use the server, when the holder is a
// running earlywarn serve.
func serverHoldsDB(dbPath string, err error) error {
	var locked *pipeline.LockError
	if !errors.As(err, &locked) {
		return err
	}
	li, ok := web.ReadLockInfo(dbPath)
	if !ok || locked.PID != li.PID {
		return err
	}
	return &heldByServer{err: err, path: dbPath, pid: li.PID, addr: li.Addr}
}

// heldByServer is a lock error (err) whose holder is the review server.
type heldByServer struct {
	err  error
	path string
	pid  int
	addr string
}

func (e *heldByServer) Error() string { return e.Localize(i18n.Default) }

func (e *heldByServer) Localize(lang string) string {
	return i18n.T(lang, "cli.server_holds_db", e.path, e.pid, e.addr)
}

func (e *heldByServer) Unwrap() error { return e.err }
