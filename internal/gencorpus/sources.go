package gencorpus

import (
	"time"

	"presswatch/internal/model"
)

// source is one generated source: its id, stance, language and the UTC
// offset its dates are written in.
type source struct {
	id     string
	stance model.Stance
	lang   string
	offset int // hours east of UTC
}

// sources are the 30 generated sources. Ids are single words, so that a
// plain Bleve index with the standard analyzer keeps each as one term.
var sources = []source{
	{"tengrinews", model.StanceState, "ru", 6},
	{"kazinform", model.StanceState, "ru", 6},
	{"nurkz", model.StanceState, "ru", 6},
	{"ria", model.StanceState, "ru", 3},
	{"kaztag", model.StanceIndependent, "ru", 6},
	{"ratel", model.StanceIndependent, "ru", 6},
	{"vlast", model.StanceIndependent, "ru", 6},
	{"fergana", model.StanceIndependent, "ru", 3},
	{"azattyqru", model.StanceInternational, "ru", 6},
	{"socmovement", model.StanceCampaign, "ru", 6},
	{"rferl", model.StanceInternational, "en", 0},
	{"bbc", model.StanceInternational, "en", 0},
	{"reuters", model.StanceInternational, "en", 0},
	{"eurasianet", model.StanceIndependent, "en", -5},
	{"hrw", model.StanceCampaign, "en", -5},
	{"campaignkz", model.StanceCampaign, "en", 0},
	{"azattyq", model.StanceInternational, "kk", 6},
	{"egemen", model.StanceState, "kk", 6},
	{"abai", model.StanceIndependent, "kk", 6},
	{"dw", model.StanceInternational, "de", 1},
	{"taz", model.StanceIndependent, "de", 1},
	{"lemonde", model.StanceInternational, "fr", 1},
	{"humanite", model.StanceCampaign, "fr", 1},
	{"elpais", model.StanceInternational, "es", 1},
	{"rebelion", model.StanceCampaign, "es", 1},
	{"ansa", model.StanceInternational, "it", 1},
	{"manifesto", model.StanceCampaign, "it", 1},
	{"wyborcza", model.StanceInternational, "pl", 1},
	{"lewica", model.StanceCampaign, "pl", 1},
	{"publico", model.StanceInternational, "pt", 0},
}

// Sources returns the generated sources, as the index's WithSources needs
// them. Every article's SourceID is one of their ids.
func Sources() []model.Source {
	out := make([]model.Source, len(sources))
	for i, s := range sources {
		out[i] = model.Source{
			ID:     s.id,
			Name:   s.id,
			Type:   model.SourceFeed,
			URL:    "https://" + s.id + ".example/rss",
			Stance: s.stance,
			Lang:   s.lang,
			Every:  30 * time.Minute,
			Keep:   model.KeepAll,
		}
	}
	return out
}

// langWeights are the languages and their share of articles in percent,
// roughly as the deployment sees them.
var langWeights = []struct {
	lang   string
	weight int
}{
	{"ru", 35}, {"en", 20}, {"kk", 10},
	{"de", 6}, {"fr", 6}, {"es", 6}, {"it", 6}, {"pl", 6}, {"pt", 5},
}

// Langs lists the generated languages, most frequent first.
func Langs() []string {
	out := make([]string, len(langWeights))
	for i, w := range langWeights {
		out[i] = w.lang
	}
	return out
}
