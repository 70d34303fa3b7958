package web

// The texts of the import page (import.go). Part of messages.

var importEN = map[string]string{
	"import.title":        "Import files",
	"import.intro":        "Saved material becomes articles as with `presswatch import`: HTML pages, feed files (RSS, Atom, JSON Feed), plain text, e-mail messages (.eml) and mbox archives. Importing a file again finds its articles already there; binary files are refused.",
	"import.files":        "Files (at most %d MiB in all)",
	"import.source":       "Source id to file them under",
	"import.url":          "Web address they were saved from (a single file only; may be empty)",
	"import.button":       "Import",
	"import.link":         "Import files",
	"import.summary":      "%d files: %d new, %d updated, %d already there, %d refused.",
	"import.refused":      "Refused",
	"import.again":        "Import more files",
	"import.err.nofile":   "Choose one or more files to import.",
	"import.err.large":    "The upload is larger than %d MiB in all; send fewer files at a time, or run `presswatch import` on the machine.",
	"import.cut":          "The upload went past %d MiB in all: the files after those counted were not read.",
	"import.err.source":   "%q is not a valid source id (lower-case letters, digits, - and _, at most 64).",
	"import.err.off":      "Files can be imported from the web only when presswatch serve runs.",
	"import.err.readonly": "Files cannot be imported here: %v.",
	// A search hit whose URL a browser may not follow (an imported file
	// without a web address) links the text presswatch stored instead.
	"import.stored":       "stored copy",
	"import.stored.title": "No address a browser may open is known (an imported file has none): the text presswatch stored",
}

var importRU = map[string]string{
	"import.title":        "Загрузка файлов",
	"import.intro":        "Сохранённые материалы становятся статьями, как при `presswatch import`: страницы HTML, файлы лент (RSS, Atom, JSON Feed), простой текст, письма (.eml) и архивы mbox. Повторно загруженный файл находит свои статьи уже на месте; двоичные файлы отклоняются.",
	"import.files":        "Файлы (всего не больше %d МиБ)",
	"import.source":       "Идентификатор источника для них",
	"import.url":          "Веб-адрес, откуда они сохранены (только для одного файла; можно не указывать)",
	"import.button":       "Загрузить",
	"import.link":         "Загрузить файлы",
	"import.summary":      "Файлов: %d; новых статей: %d, обновлённых: %d, уже были: %d, отклонено: %d.",
	"import.refused":      "Отклонены",
	"import.again":        "Загрузить ещё файлы",
	"import.err.nofile":   "Выберите один или несколько файлов для загрузки.",
	"import.err.large":    "Загрузка больше %d МиБ в сумме; отправляйте меньше файлов за раз или запустите `presswatch import` на самой машине.",
	"import.cut":          "Загрузка превысила %d МиБ в сумме: файлы после учтённых не прочитаны.",
	"import.err.source":   "%q — недопустимый идентификатор источника (строчные латинские буквы, цифры, - и _, не больше 64).",
	"import.err.off":      "Загружать файлы через веб можно, только когда работает presswatch serve.",
	"import.err.readonly": "Файлы здесь импортировать нельзя: %v.",
	"import.stored":       "сохранённая копия",
	"import.stored.title": "Адрес, который можно открыть в браузере, неизвестен (у импортированного файла его нет): текст, сохранённый presswatch",
}
