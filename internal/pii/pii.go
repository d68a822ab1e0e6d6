// Package pii encrypts personal information at rest and masks it for display.
//
// Ciphertexts use a versioned envelope, "pii1.<algorithm>.<key id>.<base64 nonce||ciphertext>",
// so that keys can rotate and another algorithm (SM4-GCM for 商用密码 assessments) can be added
// beside AES-256-GCM without rewriting stored rows. Look-ups by value (a mobile number, a query
// code) go through a keyed HMAC-SHA256 hash, never through the ciphertext.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const (
	envelopePrefix = "pii1"
	algAESGCM      = "a256gcm"
)

// Keyring holds the current key for new ciphertexts and every older key still needed to decrypt.
// It is safe for concurrent use once built.
type Keyring struct {
	currentID string
	aeads     map[string]cipher.AEAD
	hashKey   []byte
}

// NewKeyring builds a keyring from 32-byte master keys by id; current names the key that
// encrypts. The hash key is derived from the current master key with HKDF, so it stays fixed
// only while the current key does: rotating keys means rehashing look-up columns.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	k := &Keyring{currentID: current, aeads: map[string]cipher.AEAD{}}
	for id, key := range keys {
		if len(key) != 32 {
			return nil, fmt.Errorf("pii key %q: want 32 bytes, got %d", id, len(key))
		}
		if strings.ContainsAny(id, ".") || id == "" {
			return nil, fmt.Errorf("pii key id %q: must be non-empty and contain no dot", id)
		}
		encKey, err := hkdf.Key(sha256.New, key, nil, "pingan pii encryption", 32)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(encKey)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.aeads[id] = aead
		if id == current {
			k.hashKey, err = hkdf.Key(sha256.New, key, nil, "pingan pii lookup hash", 32)
			if err != nil {
				return nil, err
			}
		}
	}
	if _, ok := k.aeads[current]; !ok {
		return nil, fmt.Errorf("pii: current key %q is not in the keyring", current)
	}
	return k, nil
}

// Encrypt returns the envelope of plaintext, or "" for an empty plaintext.
func (k *Keyring) Encrypt(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	aead := k.aeads[k.currentID]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, []byte(plaintext), []byte(k.currentID))
	return envelopePrefix + "." + algAESGCM + "." + k.currentID + "." + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Decrypt opens an envelope made by Encrypt with any key in the ring; "" decrypts to "".
func (k *Keyring) Decrypt(envelope string) (string, error) {
	if envelope == "" {
		return "", nil
	}
	parts := strings.SplitN(envelope, ".", 4)
	if len(parts) != 4 || parts[0] != envelopePrefix {
		return "", errors.New("pii: not an envelope")
	}
	if parts[1] != algAESGCM {
		return "", fmt.Errorf("pii: unsupported algorithm %q", parts[1])
	}
	aead, ok := k.aeads[parts[2]]
	if !ok {
		return "", fmt.Errorf("pii: unknown key id %q", parts[2])
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[3])
	if err != nil {
		return "", fmt.Errorf("pii: bad envelope encoding: %w", err)
	}
	if len(raw) < aead.NonceSize() {
		return "", errors.New("pii: envelope too short")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(parts[2]))
	if err != nil {
		return "", fmt.Errorf("pii: decrypt: %w", err)
	}
	return string(plain), nil
}

// Hash returns the keyed look-up hash of value as hex, or "" for an empty value. Callers
// normalize the value first (for example, strip spaces from a mobile number).
func (k *Keyring) Hash(value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, k.hashKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// LoadOrCreateKey returns the master key from env (base64 of 32 bytes) when it is set, or else
// from the file at path, creating the file with mode 0600 and a random key when it is missing.
func LoadOrCreateKey(envValue, path string) ([]byte, error) {
	if envValue != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(envValue))
		if err != nil || len(key) != 32 {
			return nil, errors.New("PINGAN_PII_KEY must be the base64 encoding of 32 random bytes")
		}
		return key, nil
	}
	data, err := os.ReadFile(path)
	if err == nil {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("key file %s is damaged: want the base64 encoding of 32 bytes", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}
