//go:build !race

package copies

const raceEnabled = false
