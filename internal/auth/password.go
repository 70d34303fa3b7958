package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs: memory in KiB, passes over it, lanes.
type Params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultParams are the costs Hash uses: 64 MiB, 3 passes, 2 lanes.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2}

// MinParams are the weakest costs Verify accepts.
var MinParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	minKey  = 16
)

// ErrMismatch is returned by Verify when the password is not the one hashed.
var ErrMismatch = errors.New("auth: wrong password")

// Hash returns the PHC string of password under DefaultParams with a fresh
// random salt.
func Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	return hashWith(password, salt, DefaultParams), nil
}

func hashWith(password string, salt []byte, p Params) string {
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether password matches the PHC string phc: nil when it
// does, ErrMismatch when it does not, another error when phc is malformed
// or its parameters are weaker than MinParams. The comparison takes the
// same time wherever the keys differ.
func Verify(password, phc string) error {
	p, salt, key, err := Parse(phc)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// Parse reads a PHC string of argon2id, version 19, and checks its
// parameters against MinParams.
func Parse(phc string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("auth: hash: not a PHC string of 5 fields")
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("auth: hash: algorithm %q, want argon2id", parts[1])
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, fmt.Errorf("auth: hash: version %q, want v=%d", parts[2], argon2.Version)
	}
	var threads uint32
	n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads)
	if err != nil || n != 3 || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, threads) {
		return p, nil, nil, fmt.Errorf("auth: hash: parameters %q, want m=N,t=N,p=N", parts[3])
	}
	if threads > 255 {
		return p, nil, nil, fmt.Errorf("auth: hash: %d lanes, at most 255", threads)
	}
	p.Threads = uint8(threads)
	if p.Memory < MinParams.Memory || p.Time < MinParams.Time || p.Threads < MinParams.Threads {
		return p, nil, nil, fmt.Errorf("auth: hash: parameters %s weaker than m=%d,t=%d,p=%d",
			parts[3], MinParams.Memory, MinParams.Time, MinParams.Threads)
	}
	if p.Memory < 8*uint32(p.Threads) {
		return p, nil, nil, fmt.Errorf("auth: hash: memory %d KiB below 8 per lane", p.Memory)
	}
	b64 := base64.RawStdEncoding.Strict() // one spelling per salt and key
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("auth: hash: salt is not base64 of at least 8 bytes")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < minKey {
		return p, nil, nil, fmt.Errorf("auth: hash: key is not base64 of at least %d bytes", minKey)
	}
	return p, salt, key, nil
}
