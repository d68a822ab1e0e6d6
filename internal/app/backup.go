package app

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pingan/internal/backup"
	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/pii"
	"pingan/internal/store"
)

const backupUsage = `Usage:
  pingan backup create --out FILE (--passphrase-file FILE | --recipient age1...) [--data DIR] [--database-url URL]
  pingan backup restore --in FILE (--passphrase-file FILE | --identity FILE) --data NEWDIR [--database-url URL]

create may run while the server runs. Keep the passphrase or the age identity away from the
backup: the archive holds the key that decrypts personal information.
`

func runBackup(ctx context.Context, args []string, cio IO) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "restore") {
		fmt.Fprint(cio.Stderr, backupUsage)
		return usageError{"backup: give create or restore"}
	}
	action, args := args[0], args[1:]
	fs := newFlags("backup "+action, cio)
	finish := config.Flags(fs, cio.Env)
	passFile := fs.String("passphrase-file", "", "file whose first line is the passphrase")
	out := fs.String("out", "", "create: archive to write")
	in := fs.String("in", "", "restore: archive to read")
	recipient := fs.String("recipient", "", "create: age public key (age1…) to encrypt to")
	identity := fs.String("identity", "", "restore: age identity file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	pass := ""
	if *passFile != "" {
		b, err := os.ReadFile(*passFile)
		if err != nil {
			return usageError{"read passphrase file: " + err.Error()}
		}
		pass = strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
		if len([]rune(pass)) < 12 {
			return usageError{"passphrase is too short: use at least 12 characters"}
		}
	}
	if action == "create" {
		if *out == "" {
			return usageError{"backup create: give --out FILE"}
		}
		to, err := backup.Recipient(pass, *recipient)
		if err != nil {
			return usageError{"backup create: " + err.Error()}
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
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return usageError{"backup create: " + err.Error()}
		}
		start := time.Now()
		m, err := backup.Create(ctx, backup.Source{DB: e.db.SQL(), Dialect: e.db.Dialect(), SchemaVersion: v, DataDir: cfg.DataDir}, f, to)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out)
			return err
		}
		if town, err := e.db.FirstTown(ctx); err == nil {
			e.db.AppendAudit(ctx, store.AuditFor(cliActor(town.ID), "backup.create", "backup", 0, domain.OutcomeSuccess, filepath.Base(*out)))
		}
		st, _ := os.Stat(*out)
		fmt.Fprintf(cio.Stdout, "备份已写入 %s（%s，%d 字节，用时 %.1f 秒）。\n", *out, m.Dialect, st.Size(), time.Since(start).Seconds())
		if !m.KeyIncluded {
			fmt.Fprintln(cio.Stdout, "注意：个人信息密钥来自环境变量 PINGAN_PII_KEY，未包含在备份中，请另行妥善保管。")
		}
		return nil
	}

	if *in == "" {
		return usageError{"backup restore: give --in FILE"}
	}
	secret := ""
	if *identity != "" {
		b, err := os.ReadFile(*identity)
		if err != nil {
			return usageError{"read identity file: " + err.Error()}
		}
		secret = string(b)
	}
	ids, err := backup.Identity(pass, secret)
	if err != nil {
		return usageError{"backup restore: " + err.Error()}
	}
	f, err := os.Open(*in)
	if err != nil {
		return usageError{"backup restore: " + err.Error()}
	}
	defer f.Close()
	var pgDB *store.DB
	target := backup.Target{DataDir: cfg.DataDir, OpenPostgres: func(ctx context.Context) (*sql.DB, error) {
		if cfg.DatabaseURL == "" {
			return nil, fmt.Errorf("this backup is of a PostgreSQL database: give --database-url of an empty database")
		}
		// The restored key is not there yet; a throwaway keyring is enough to run migrations.
		keys, err := pii.NewKeyring("restore", map[string][]byte{"restore": make([]byte, 32)})
		if err != nil {
			return nil, err
		}
		pgDB, err = store.Open(ctx, store.Options{URL: cfg.DatabaseURL, Keys: keys})
		if err != nil {
			return nil, err
		}
		return pgDB.SQL(), nil
	}}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	m, err := backup.Restore(ctx, f, ids, target)
	if pgDB != nil {
		pgDB.Close()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cio.Stdout, "已从 %s 恢复（备份时间 %s，%s）到数据目录 %s。启动：pingan serve --data %s\n",
		*in, domain.FormatTime(m.CreatedAt), m.Dialect, cfg.DataDir, cfg.DataDir)
	return nil
}
