// Package app wires pingan together: it parses the command line, opens the database and runs
// the subcommands. Run is the whole program, so start-up can be tested end to end.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"pingan/internal/config"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/pii"
	"pingan/internal/store"
)

// usageError marks a mistake on the command line; the process exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// ExitCode returns 2 for a command-line mistake and 1 for any other error.
func ExitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// IO is where a subcommand reads and writes.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Env    config.Env
}

const usage = `pingan: the township safety and governance platform (平安网)

Usage:
  pingan [serve] [--data DIR] [--listen ADDR] [--demo]   run the web server (the default)
  pingan demo --data DIR [--until YYYY-MM-DD]            load the demo town 高桥镇 into an empty data folder
  pingan user add|passwd|unlock ...                      manage accounts from the shell
  pingan migrate [--data DIR]                            apply database migrations and exit
  pingan backup create|restore ...                       write or restore an encrypted backup
  pingan stats --data DIR --from DATE --to DATE --json   print the statistics of a period
  pingan version                                         print the version

Every subcommand takes --help. Settings also come from PINGAN_* environment variables.
`

// Run runs the pingan command line with args (without the program name).
func Run(ctx context.Context, args []string, env config.Env, stdin io.Reader, stdout, stderr io.Writer) error {
	cio := IO{Stdin: stdin, Stdout: stdout, Stderr: stderr, Env: env}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, cio)
	case "demo":
		return runDemo(ctx, args, cio)
	case "user":
		return runUser(ctx, args, cio)
	case "migrate":
		return runMigrate(ctx, args, cio)
	case "backup":
		return runBackup(ctx, args, cio)
	case "stats":
		return runStats(ctx, args, cio)
	case "version":
		fmt.Fprintln(stdout, "pingan", Version(), runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

// Version returns the module version or the VCS revision the binary was built from.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}

// newFlags returns a FlagSet for a subcommand that reports errors instead of exiting.
func newFlags(name string, cio IO) *flag.FlagSet {
	fs := flag.NewFlagSet("pingan "+name, flag.ContinueOnError)
	fs.SetOutput(cio.Stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// env is what a subcommand opens: the configuration, the database and the file storage.
type env struct {
	cfg    config.Config
	db     *store.DB
	files  files.Storage
	hasher *password.Hasher
}

func (e *env) Close() error { return e.db.Close() }

// open loads the key, opens the database (applying migrations) and the file storage.
func open(ctx context.Context, cfg config.Config) (*env, error) {
	key, err := pii.LoadOrCreateKey(cfg.PIIKey, cfg.KeyPath())
	if err != nil {
		return nil, fmt.Errorf("load personal-information key: %w", err)
	}
	keys, err := pii.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Keys: keys})
	if err != nil {
		return nil, err
	}
	var fstore files.Storage = files.Disk{Dir: cfg.FilesDir()}
	if cfg.FileStore == "database" {
		fstore = files.Database{Store: db}
	}
	// Sign-in hashes take 19 MiB each; two per core bounds the memory a flood can take.
	hasher := password.NewHasher(password.OWASP, 2*runtime.GOMAXPROCS(0))
	return &env{cfg: cfg, db: db, files: fstore, hasher: hasher}, nil
}

func runMigrate(ctx context.Context, args []string, cio IO) error {
	fs := newFlags("migrate", cio)
	finish := config.Flags(fs, cio.Env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	e, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	v, err := e.db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(cio.Stdout, "数据库（%s）已是最新结构，版本 %d。\n", e.db.Dialect(), v)
	return nil
}
