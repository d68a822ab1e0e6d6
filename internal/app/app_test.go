package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pingan/internal/store/storetest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// run calls Run with args and returns stdout, stderr and the error.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, envOf(env), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// startServer runs `pingan serve` until the test ends and returns its address and output.
func startServer(t *testing.T, env map[string]string, args ...string) (string, *ServerOutput) {
	t.Helper()
	return StartTestServer(t, env, args...)
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestServeEmptyFolderCreatesAdministrators(t *testing.T) {
	data := t.TempDir()
	addr, out := startServer(t, nil, "--data", data)
	if n := strings.Count(out.String(), "一次性密码："); n != 3 {
		t.Errorf("printed %d one-time passwords, want 3:\n%s", n, out.String())
	}
	for _, p := range []string{"/healthz", "/readyz", "/signin"} {
		if s := getStatus(t, "http://"+addr+p); s != http.StatusOK {
			t.Errorf("%s: status %d", p, s)
		}
	}
	st, err := os.Stat(filepath.Join(data, "keys", "pii.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
}

func TestServeDemoOnceThenServesWhatIsThere(t *testing.T) {
	data := t.TempDir()
	out, _, err := run(t, nil, "", "demo", "--data", data, "--until", "2026-12-04")
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	if !strings.Contains(out, "pingan stats --data "+data+" --from 2026-06-05 --to 2026-12-04 --json") {
		t.Errorf("demo output lacks the stats command:\n%s", out)
	}
	st, err := os.Stat(filepath.Join(data, "demo-accounts.txt"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("demo-accounts.txt: %v; want mode 0600", err)
	}
	_, _, err = run(t, nil, "", "demo", "--data", data)
	if err == nil || ExitCode(err) != 2 || !strings.Contains(err.Error(), "已有数据") {
		t.Errorf("second demo load: err = %v (exit %d), want a refusal with exit 2", err, ExitCode(err))
	}
	_, srvOut := startServer(t, nil, "--data", data, "--demo")
	if !strings.Contains(srvOut.String(), "已有数据") || strings.Contains(srvOut.String(), "一次性密码") {
		t.Errorf("serve --demo on a loaded folder:\n%s", srvOut.String())
	}
}

func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, nil, "", "demo", "--data", data); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PINGAN_DATA": data}
	out, _, err := run(t, env, "Xinzhanghao-2026\n", "user", "add", "--username", "newstaff", "--name", "新同事", "--org", "司法所", "--role", "unit_handler")
	if err != nil || !strings.Contains(out, "已建立账号 newstaff") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"weak password", "weak\n", []string{"user", "add", "--username", "weak1", "--name", "甲", "--org", "司法所"}, "密码至少需要"},
		{"unknown org", "Xinzhanghao-2026\n", []string{"user", "add", "--username", "lost1", "--name", "乙", "--org", "不存在"}, "找不到组织"},
		{"taken username", "Xinzhanghao-2026\n", []string{"user", "add", "--username", "newstaff", "--name", "丙", "--org", "司法所"}, "已被占用"},
		{"no password", "", []string{"user", "passwd", "newstaff"}, "标准输入"},
		{"unknown user", "Another-Pass-2026\n", []string{"user", "unlock", "ghost"}, "不存在"},
		{"unknown action", "", []string{"user", "delete", "newstaff"}, "unknown action"},
	}
	for _, c := range cases {
		_, _, err := run(t, env, c.stdin, c.args...)
		if err == nil || ExitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want exit 2 mentioning %q", c.name, err, c.want)
		}
	}
	if out, _, err := run(t, env, "Another-Pass-2026\n", "user", "passwd", "newstaff"); err != nil || !strings.Contains(out, "新密码") {
		t.Errorf("user passwd: %v %s", err, out)
	}
	if out, _, err := run(t, env, "", "user", "unlock", "newstaff"); err != nil || !strings.Contains(out, "已解锁") {
		t.Errorf("user unlock: %v %s", err, out)
	}
}

