//go:build !unix

package archive

import "os"

// Without flock a file being written by another process cannot be told
// apart; run one presswatch per archive folder there.
func lockFile(*os.File) error { return nil }

func tryLock(*os.File) (bool, error) { return true, nil }
