// Package auth hashes and checks administrators' passwords with argon2id.
//
// A hash is kept as a PHC string,
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<key> (unpadded standard base64),
// so its parameters travel with it. Verify refuses a hash whose parameters
// are weaker than MinParams, so a row tampered to cost nothing is not
// accepted.
package auth
