package auth

import (
	"errors"
	"strings"
	"testing"
)

// The argon2 reference implementation's test vector (src/test.c):
// argon2id, v=19, t=2, m=2^16, p=1, "password", "somesalt".
const refVector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

func TestVerifyReferenceVector(t *testing.T) {
	if err := Verify("password", refVector); err != nil {
		t.Fatalf("Verify(reference vector) = %v, want nil", err)
	}
	if err := Verify("Password", refVector); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Verify(wrong password) = %v, want ErrMismatch", err)
	}
}

func TestHashRoundTrip(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("Hash = %q, want the default parameters", h)
	}
	if err := Verify("correct horse battery", h); err != nil {
		t.Fatalf("Verify(own hash) = %v", err)
	}
	if err := Verify("correct horse batterY", h); !errors.Is(err, ErrMismatch) {
		t.Fatalf("Verify(wrong password) = %v, want ErrMismatch", err)
	}
	h2, _ := Hash("correct horse battery")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyRefusesTamperedHash(t *testing.T) {
	parts := strings.Split(refVector, "$")
	key := []byte(parts[5])
	key[3] ^= 1 // 'h' -> 'i': another key of the same length
	flipped := strings.Join(append(parts[:5:5], string(key)), "$")
	cases := map[string]struct {
		phc      string
		mismatch bool // wrong key, else a refused hash
	}{
		"key changed":             {flipped, true},
		"salt changed":            {strings.Replace(refVector, "c29tZXNhbHQ", "c29tZXNhbGQ", 1), true},
		"salt spelt loosely":      {strings.Replace(refVector, "c29tZXNhbHQ", "c29tZXNhbHR", 1), false},
		"weak memory":             {strings.Replace(refVector, "m=65536", "m=1024", 1), false},
		"one pass":                {strings.Replace(refVector, "t=2", "t=1", 1), false},
		"no lanes":                {strings.Replace(refVector, "p=1", "p=0", 1), false},
		"argon2i":                 {strings.Replace(refVector, "argon2id", "argon2i", 1), false},
		"version 16":              {strings.Replace(refVector, "v=19", "v=16", 1), false},
		"missing field":           {"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ", false},
		"empty":                   {"", false},
		"short key":               {strings.Replace(refVector, parts[5], "CTFhFdXPJO1aFaMa", 1), false},
		"parameters out of order": {strings.Replace(refVector, "m=65536,t=2,p=1", "t=2,m=65536,p=1", 1), false},
		"trailing parameter text": {strings.Replace(refVector, "p=1", "p=1x", 1), false},
		"key not base64":          {strings.Replace(refVector, parts[5], "!!!!"+parts[5][4:], 1), false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := Verify("password", c.phc)
			if err == nil {
				t.Fatalf("Verify(%q) = nil, want a refusal", c.phc)
			}
			if c.mismatch != errors.Is(err, ErrMismatch) {
				t.Fatalf("Verify(%q) = %v, want mismatch=%v", c.phc, err, c.mismatch)
			}
			if !strings.HasPrefix(err.Error(), "auth: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
}
