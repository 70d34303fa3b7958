//go:build !race

package safehtml

const raceEnabled = false
