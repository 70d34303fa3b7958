//go:build race

package copies

// raceEnabled: the race detector makes the evaluation slow, so it runs on
// a fixed eighth of the originals (see readNewsTexts).
const raceEnabled = true
