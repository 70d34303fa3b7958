// Package copies finds the articles that are one story republished:
// syndicated agency copy, a site's rewrite with a new headline, a credit
// line ("(Reuters) —", "Источник: КазТАГ"), a reader footer, a trimmed
// ending or another site's template around the same text. It gives the
// store what it needs to show a story once with its copies, and the
// earliest of them as the one that published first.
//
// The stage has three steps. NewSketch reads an article's extracted body
// text (never its title) into a Sketch; the store keeps its BandKeys as
// (band key, article id) rows and its MarshalBinary blob beside the
// article. A new article's candidates are the articles sharing any of its
// 32 band keys: 32 indexed look-ups (or one IN query), no scan. Verify
// drops the candidates that are not copies, and Group turns the verified
// pairs into clusters, earliest member first.
//
// # Sketching
//
// Words are runs of letters and digits, folded with textfold.Fold, so
// case, punctuation, script and spelling do not matter: Жанаозен,
// Zhanaozen and Schanaosen are one word. Shingles are five consecutive
// words; each word is hashed once with xxh3 and each shingle is the xxh3
// hash of its five words' hashes. Five words is long enough that
// different stories about the same events share almost no shingles
// (names, "16 December 2011" and stock sentences give a few), short
// enough that a paragraph rewritten in places still shares most of
// them. On the dev half, four to seven words all separated the set;
// three let a shared background paragraph join two stories at lower
// thresholds.
//
// The MinHash signature has 64 values, one per permutation x -> a·x+b
// (mod 2⁶⁴, a odd) of the shingle hashes, with fixed constants. One
// strong hash per shingle and cheap permutations of it cost one multiply
// and add per shingle and value (about a tenth of NewSketch's time;
// folding is most of the rest), against 64 hashes of the bytes per
// shingle with seeded hashing. Since the inputs are already xxh3 outputs,
// the permutations' weak independence does not bias the estimate. The
// least value of each permutation orders by its high bits, which a
// multiplication mixes from all of x's bits.
//
// # Banding
//
// The signature is cut into 32 bands of 2 rows; a band's key is the xxh3
// hash of its number and its two values. Two texts with Jaccard similarity
// J share at least one key with probability 1-(1-J²)³²:
//
//	J     0.02   0.05   0.1    0.2    0.3    0.4    0.5
//	P     0.013  0.077  0.28   0.73   0.951  0.9962 0.9999
//
// So two rows, not more: a copy trimmed to its first 40 % with a template
// around it has J near 0.35 with the whole text, and must still be found
// (P 0.98). The cost is candidates that share a few phrases and that
// Verify then drops: on the evaluation set about 7 % of the candidates
// were not copies. Bands of three rows (20, 32 or 64 of them) lost 1-9 %
// of the true pairs as candidates on the dev half, against 0.1 % here.
//
// # Verification
//
// Verify computes the containment |A∩B| / min(|A|,|B|) of the two
// shingle sets, not Jaccard, so that a trimmed copy scores as high as a
// whole one. It calls a copy 0.525 and more: on the dev half the highest
// containment between different stories was 0.48 (a short copy in a
// template, against another article in the same template) and the lowest
// between copies 0.57 (a copy trimmed, templated and footered, against
// the original); 0.525 is halfway. A sketch keeps for this the 256
// smallest 32-bit shingle hashes (bottom-k) and the number of distinct
// shingles. When both texts have at most 256 distinct shingles (about 260
// words) the containment is exact; above that it is estimated from the
// bottom-256 of the union of the two samples (standard error about 0.03
// at the threshold, so a pair within about 0.06 of it may fall either
// way). Two different shingles with the same 32-bit hash could count as
// shared; among 256 of each that happens once in some 65,000 pairs and
// moves the score by one shingle.
//
// A text of fewer than 50 distinct shingles (about 54 words: a headline,
// a teaser of two or three sentences) gives an Empty sketch, which has no
// band keys and never verifies: a teaser that shares its lead sentence
// with another story would otherwise be "contained" in it. Texts between
// 50 and 100 shingles are where a template or a shared background box
// weighs most; the evaluation's shortest copies (40 % of 150 words) sit
// there.
//
// # Storage
//
// MarshalBinary writes a version byte, the shingle count, the 32 band
// keys and the sample: at most 1,285 bytes per article (1 + 2 + 256 +
// 2 + 1,024), less for texts under 256 shingles, 2-3 bytes for an Empty
// sketch. The band keys are also stored as 32 INTEGER rows per article
// for the look-up. UnmarshalSketch refuses other versions: changing a
// parameter here means a new version and re-sketching the stored texts.
//
// # Measured
//
// The evaluation (eval_test.go) takes real texts as originals: the
// trafilatura-eval pages whose text holds every ground-truth segment and
// has 150 words or more (771), and the fixture site's Zhanaozen stories.
// Each gets six copies (credit and headline; footer; trimmed to 40-60 %;
// template; trimmed with footer and credit; all of these), the fixture
// stories also one with a shared background box. Distractors are 240
// texts per half of real sentences with the names, dates and stock
// sentences of Zhanaozen coverage between them. The originals are split
// once by a hash of their file name; the parameters were chosen on the
// dev half. On the test half (2,926 texts in 629 groups): pairwise
// precision 1.0000, recall 1.0000, adjusted Rand index 1.0000; 99.45 %
// of the true pairs found directly, the rest through a chain; no false
// pair verified. SHA-256 of the normalised text, what presswatch did
// before, has recall 0.0001: every transformation changes the text. The
// appeal's seven translations: none joined, as expected of a method on
// words.
//
// All functions are pure and safe for concurrent use.
package copies
