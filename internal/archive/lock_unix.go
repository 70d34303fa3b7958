//go:build unix

package archive

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes the exclusive lock a writer holds on the file it writes,
// so that another process's Open leaves that file alone. The lock goes
// with the file's close, or the process's end.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tryLock reports whether f could be locked, that is whether no live
// writer holds it.
func tryLock(f *os.File) (bool, error) {
	err := lockFile(f)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
