//go:build race

package safehtml

// raceEnabled is true under -race, where the corpus test renders a tenth
// of the pages to stay within a few minutes.
const raceEnabled = true
