package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func parse(args []string, env map[string]string) (Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	finish := Flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return finish()
}

func TestDefaultsWork(t *testing.T) {
	c, err := parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "data" || c.Listen != "127.0.0.1:8080" || c.FileStore != "disk" || c.AuditRetentionDays != 190 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	env := map[string]string{"PINGAN_DATA": "/srv/env", "PINGAN_LISTEN": "0.0.0.0:9000", "PINGAN_DATABASE_URL": "postgres://x/y"}
	c, err := parse([]string{"--data", "/srv/flag"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/srv/flag" || c.Listen != "0.0.0.0:9000" || c.FileStore != "database" {
		t.Errorf("config = %+v", c)
	}
}

func TestInvalidSettingsRejected(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--listen", "8080"}, "listen address"},
		{[]string{"--database-url", "mysql://x"}, "postgres://"},
		{[]string{"--file-store", "s3"}, "file store"},
		{[]string{"--log-level", "loud"}, "log level"},
		{[]string{"--audit-retention-days", "30"}, "at least 190"},
		{[]string{"--data", " "}, "data folder"},
	}
	for _, c := range cases {
		_, err := parse(c.args, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want it to mention %q", c.args, err, c.want)
		}
	}
}
