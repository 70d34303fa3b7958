// Package wdiff compares two versions of an article's text: it says
// whether the publisher edited the article (Same, Substantive) and, when
// it did, shows what changed word by word (Diff, Count, HTML).
//
// It is the comparison stage that runs after a page has been fetched again
// and its text extracted. Call Substantive on the stored and the new text
// to decide whether to record a new version; call Same where any change
// the publisher made counts, boilerplate included. To show a recorded
// change, call Diff on the two texts and give the segments to HTML (for a
// page) or Count (for a list of changes: "3 words removed, 4 added").
//
// The texts are compared in the form Normalize gives them, which takes
// out what differs only in how presswatch read the page (typographic
// quotes and dashes, non-breaking and zero-width spaces, entities and
// <br> left in the text, Unicode composition). Diff works on the texts as
// given: pass it Normalize'd texts to show only what the publisher
// changed, or the stored texts to show them as captured.
//
// All functions are pure, safe for concurrent use and never panic. Diff
// gives up on finding the smallest diff after a second (see Diff), so a
// pair of long, very different texts costs a bounded time.
package wdiff
