package signing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// HashPayload returns the lower-case hex SHA-256 of body, the last line of
// the canonical request. A nil or empty body hashes like any empty input.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// StringToSign returns the message that gets HMACed. Hashing the canonical
// request first keeps the HMAC input short and fixed-format.
func StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// Signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed
// by the app secret.
func Signature(secret, stringToSign string) string {
	return hex.EncodeToString(signatureBytes(secret, stringToSign))
}

func signatureBytes(secret, stringToSign string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return m.Sum(nil)
}
