// Package mail delivers presswatch's daily digests by SMTP: Send takes one
// digest as a Message and hands it to the relay of a Config in one
// transaction, to every recipient at once. go-mail composes the message
// (multipart/alternative, text then HTML, the subject encoded per RFC 2047,
// Message-ID, Date, List-Unsubscribe, Auto-Submitted) and speaks SMTP;
// this package chooses TLS (STARTTLS is mandatory unless the config says
// otherwise, and mail in clear never leaves the machine), authenticates
// with PLAIN, honours the context, and reports a failure as an *Error that
// names the server and the stage, says whether a retry may succeed
// (Temporary) and whether the server may have taken the message all the
// same (MayHaveSent). Retrying is the caller's: it resends the same
// Message, with the same MessageID.
package mail
