package gencorpus

// The deployment's names, as the press writes them. A frame (a short
// news sentence per language) holds placeholders: %P Zhanaozen, %N
// Nazarbayev, %S Natalia Sokolova, %A Aktau, %M Mangystau, %K Vadim
// Kuramshin, %O Ozenmunaigas, and in distractor frames %Z a different
// place (Zhanatas, Zhanatalap) and %V a different person (a Sokolov).
// Each placeholder is filled with one spelling: usually one of the
// frame's language (inflected forms included), sometimes one from any
// language, as quotes and translations bring in.

// spellings maps a placeholder to its spellings per language.
var spellings = map[string]map[string][]string{
	"%P": {
		"ru": {"Жанаозен", "Жанаозене", "Жанаозена", "Жанаозеном", "Новый Узень"},
		"kk": {"Жаңаөзен", "Жаңаөзенде", "Жаңаөзеннің", "Жанаозен"},
		"en": {"Zhanaozen", "Janaozen", "Zhanaozen's", "Jañaözen"},
		"de": {"Schanaosen", "Zhanaozen", "Schanaozen"},
		"fr": {"Janaozen", "Zhanaozen", "Jañaözen"},
		"es": {"Zhanaozén", "Zhanaozen", "Janaozen"},
		"it": {"Zhanaozen", "Janaozen"},
		"pl": {"Żanaozeń", "Żanaozeniu", "Żanaozenie", "Zhanaozen"},
		"pt": {"Zhanaozen", "Janaozen", "Jañaözen"},
	},
	"%N": {
		"ru": {"Назарбаев", "Назарбаева", "Назарбаеву"},
		"kk": {"Назарбаев", "Назарбаевтің"},
		"en": {"Nazarbayev", "Nazarbaev"},
		"de": {"Nasarbajew", "Nazarbajew"},
		"fr": {"Nazarbaïev", "Nazarbaev"},
		"es": {"Nazarbáyev", "Nazarbayev"},
		"it": {"Nazarbaev", "Nazarbayev", "Nazarbaiev"},
		"pl": {"Nazarbajew", "Nazarbajewa"},
		"pt": {"Nazarbaiev", "Nazarbayev"},
	},
	"%S": {
		"ru": {"Наталья Соколова", "Натальи Соколовой", "Соколова"},
		"kk": {"Наталья Соколова"},
		"en": {"Natalia Sokolova", "Natalya Sokolova"},
		"de": {"Natalija Sokolowa", "Natalia Sokolowa"},
		"fr": {"Natalia Sokolova"},
		"es": {"Natalia Sokolova"},
		"it": {"Natalia Sokolova"},
		"pl": {"Natalia Sokołowa", "Natalii Sokołowej"},
		"pt": {"Natália Sokolova", "Natalia Sokolova"},
	},
	"%A": {
		"ru": {"Актау"},
		"kk": {"Ақтау", "Ақтаудағы", "Ақтауда"},
		"en": {"Aktau", "Aqtau"},
		"de": {"Aktau"},
		"fr": {"Aktaou", "Aktau"},
		"es": {"Aktau"},
		"it": {"Aktau"},
		"pl": {"Aktau"},
		"pt": {"Aktau"},
	},
	"%M": {
		"ru": {"Мангистау", "Мангистауской области", "Мангыстау"},
		"kk": {"Маңғыстау", "Маңғыстау облысында"},
		"en": {"Mangystau", "Mangistau"},
		"de": {"Mangistau"},
		"fr": {"Manguistaou", "Mangystau"},
		"es": {"Mangystau"},
		"it": {"Mangistau"},
		"pl": {"Mangystau", "Mangystauskiego"},
		"pt": {"Mangystau"},
	},
	"%K": {
		"ru": {"Вадим Курамшин", "Курамшину", "Курамшина"},
		"kk": {"Вадим Курамшин"},
		"en": {"Vadim Kuramshin"},
		"de": {"Wadim Kuramschin"},
		"fr": {"Vadim Kouramchine"},
		"es": {"Vadim Kuramshin"},
		"it": {"Vadim Kuramshin"},
		"pl": {"Wadim Kuramszyn"},
		"pt": {"Vadim Kuramshin"},
	},
	"%O": {
		"ru": {"Озенмунайгаз", "Озенмунайгаза"},
		"kk": {"Өзенмұнайгаз"},
		"en": {"Ozenmunaigas", "OzenMunaiGas"},
		"de": {"Ozenmunaigas"},
		"fr": {"Ozenmounaïgaz", "Ozenmunaigas"},
		"es": {"Ozenmunaigas"},
		"it": {"Ozenmunaigas"},
		"pl": {"Ozenmunaigas"},
		"pt": {"Ozenmunaigas"},
	},
	"%Z": {
		"ru": {"Жанатасе", "Жанатас"},
		"kk": {"Жаңатаста", "Жаңатас"},
		"en": {"Zhanatas", "Zhanatalap"},
	},
	"%V": {
		"ru": {"Игорь Соколов", "Соколов"},
		"kk": {"Игорь Соколов"},
		"en": {"Igor Sokolov"},
	},
}

