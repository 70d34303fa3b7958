// Package archive writes every HTTP exchange of the crawler to WARC 1.1
// files and reads them back: Verify, ReadResponse, CopyExchange.
// (Full description to follow.)
package archive
