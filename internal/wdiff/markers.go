package wdiff

// markerPhrases are whole paragraphs that are boilerplate, lower-cased
// and normalised (see isMarker). Add a phrase only if no article
// paragraph could consist of it alone.
var markerPhrases = setOf(
	// English
	"read more", "read also", "also read", "see also", "more", "more on this story",
	"most read", "most popular", "most viewed", "popular", "trending",
	"related", "related articles", "related stories", "related news", "related content",
	"related topics", "more stories", "more news", "top stories", "latest news", "latest",
	"share", "share this", "share this article", "share this story", "share article",
	"tweet", "email", "e-mail", "print", "copy link", "subscribe", "sign up", "newsletter",
	"advertisement", "advert", "sponsored", "comments", "comment", "leave a comment",
	"follow us", "tags", "topics", "back to top", "skip to content", "menu", "home",
	"listen", "listen to this article", "close",
	// Russian
	"читайте также", "читать также", "читать далее", "читать полностью", "подробнее", "далее",
	"самое читаемое", "самое популярное", "популярное", "популярные новости", "главное",
	"главное за день", "по теме", "новости по теме", "материалы по теме", "смотрите также",
	"см. также", "ещё", "еще", "ещё по теме", "еще по теме", "другие новости", "выбор редакции",
	"поделиться", "поделитесь", "подписаться", "подпишитесь", "подписывайтесь", "реклама",
	"комментарии", "комментировать", "теги", "метки", "последние новости", "лента новостей",
	"новости", "распечатать", "версия для печати", "печать", "наверх", "меню", "главная", "слушать",
	// Kazakh
	"тағы оқыңыз", "бөлісу", "пікірлер", "жаңалықтар", "өзге жаңалықтар",
)

// markerPrefixes begin boilerplate paragraphs when followed by a space or
// punctuation ("Read more: ...", "Подписывайтесь на наш канал").
var markerPrefixes = []string{
	"read more", "read also", "also read", "see also", "related", "more on",
	"subscribe to", "sign up for", "sign up to", "share on", "share via", "follow us",
	"join us on", "download our app",
	"читайте также", "читайте нас", "читать также", "подробнее", "смотрите также",
	"подписывайтесь на", "подпишитесь на", "подписаться на", "поделиться в", "следите за нами",
	"по теме", "реклама", "тағы оқыңыз",
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
