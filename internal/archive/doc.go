// Package archive keeps the proof of what a page said and when: every
// HTTP exchange the crawler makes is written to WARC 1.1 files (ISO 28500),
// and read back to verify them, to show an archived copy, or to hand one
// exchange out as a .warc.gz of its own. It imports nothing of presswatch.
//
// # Writing
//
// A Writer from Open(dir, opts) starts a new file in dir at its first write
// (a run that fetches nothing leaves no file); presswatch never appends to a
// file it did not create in this run. Each file opens with a warcinfo
// record (software presswatch/<Version>, format, conformsTo, hostname,
// operator = Options.Contact, WARC-Filename). WriteExchange then writes
// two records, adjacent, with one write:
//
//   - request: Content-Type application/http;msgtype=request; the block is
//     the request line "<METHOD> <path?query> HTTP/1.1", Host first, then
//     the header as sent, fields sorted by name, then an empty line.
//     presswatch sends no request bodies.
//   - response: Content-Type application/http;msgtype=response,
//     WARC-Concurrent-To the request's WARC-Record-ID; the block is an
//     HTTP/1.1 message rebuilt from what Go's client returned: the status
//     line, the header fields sorted by name (values in their order), an
//     empty line, and the body exactly as presswatch read it.
//
// What the response block changes from the bytes on the wire, so that it
// stays a message a replay tool can read: Go's client has already undone
// chunking, and gzip when it asked for gzip itself (then it has removed
// Content-Encoding and Content-Length); so Transfer-Encoding is dropped and
// Content-Length is set to the length of the body stored. (A 1xx, 204 or
// 304 answer, or one to HEAD, has no body and keeps its Content-Length.)
// An HTTP/2 or HTTP/3 answer is written with an HTTP/1.1 status line, an
// HTTP/1.0 one keeps HTTP/1.0; the reason phrase is the server's when the
// caller gives it, else Go's text for the status. Header order is lost in
// Go's http.Header; CR, LF and NUL in a value would break the message and
// become spaces (Go's client lets none through).
//
// Both records carry WARC-Target-URI, WARC-Date (the time the request was
// sent, in microseconds, which WARC 1.1 allows), WARC-IP-Address when
// known, Content-Length, WARC-Block-Digest and WARC-Payload-Digest.
// WriteMetadata writes a metadata record (application/warc-fields) for
// what is learnt about a page later, such as a web archive's copy of it.
//
// # Digests
//
// Both digests are SHA-256, written "sha256:" and 64 lowercase hex digits
// (base16): presswatch's fetch rows already hold the SHA-256 of each body,
// so a row and its record can be compared (Location.PayloadSHA256), and
// SHA-1, the WARC default, is broken for collisions, which matters for a
// proof. Base16 is what the WARC community recommends for algorithms other
// than SHA-1 and what warcio.js writes for SHA-256 by default;
// Python warcio's checker reads base16, base32 and base64 alike. The
// payload digest covers the body after the HTTP header, as stored.
//
// # Files
//
// Names follow the IIPC recommendation (prefix-timestamp-serial-host) with
// Heritrix's pid~host: presswatch-20261202091500123-00001-4242~host.warc.gz,
// the time to the millisecond. Files are created with O_EXCL, and a name
// already taken moves to the next serial, so two processes starting in the
// same millisecond still get files of their own. Each record is its own
// gzip member, so any record can be read from its offset. A file is closed
// and the next begun when an exchange would take it past Options.MaxSize,
// 1 GiB by default: the size WARC 1.1 (annex C) recommends, quick enough
// to copy and verify, a bounded loss if one file is damaged, and few
// enough files (a crawl of 20,000 pages a day at ~25 KB an exchange makes
// one file every two days). One exchange larger than that gets a file of
// its own. Records are bounded by MaxRecordSize.
//
// # Concurrency, crashes, full disks
//
// A Writer is safe for many goroutines. Records are built (by gowarc's
// record builder, which validates every field, so an invalid record is an
// error and never written) and compressed in the calling goroutine; only
// the write is serialised, and the request and response of one exchange
// go out in one WriteAt, so they are adjacent and a crash leaves at most
// one partial write at the end of a file.
//
// fsync: a file is synced when it is closed (rotation, Close). The caller
// stores its fetch row only after WriteExchange returned, so after a crash
// of presswatch every stored Location points at whole records (they are
// in the kernel's cache). A power cut can lose the last seconds of writes;
// Options.Sync makes every write wait for fsync, at the cost of a disk
// flush per exchange.
//
// At start Open checks the most recently written file (Options.CheckFiles
// for more) that no live writer holds (each writer keeps a flock on its
// file). It reads the last gzip members: when they read whole to the end
// of the file, that is all (2 ms for a 50 MB file). Otherwise it walks the
// whole file's gzip members and record boundaries (not the digests; that
// is Verify's work), about 18 s of CPU per GiB, paid only after a crash.
// Damage inside a file is for Verify to find. A tail cut by a crash is
// copied into <file>.cut-<offset> beside it, synced, and only then cut from
// the file, which is valid again; the Damage returned says which file,
// after how many whole records, at which offset, and why. Damage that is
// not a cut tail (a corrupt member with whole records after it) is reported
// and the file left as it is. Writing goes on in the new file.
//
// A failed write (a full disk, an I/O error) returns an error naming the
// file and the cause, "archive: write presswatch-...warc.gz: no space left
// on device", and never panics. The file is truncated back to the end of
// its last whole record, and the next write tries again in the same file;
// if even the truncation fails, the file is left (the next Open moves its
// cut tail aside, a whole request without its response may stay before
// it) and the next write starts a new file.
//
// # Reading
//
// Verify and VerifyDir read every record, check that each gzip member
// holds exactly one valid WARC record (gowarc's strict validation) and
// recompute every block and payload digest; a report counts records by
// type and gives the first problem with its offset, reading on past a bad
// record to the next whole member. ReadResponse returns what an archived
// copy page shows. CopyExchange copies an exchange's two members byte for
// byte after checking they are one request and its response filling the
// location. Dir does the same for a file name that comes from outside (a
// fetch row, a URL): only a plain *.warc.gz name, opened with
// os.OpenInRoot so neither ".." nor a symbolic link leads out of the
// folder. Every reader bounds a record to MaxRecordSize inflated bytes,
// whatever Content-Length claims.
//
// # Why nlnwa/gowarc
//
// github.com/nlnwa/gowarc/v3 builds records with a builder that validates
// fields and blocks and computes digests with a chosen algorithm and
// encoding, has a strict unmarshaler that checks digests on read, and
// returns errors. internetarchive/gowarc is built around its own HTTP
// client: its rotator panics on an I/O error (a full disk would kill the
// crawler), it fixes the payload digest to SHA-1 outside that client, and
// it keeps counters in package globals. presswatch does not use gowarc's
// WarcFileWriter either: it writes a record's gzip stream to the file in
// many small writes and does not cut a failed record back, so a full disk
// would leave a broken member and wrong offsets. This package builds each
// member in memory with gowarc's builder and marshaler and does the file
// handling itself. (gowarc v3.1.0 sets a google/uuid package variable each
// time it makes options, a data race; this package makes them under a
// mutex.)
//
// # Cost
//
// BenchmarkWriteExchange writes a real 100 KiB news page as one exchange:
// about 1.1 ms of CPU at gzip level 1 (gzip 0.45 ms, the two SHA-256
// passes 0.15 ms, gowarc's building and validation the rest), 26.7 KB on
// disk. Level 6 costs twice the gzip time for files 12 % smaller, so the
// default is level 1 (Options.GzipLevel).
//
// # Replay
//
// The files replay as they are. In pywb:
//
//	wb-manager init coll
//	wb-manager add coll data/warc/*.warc.gz
//	wayback    # then http://localhost:8080/coll/<url>
//
// In ReplayWeb.page, open a .warc.gz file (or the download of one exchange).
package archive