// topicFrames are sentences about the Zhanaozen events, per language.
var topicFrames = map[string][]string{
	"ru": {
		"Нефтяники %P продолжают забастовку и требуют повышения зарплаты.",
		"16 декабря в %P полиция открыла огонь по бастующим нефтяникам.",
		"Президент %N объявил чрезвычайное положение в городе.",
		"Адвокат %S рассказала о суде над нефтяниками в %A.",
		"Рабочие %O в %M вышли на митинг.",
		"Юрист профсоюза %K был задержан после поездки в %P.",
	},
	"kk": {
		"%P мұнайшылары жалақыны көтеруді талап етіп ереуілді жалғастыруда.",
		"Желтоқсанның 16-сы күні %P полиция ереуілшілерге оқ атты.",
		"Президент %N төтенше жағдай жариялады.",
		"Адвокат %S %A сотында сөз сөйледі.",
		"%M %O жұмысшылары наразылық білдірді.",
	},
	"en": {
		"Striking oil workers in %P demanded higher wages.",
		"On 16 December police in %P opened fire on the strikers.",
		"President %N declared a state of emergency in the town.",
		"The lawyer %S spoke at the trial of oil workers in %A.",
		"Workers of %O in the %M region went on strike.",
		"%K, who had reported on the strike in %P, was detained.",
	},
	"de": {
		"Die streikenden Ölarbeiter in %P forderten höhere Löhne.",
		"Am 16. Dezember schoss die Polizei in %P auf streikende Arbeiter.",
		"Präsident %N verhängte den Ausnahmezustand über die Stadt.",
		"Die Anwältin %S sprach beim Prozess in %A.",
		"Die Arbeiter von %O im Gebiet %M traten in den Streik.",
	},
	"fr": {
		"Les travailleurs du pétrole en grève à %P réclament des hausses de salaire.",
		"Le 16 décembre, la police a tiré sur les grévistes à %P.",
		"Le président %N a décrété l'état d'urgence dans la ville.",
		"L'avocate %S a pris la parole au procès à %A.",
		"Les ouvriers d'%O dans la région de %M se sont mis en grève.",
	},
	"es": {
		"Los trabajadores petroleros en huelga en %P exigen aumentos salariales.",
		"El 16 de diciembre la policía disparó contra los huelguistas en %P.",
		"El presidente %N declaró el estado de emergencia en la ciudad.",
		"La abogada %S habló en el juicio de %A.",
		"Los obreros de %O en la región de %M se declararon en huelga.",
	},
	"it": {
		"I lavoratori del petrolio in sciopero a %P chiedono aumenti salariali.",
		"Il 16 dicembre la polizia ha sparato sugli scioperanti a %P.",
		"Il presidente %N ha dichiarato lo stato di emergenza in città.",
		"L'avvocata %S ha parlato al processo di %A.",
		"Gli operai della %O nella regione di %M hanno scioperato.",
	},
	"pl": {
		"Strajkujący naftowcy w %P domagają się podwyżek płac.",
		"16 grudnia policja w %P otworzyła ogień do strajkujących.",
		"Prezydent %N ogłosił stan wyjątkowy w mieście.",
		"Adwokatka %S przemawiała na procesie w %A.",
		"Robotnicy %O w obwodzie %M rozpoczęli strajk.",
	},
	"pt": {
		"Os petroleiros em greve em %P exigem aumentos salariais.",
		"Em 16 de dezembro a polícia abriu fogo contra os grevistas em %P.",
		"O presidente %N declarou estado de emergência na cidade.",
		"A advogada %S falou no julgamento em %A.",
		"Os operários da %O na região de %M entraram em greve.",
	},
}

// distractorFrames name other places and people whose names look like
// the deployment's: a search for Zhanaozen or Sokolova must not find them.
var distractorFrames = map[string][]string{
	"ru": {"В %Z открылась новая школа, сообщил %V."},
	"kk": {"%Z жаңа мектеп ашылды, деді %V."},
	"en": {"%V opened a new school in %Z."},
	"de": {"%V eröffnete eine neue Schule in %Z."},
	"fr": {"%V a ouvert une nouvelle école à %Z."},
	"es": {"%V abrió una nueva escuela en %Z."},
	"it": {"%V ha aperto una nuova scuola a %Z."},
	"pl": {"%V otworzył nową szkołę w %Z."},
	"pt": {"%V abriu uma nova escola em %Z."},
}

// placeholders lists the codes fill replaces, in a fixed order so that
// the random choices, and so the articles, are the same on every run.
var placeholders = []string{"%P", "%N", "%S", "%A", "%M", "%K", "%O", "%Z", "%V"}
