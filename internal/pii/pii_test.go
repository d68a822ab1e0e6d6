package pii

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func keyring(t *testing.T, current string, ids ...string) *Keyring {
	t.Helper()
	keys := map[string][]byte{}
	for i, id := range ids {
		keys[id] = bytes.Repeat([]byte{byte(i + 1)}, 32)
	}
	k, err := NewKeyring(current, keys)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestEncryptRoundTripAndRotation(t *testing.T) {
	old := keyring(t, "k1", "k1")
	env, err := old.Encrypt("13800001234")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(env, "pii1.a256gcm.k1.") || strings.Contains(env, "13800001234") {
		t.Fatalf("envelope = %q", env)
	}
	again, _ := old.Encrypt("13800001234")
	if again == env {
		t.Error("two encryptions of one value are equal; the nonce is not random")
	}
	rotated := keyring(t, "k2", "k1", "k2")
	if got, err := rotated.Decrypt(env); err != nil || got != "13800001234" {
		t.Errorf("decrypt with the rotated ring = %q, %v", got, err)
	}
	fresh, _ := rotated.Encrypt("x")
	if !strings.HasPrefix(fresh, "pii1.a256gcm.k2.") {
		t.Errorf("new envelopes use %q, want key k2", fresh)
	}
	tampered := env[:len(env)-2] + "AA"
	if _, err := old.Decrypt(tampered); err == nil {
		t.Error("tampered envelope decrypted")
	}
	if _, err := keyring(t, "k9", "k9").Decrypt(env); err == nil {
		t.Error("envelope decrypted without its key")
	}
}

func TestHashIsKeyedAndStable(t *testing.T) {
	a, b := keyring(t, "k1", "k1"), keyring(t, "k2", "k1", "k2")
	if a.Hash("13800001234") != a.Hash("13800001234") {
		t.Error("hash is not stable")
	}
	if a.Hash("13800001234") == b.Hash("13800001234") {
		t.Error("different keys give the same hash")
	}
	if a.Hash("") != "" {
		t.Error("empty value hashes to a non-empty string")
	}
}

func TestMasks(t *testing.T) {
	cases := []struct{ got, want string }{
		{MaskName("张三丰"), "张**"},
		{MaskName("李四"), "李**"},
		{MaskPhone("13800000000"), "138****0000"},
		{MaskPhone("0573-88001234"), "***********34"},
		{MaskIDNumber("33048319900101123X"), "3****************X"},
		{MaskAddress("高桥镇越丰村扶国桥组12号"), "高桥镇越丰村****"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "pii.key")
	k1, err := LoadOrCreateKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k2, _ := LoadOrCreateKey("", path)
	if !bytes.Equal(k1, k2) {
		t.Error("second load returned another key")
	}
	if _, err := LoadOrCreateKey("not base64", path); err == nil {
		t.Error("bad PINGAN_PII_KEY accepted")
	}
}
