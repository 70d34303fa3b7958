-- Administrators who may change presswatch from the web, and their login
-- sessions. A session is found by the SHA-256 of its token: the token
-- itself lives only in the administrator's cookie.
CREATE TABLE admins (
    name       TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,     -- argon2id as a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$key)
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,  -- SHA-256 of the cookie's token
    admin      TEXT NOT NULL REFERENCES admins(name) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);
