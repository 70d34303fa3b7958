package lang

import (
	"fmt"
	"strings"

	"github.com/pemistahl/lingua-go"
)

// languages are the languages Detect asks lingua to choose between. The
// binary embeds the models of these and of no others: go.mod replaces
// lingua-go with the pruned copy in third_party/lingua-go, made by its
// PRUNE.sh from this list (TestEmbeddedModels fails when the two differ).
var languages = []lingua.Language{
	lingua.English, lingua.Russian, lingua.Kazakh, lingua.German, lingua.French,
	lingua.Spanish, lingua.Italian, lingua.Polish, lingua.Portuguese, lingua.Ukrainian,
}

// detectorNgram is the n-gram length of the only models the detector reads
// in low-accuracy mode. The pruned copy also keeps the unigram and bigram
// models (165 KB in all), so that no model of a kept language is cut short.
const detectorNgram = 3

// CheckModels returns an error naming each model the detector needs that
// the binary does not embed. It is cheap (no model is read) and is run once
// when the package is initialised; it is exported so a command can report
// the state of its build.
func CheckModels() error { return checkModels(languages) }

// checkModels is CheckModels for a list of languages.
//
// lingua-go treats a missing model as a model that knows no n-gram: every
// text scores zero for that language and is silently labelled with another
// one. A language dropped from the pruned copy's list, or added here
// without its models, must fail at start instead.
func checkModels(langs []lingua.Language) error {
	var missing []string
	for _, l := range langs {
		if !lingua.HasLanguageModel(l, detectorNgram) {
			missing = append(missing, fmt.Sprintf("%s (%s)", lingua.LanguageModelPath(l, detectorNgram), l))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("lang: language models not embedded in this binary: %s; "+
			"regenerate third_party/lingua-go with its PRUNE.sh and every language of lang.languages",
			strings.Join(missing, ", "))
	}
	return nil
}

// init refuses to start a binary that could not tell one of its languages:
// a build fault, like a regular expression that does not compile, and
// found by any test of the package.
func init() {
	if err := CheckModels(); err != nil {
		panic(err)
	}
}
