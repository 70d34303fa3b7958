package farm

// labels are the words of a site's template in one language.
type labels struct {
	nav                                        [7]string // sections; the first is where articles live
	home, by, related, comments, mostRead      string
	share, subscribe, login, search, tags      string
	about, contact, ads, privacy, rights, send string
	months                                     [12]string
}

// siteLabels has the template words of every generated language.
var siteLabels = map[string]labels{
	"en": {
		nav:  [7]string{"News", "Politics", "Economy", "Society", "World", "Culture", "Opinion"},
		home: "Home", by: "By", related: "Related stories", comments: "Comments", mostRead: "Most read",
		share: "Share", subscribe: "Subscribe", login: "Log in", search: "Search", tags: "Topics",
		about: "About us", contact: "Contact", ads: "Advertising", privacy: "Privacy policy",
		rights: "All rights reserved. Reproduction only with a link to the source.", send: "Post comment",
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	},
	"ru": {
		nav:  [7]string{"Новости", "Политика", "Экономика", "Общество", "В мире", "Культура", "Мнения"},
		home: "Главная", by: "Автор:", related: "Читайте также", comments: "Комментарии", mostRead: "Самое читаемое",
		share: "Поделиться", subscribe: "Подписаться", login: "Войти", search: "Поиск", tags: "Темы",
		about: "О нас", contact: "Контакты", ads: "Реклама", privacy: "Политика конфиденциальности",
		rights: "Все права защищены. Перепечатка только со ссылкой на источник.", send: "Отправить",
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	},
	"kk": {
		nav:  [7]string{"Жаңалықтар", "Саясат", "Экономика", "Қоғам", "Әлем", "Мәдениет", "Пікір"},
		home: "Басты бет", by: "Авторы:", related: "Тақырыпқа қатысты", comments: "Пікірлер", mostRead: "Көп оқылған",
		share: "Бөлісу", subscribe: "Жазылу", login: "Кіру", search: "Іздеу", tags: "Тақырыптар",
		about: "Біз туралы", contact: "Байланыс", ads: "Жарнама", privacy: "Құпиялылық саясаты",
		rights: "Барлық құқықтар қорғалған. Көшіріп басу тек сілтемемен.", send: "Жіберу",
		months: [12]string{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
	},
	"de": {
		nav:  [7]string{"Nachrichten", "Politik", "Wirtschaft", "Gesellschaft", "Welt", "Kultur", "Meinung"},
		home: "Startseite", by: "Von", related: "Mehr zum Thema", comments: "Kommentare", mostRead: "Meistgelesen",
		share: "Teilen", subscribe: "Abonnieren", login: "Anmelden", search: "Suche", tags: "Themen",
		about: "Über uns", contact: "Kontakt", ads: "Werbung", privacy: "Datenschutz",
		rights: "Alle Rechte vorbehalten. Nachdruck nur mit Quellenangabe.", send: "Kommentar senden",
		months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	},
	"fr": {
		nav:  [7]string{"Actualités", "Politique", "Économie", "Société", "Monde", "Culture", "Opinions"},
		home: "Accueil", by: "Par", related: "À lire aussi", comments: "Commentaires", mostRead: "Les plus lus",
		share: "Partager", subscribe: "S'abonner", login: "Se connecter", search: "Rechercher", tags: "Sujets",
		about: "Qui sommes-nous", contact: "Contact", ads: "Publicité", privacy: "Confidentialité",
		rights: "Tous droits réservés. Reproduction interdite sans citation de la source.", send: "Publier",
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	},
	"es": {
		nav:  [7]string{"Noticias", "Política", "Economía", "Sociedad", "Mundo", "Cultura", "Opinión"},
		home: "Inicio", by: "Por", related: "Noticias relacionadas", comments: "Comentarios", mostRead: "Lo más leído",
		share: "Compartir", subscribe: "Suscríbete", login: "Iniciar sesión", search: "Buscar", tags: "Temas",
		about: "Quiénes somos", contact: "Contacto", ads: "Publicidad", privacy: "Política de privacidad",
		rights: "Todos los derechos reservados. Prohibida su reproducción sin citar la fuente.", send: "Enviar",
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	},
	"it": {
		nav:  [7]string{"Notizie", "Politica", "Economia", "Società", "Mondo", "Cultura", "Opinioni"},
		home: "Home", by: "Di", related: "Articoli correlati", comments: "Commenti", mostRead: "I più letti",
		share: "Condividi", subscribe: "Abbonati", login: "Accedi", search: "Cerca", tags: "Argomenti",
		about: "Chi siamo", contact: "Contatti", ads: "Pubblicità", privacy: "Informativa sulla privacy",
		rights: "Tutti i diritti riservati. Riproduzione consentita solo citando la fonte.", send: "Invia",
		months: [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	},
	"pl": {
		nav:  [7]string{"Wiadomości", "Polityka", "Gospodarka", "Społeczeństwo", "Świat", "Kultura", "Opinie"},
		home: "Strona główna", by: "Autor:", related: "Czytaj także", comments: "Komentarze", mostRead: "Najczęściej czytane",
		share: "Udostępnij", subscribe: "Subskrybuj", login: "Zaloguj się", search: "Szukaj", tags: "Tematy",
		about: "O nas", contact: "Kontakt", ads: "Reklama", privacy: "Polityka prywatności",
		rights: "Wszelkie prawa zastrzeżone. Przedruk tylko z podaniem źródła.", send: "Wyślij",
		months: [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
	},
	"pt": {
		nav:  [7]string{"Notícias", "Política", "Economia", "Sociedade", "Mundo", "Cultura", "Opinião"},
		home: "Início", by: "Por", related: "Leia também", comments: "Comentários", mostRead: "Mais lidas",
		share: "Partilhar", subscribe: "Assinar", login: "Entrar", search: "Pesquisar", tags: "Temas",
		about: "Quem somos", contact: "Contactos", ads: "Publicidade", privacy: "Política de privacidade",
		rights: "Todos os direitos reservados. Reprodução só com indicação da fonte.", send: "Enviar",
		months: [12]string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	},
}

// bylines are the authors of the farm's articles, in Latin and Cyrillic.
var bylines = []string{
	"Aigerim Nurlanova", "Daniyar Seitkali", "Елена Ковальчук", "Асхат Жумабаев", "Marat Tokhtarov",
	"Anna Schneider", "Claire Dubois", "Lucía Fernández", "Marco Bellini", "Katarzyna Nowak",
	"João Almeida", "Ержан Сейтқали", "Sarah Mitchell", "Игорь Лебедев",
}

// siteNames are the stems of the hosts' names.
var siteNames = []string{
	"Steppe Herald", "Caspian Courier", "Mangystau Today", "Daily Observer", "Evening Post",
	"Oil Coast News", "Central Asia Monitor", "Free Press", "Morning Bulletin", "Regional Review",
}

// zones are the offsets a language's sites write their dates in.
var zones = map[string]int{"ru": 5, "kk": 5, "en": 0, "de": 1, "fr": 1, "es": 1, "it": 1, "pl": 1, "pt": 0}
