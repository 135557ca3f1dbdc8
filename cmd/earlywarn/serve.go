package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/web"
)

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the leaders' review app on the database (and run the screening on schedule)",
		Long: `Serve the review app: users from the config's serve.users sign in, browse the latest
watchlist, open matters with their evidence and take ownership, set plans, record progress,
resolve or dismiss them; every action goes to the audit log. The server holds the database:
while it runs, start the screening from the server (an admin's 运行筛查 button, or serve.run_at
for a daily run) instead of with earlywarn run.`,
		Example: `  earlywarn serve
  earlywarn serve --config /etc/earlywarn.yaml --addr 127.0.0.1:8080 --lang en`,
	}
	addConfigFlag(cmd)
	cmd.Flags().String("db", "", "DuckDB file (config: database)")
	cmd.Flags().String("input", "", "input folder the server's screening runs read (config: input)")
	cmd.Flags().String("out", "", "output folder of the server's screening runs (config: output)")
	cmd.Flags().String("lang", "", "language of the pages: zh or en (config: lang)")
	cmd.Flags().String("addr", "", "listen address (config: serve.addr, default "+configs.DefaultAddr+")")
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
		logger := log.New(cmd.ErrOrStderr(), "earlywarn serve: ", log.LstdFlags)
		loc, _ := time.LoadLocation(cfg.TimeZone) // Load checked it
		srv, err := web.New(ctx, db, web.Options{
			Lang: cfg.Lang, Serve: cfg.Serve, Log: logger, Location: loc,
			Run: func(ctx context.Context) (string, error) {
				s, err := pipeline.Run(ctx, plan, pipeline.Options{Version: version, DB: db})
				if err != nil {
					return "", err
				}
				return s.RunID, nil
			},
		})
		if err != nil {
			return fmt.Errorf("review app: %w", err)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w; choose another address with --addr or serve.addr", addr, err)
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
		fmt.Fprintf(cmd.OutOrStdout(), "review app: http://%s/ (database %s; stop with Ctrl-C)\n", ln.Addr(), cfg.Database)
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

var lockPID = regexp.MustCompile(`PID (\d+)`)

// serverHoldsDB turns a lock error into one that says to use the server, when the holder is a
// running earlywarn serve.
func serverHoldsDB(dbPath string, err error) error {
	if !errors.Is(err, pipeline.ErrLocked) {
		return err
	}
	li, ok := web.ReadLockInfo(dbPath)
	m := lockPID.FindStringSubmatch(err.Error())
	if !ok || m == nil || m[1] != strconv.Itoa(li.PID) {
		return err
	}
	return fmt.Errorf("%w: %s is held by the review server (earlywarn serve, PID %d, http://%s/); start the screening from the server instead: sign in as an admin and press 运行筛查 (Run screening now), or set serve.run_at for a daily run; or stop the server first", pipeline.ErrLocked, dbPath, li.PID, li.Addr)
}

func newHashPasswordCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hash-password",
		Short: "Read a password from stdin and print its bcrypt hash for serve.users",
		Long: `Read one line from standard input, the password, and print its bcrypt hash to put in
the config as a user's password_hash. The password itself is stored nowhere.`,
		Example: "  earlywarn hash-password < pw.txt",
	}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return usageErrorf("no password on standard input (%v); pipe one line, e.g. earlywarn hash-password < pw.txt", err)
		}
		if len(pw) > 72 {
			return usageErrorf("the password is longer than 72 bytes, which bcrypt cannot hash")
		}
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), string(h))
		return nil
	}
	return cmd
}
