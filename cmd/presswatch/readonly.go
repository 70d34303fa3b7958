package main

import (
	"fmt"
	"io"
	"log/slog"
)

// readOnlyData says what a data folder that cannot be written (why, from
// store.Store.ReadOnly) means for the command: an error naming the folder
// for a command that writes, a log line for one that only reads (serve
// --no-crawl), which goes on.
func (c *common) readOnlyData(why error, log *slog.Logger) error {
	if !c.readsOnly {
		return refuseReadOnly(c.data, why)
	}
	msg := fmt.Sprintf("data folder %s is read-only (%v)", abs(c.data), why)
	log.Warn(msg + ": serving reads only; crawling, imports and digests are off")
	return nil
}

// noteReadOnly tells a reading command's user, on stderr, that the data
// folder is read-only; why is nil when it is not.
func (c *common) noteReadOnly(stderr io.Writer, why error) {
	if why != nil {
		fmt.Fprintf(stderr, "data folder %s is read-only (%v): reading only\n", abs(c.data), why)
	}
}

// refuseReadOnly is the error of a command that writes to the data folder
// when the folder cannot be written (why, from store.Store.ReadOnly); nil
// when why is nil.
func refuseReadOnly(folder string, why error) error {
	if why == nil {
		return nil
	}
	return fmt.Errorf("data folder %s is read-only (%v): this command writes to it; make it writable, or use search, sources or serve --no-crawl", abs(folder), why)
}
