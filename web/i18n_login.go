package web

// The texts of the login page. Part of messages.

var loginEN = map[string]string{
	"login.title":    "Log in",
	"login.intro":    "Administrators log in to change topics and digests. An administrator is added with `presswatch admin add NAME`.",
	"login.name":     "Name",
	"login.password": "Password",
	"login.submit":   "Log in",
	"login.failed":   "The name or the password is wrong.",
	"login.wait":     "Too many failed logins: try again later.",
	"login.logout":   "Log out",
	"login.signedin": "Logged in as",
	"error.login":    "Changing topics and digests needs an administrator's login: log in at /login.",
}

var loginRU = map[string]string{
	"login.title":    "Вход",
	"login.intro":    "Администраторы входят, чтобы менять темы и дайджесты. Администратора добавляет команда `presswatch admin add ИМЯ`.",
	"login.name":     "Имя",
	"login.password": "Пароль",
	"login.submit":   "Войти",
	"login.failed":   "Имя или пароль неверны.",
	"login.wait":     "Слишком много неудачных попыток: попробуйте позже.",
	"login.logout":   "Выйти",
	"login.signedin": "Вы вошли как",
	"error.login":    "Чтобы менять темы и дайджесты, войдите как администратор: /login.",
}