func TestStatsPrintsOneJSONObject(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, nil, "", "demo", "--data", data, "--until", "2026-12-04"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, nil, "", "stats", "--data", data, "--from", "2026-06-05", "--to", "2026-12-04", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if m["from"] != "2026-06-05" || m["to"] != "2026-12-04" || m["town"] != "高桥镇" {
		t.Errorf("stats = %v", m)
	}
	if _, _, err := run(t, nil, "", "stats", "--data", data, "--from", "2026-13-01", "--json"); ExitCode(err) != 2 {
		t.Errorf("bad date: err = %v, want exit 2", err)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	cases := [][]string{
		{"frobnicate"},
		{"serve", "--listen", "nonsense"},
		{"serve", "--database-url", "mysql://x"},
		{"serve", "--audit-retention-days", "30"},
		{"demo", "--until", "yesterday"},
		{"backup"},
	}
	for _, args := range cases {
		_, _, err := run(t, map[string]string{"PINGAN_DATA": t.TempDir()}, "", args...)
		if ExitCode(err) != 2 {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	if out, _, err := run(t, nil, "", "version"); err != nil || !strings.HasPrefix(out, "pingan ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestMigrateOnPostgres(t *testing.T) {
	url := storetest.NewPostgresSchema(t)
	out, _, err := run(t, map[string]string{"PINGAN_DATABASE_URL": url, "PINGAN_DATA": t.TempDir()}, "", "migrate")
	if err != nil || !strings.Contains(out, "postgres") {
		t.Errorf("migrate: %v %s", err, out)
	}
}

func TestBackupAndRestore(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			src := t.TempDir()
			env := map[string]string{"PINGAN_DATA": src}
			if dialect == "postgres" {
				env["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
				env["PINGAN_FILE_STORE"] = "database"
			}
			if _, _, err := run(t, env, "", "demo"); err != nil {
				t.Fatal(err)
			}
			// The server runs while the backup is taken.
			addr, _ := startServer(t, env)
			if s := getStatus(t, "http://"+addr+"/readyz"); s != 200 {
				t.Fatalf("readyz %d", s)
			}
			pass := filepath.Join(t.TempDir(), "pass")
			os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600)
			archive := filepath.Join(t.TempDir(), "pingan.age")
			out, _, err := run(t, env, "", "backup", "create", "--out", archive, "--passphrase-file", pass)
			if err != nil {
				t.Fatalf("backup create: %v\n%s", err, out)
			}
			raw, _ := os.ReadFile(archive)
			if bytes.Contains(raw, []byte("高桥镇")) || !bytes.HasPrefix(raw, []byte("age-encryption.org/v1")) {
				t.Error("archive is not age-encrypted")
			}

			wrong := filepath.Join(t.TempDir(), "wrong")
			os.WriteFile(wrong, []byte("not the right passphrase\n"), 0o600)
			dst := t.TempDir()
			restoreEnv := map[string]string{"PINGAN_DATA": dst}
			if dialect == "postgres" {
				restoreEnv["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
				restoreEnv["PINGAN_FILE_STORE"] = "database"
			}
			if _, _, err := run(t, restoreEnv, "", "backup", "restore", "--in", archive, "--passphrase-file", wrong); err == nil {
				t.Error("restore with the wrong passphrase succeeded")
			}
			if out, _, err := run(t, restoreEnv, "", "backup", "restore", "--in", archive, "--passphrase-file", pass); err != nil {
				t.Fatalf("restore: %v\n%s", err, out)
			}
			// The restored copy serves the same data: the demo accounts sign in with their passwords.
			accounts, _ := os.ReadFile(filepath.Join(src, "demo-accounts.txt"))
			m := regexp.MustCompile(`(?m)^  dispatcher\s+(\S+)`).FindSubmatch(accounts)
			if m == nil {
				t.Fatal("demo-accounts.txt lacks the dispatcher")
			}
			before := statsJSON(t, env)
			after := statsJSON(t, restoreEnv)
			if before != after {
				t.Errorf("stats differ after restore:\n%s\n%s", before, after)
			}
			addr2, _ := startServer(t, restoreEnv)
			if !signInWorks(t, addr2, "dispatcher", string(m[1])) {
				t.Error("a demo account cannot sign in to the restored copy")
			}
			if _, _, err := run(t, restoreEnv, "", "backup", "restore", "--in", archive, "--passphrase-file", pass); err == nil {
				t.Error("restore into a folder or database that holds data succeeded")
			}
		})
	}
}

func statsJSON(t *testing.T, env map[string]string) string {
	t.Helper()
	out, _, err := run(t, env, "", "stats", "--json", "--to", "2026-12-04")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func signInWorks(t *testing.T, addr, user, pw string) bool {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm("http://"+addr+"/signin", map[string][]string{"username": {user}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/admin"
}

// TestDemoDatabaseHasNoPlainMobileNumbers loads the demo and searches the SQLite files for the
// demo accounts' mobile numbers.
func TestDemoDatabaseHasNoPlainMobileNumbers(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, nil, "", "demo", "--data", data); err != nil {
		t.Fatal(err)
	}
	var contents []byte
	for _, name := range []string{"pingan.db", "pingan.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(data, name))
		contents = append(contents, b...)
	}
	if len(contents) == 0 {
		t.Fatal("no database file")
	}
	for i := 0; i < 14; i++ {
		phone := "1390573" + itoa4(1001+i)
		if bytes.Contains(contents, []byte(phone)) {
			t.Errorf("mobile number %s found in plain text", phone)
		}
	}
}

func itoa4(n int) string {
	s := "0000" + strconv.Itoa(n)
	return s[len(s)-4:]
}
