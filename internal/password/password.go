// Package password hashes and verifies staff passwords with argon2id.
//
// The parameters follow the OWASP Password Storage Cheat Sheet's first argon2id configuration
// (19 MiB of memory, 2 iterations, 1 degree of parallelism). Each hash holds 19 MiB while it runs,
// so a Hasher bounds how many run at once: a flood of sign-in requests waits for a slot instead
// of exhausting memory.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters stored with each hash.
type Params struct {
	MemoryKiB  uint32
	Iterations uint32
	Threads    uint8
}

// OWASP is the recommended argon2id configuration: m=19456 KiB, t=2, p=1.
var OWASP = Params{MemoryKiB: 19 * 1024, Iterations: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher hashes and verifies passwords with at most a fixed number of hashes in flight.
// It is safe for concurrent use.
type Hasher struct {
	params Params
	slots  chan struct{}
}

// NewHasher returns a Hasher that runs at most concurrency hashes at once.
func NewHasher(p Params, concurrency int) *Hasher {
	if concurrency < 1 {
		concurrency = 1
	}
	return &Hasher{params: p, slots: make(chan struct{}, concurrency)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC-format string of password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.params.Iterations, h.params.MemoryKiB, h.params.Threads, keyLen)
	h.release()
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.params.MemoryKiB,
		h.params.Iterations, h.params.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrMalformed reports a stored hash that is not in the expected format.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether password matches encoded. It uses the parameters stored in encoded,
// so hashes made with older parameters still verify.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Threads); err != nil {
		return false, ErrMalformed
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Threads, uint32(len(want)))
	h.release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than the Hasher's.
func (h *Hasher) NeedsRehash(encoded string) bool {
	want := fmt.Sprintf("m=%d,t=%d,p=%d", h.params.MemoryKiB, h.params.Iterations, h.params.Threads)
	parts := strings.Split(encoded, "$")
	return len(parts) != 6 || parts[3] != want
}

// Generate returns a random password of n characters that satisfies the default policy: it
// mixes lower and upper case letters, digits and symbols, and avoids look-alike characters.
func Generate(n int) string {
	const (
		lower  = "abcdefghijkmnpqrstuvwxyz"
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits = "23456789"
		symbol = "@#%+=-"
	)
	sets := []string{lower, upper, digits, symbol}
	all := lower + upper + digits + symbol
	if n < len(sets) {
		n = len(sets)
	}
	out := make([]byte, n)
	for i := range out {
		set := all
		if i < len(sets) {
			set = sets[i]
		}
		out[i] = set[randIndex(len(set))]
	}
	// Shuffle so the guaranteed classes are not always in front.
	for i := len(out) - 1; i > 0; i-- {
		j := randIndex(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func randIndex(n int) int {
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		// Reject values past the largest multiple of n to avoid modulo bias.
		if int(b[0]) < 256-256%n {
			return int(b[0]) % n
		}
	}
}
