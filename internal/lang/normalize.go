package lang

import "strings"

// iso6391 lists every ISO 639-1 code.
const iso6391 = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs " +
	"ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo " +
	"fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is " +
	"it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo " +
	"lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc " +
	"oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn " +
	"so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur " +
	"uz ve vi vo wa wo xh yi yo za zh zu"

var twoLetter = func() map[string]bool {
	m := make(map[string]bool, 190)
	for _, c := range strings.Fields(iso6391) {
		m[c] = true
	}
	return m
}()

// aliases maps what pages write instead of an ISO 639-1 code: withdrawn
// codes, country codes used as language codes (lang="kz" is common on
// Kazakh sites, "ua" on Ukrainian ones), ISO 639-2/3 codes and names of the
// languages presswatch follows and of their neighbours.
var aliases = map[string]string{
	// Withdrawn ISO 639-1 codes.
	"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro",
	// Country codes written as language codes.
	"kz": "kk", "ua": "uk", "cz": "cs", "gr": "el", "jp": "ja", "dk": "da",
	// ISO 639-2/T, 639-2/B and 639-3.
	"eng": "en", "rus": "ru", "kaz": "kk", "deu": "de", "ger": "de",
	"fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "pol": "pl",
	"por": "pt", "ukr": "uk", "kir": "ky", "uzb": "uz", "uzn": "uz",
	"bel": "be", "bul": "bg", "mkd": "mk", "mac": "mk", "mon": "mn",
	"khk": "mn", "aze": "az", "tur": "tr", "tat": "tt", "tgk": "tg",
	"tuk": "tk", "zho": "zh", "chi": "zh", "cmn": "zh",
	"ara": "ar", "fas": "fa", "per": "fa", "nld": "nl", "dut": "nl",
	"ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "jpn": "ja",
	"kor": "ko", "ron": "ro", "rum": "ro", "heb": "he", "hun": "hu",
	"fin": "fi", "swe": "sv", "nor": "no", "dan": "da", "lit": "lt",
	"lav": "lv", "est": "et", "kat": "ka", "geo": "ka", "hye": "hy",
	"arm": "hy",
	// English names.
	"english": "en", "russian": "ru", "kazakh": "kk", "german": "de",
	"french": "fr", "spanish": "es", "italian": "it", "polish": "pl",
	"portuguese": "pt", "ukrainian": "uk", "kyrgyz": "ky", "kirghiz": "ky",
	"uzbek": "uz",
	// Native names.
	"русский": "ru", "қазақ": "kk", "қазақша": "kk", "deutsch": "de",
	"français": "fr", "español": "es", "italiano": "it", "polski": "pl",
	"português": "pt", "українська": "uk", "кыргызча": "ky", "o'zbek": "uz",
	"oʻzbek": "uz", "ўзбек": "uz",
}

// Normalize maps a declared language, as found in <html lang>, og:locale,
// a Content-Language header or a feed's <language>, to its ISO 639-1 code:
// "ru-RU", "kk_KZ", "EN", "kaz", "rus", "Russian" and "ru, en" all give a
// code. Region, script and encoding suffixes are dropped ("kk-Cyrl-KZ",
// "en_US.UTF-8"); only the first of several languages is kept. Any other
// valid ISO 639-1 code comes back lower-cased; anything else gives "".
func Normalize(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, ",;"); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	if code, ok := aliases[t]; ok {
		return code
	}
	if i := strings.IndexAny(t, "-_. "); i >= 0 {
		t = t[:i]
	}
	if code, ok := aliases[t]; ok {
		return code
	}
	if twoLetter[t] {
		return t
	}
	return ""
}
