//go:build race

package digest

// raceEnabled: the race detector makes ingesting the syndicated day slow
// (about 50 s for 2,000 articles), so under -race it is an eighth of the
// day, and its floors are not asserted (see TestDigestOfASyndicatedDay).
const raceEnabled = true
