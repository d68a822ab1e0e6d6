package password

import (
	"context"
	"strings"
	"testing"

	"pingan/internal/domain"
)

func TestHashAndVerify(t *testing.T) {
	h := NewHasher(Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Pingan-2026!")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q", enc)
	}
	if ok, _ := h.Verify(ctx, "Pingan-2026!", enc); !ok {
		t.Error("right password rejected")
	}
	if ok, _ := h.Verify(ctx, "pingan-2026!", enc); ok {
		t.Error("wrong password accepted")
	}
	if _, err := h.Verify(ctx, "x", "$bcrypt$whatever"); err != ErrMalformed {
		t.Errorf("malformed hash: err = %v", err)
	}
	strong := NewHasher(OWASP, 1)
	if !strong.NeedsRehash(enc) || h.NeedsRehash(enc) {
		t.Error("NeedsRehash does not compare parameters")
	}
}

func TestGenerateSatisfiesPolicy(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		pw := Generate(12)
		if msg := domain.DefaultSecurityPolicy.CheckPassword(pw, "admin"); msg != "" {
			t.Fatalf("generated %q breaks the policy: %s", pw, msg)
		}
		if strings.ContainsAny(pw, "0O1lI") {
			t.Errorf("generated %q has a look-alike character", pw)
		}
		seen[pw] = true
	}
	if len(seen) < 200 {
		t.Errorf("%d distinct passwords of 200", len(seen))
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 1)
	h.slots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "x"); err == nil {
		t.Error("hash ran although no slot was free")
	}
	<-h.slots
}
