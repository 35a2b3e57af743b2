package koodrive

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits, in characters.
const (
	MaxUserIDLen   = 64
	MaxUserNameLen = 64
	MaxDeptNameLen = 64
	MaxEmailLen    = 254
	MaxKeyWordLen  = 64
)

// ValidateUserID checks an external user ID: 1-64 characters, no spaces or
// control characters.
func ValidateUserID(field, s string) error {
	if s == "" {
		return Invalid(field, MsgFieldRequired, nil)
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxUserIDLen ||
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return Invalid(field, MsgUserIDInvalid, Params{"Max": MaxUserIDLen})
	}
	return nil
}

// ValidateUserName checks an optional display name.
func ValidateUserName(field, s string) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxUserNameLen || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return Invalid(field, MsgUserNameInvalid, Params{"Max": MaxUserNameLen})
	}
	return nil
}

// ValidateDepartmentName checks a department name: 1-64 characters, no
// control characters and no "/", which separates the names of a path.
func ValidateDepartmentName(field, s string) error {
	if s == "" {
		return Invalid(field, MsgFieldRequired, nil)
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxDeptNameLen ||
		strings.TrimSpace(s) != s || strings.IndexFunc(s, func(r rune) bool { return r == '/' || unicode.IsControl(r) }) >= 0 {
		return Invalid(field, MsgDeptNameInvalid, Params{"Max": MaxDeptNameLen})
	}
	return nil
}

// NormalizeMobile removes the separators people type into phone numbers and
// checks what is left: an optional leading "+" and 5 to 20 digits.
func NormalizeMobile(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", Invalid(field, MsgMobileInvalid, nil)
		}
	}
	out := b.String()
	digits := len(strings.TrimPrefix(out, "+"))
	if digits < 5 || digits > 20 {
		return "", Invalid(field, MsgMobileInvalid, nil)
	}
	return out, nil
}

// ValidateEmail checks a bare email address (no display name).
func ValidateEmail(field, s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > MaxEmailLen || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return Invalid(field, MsgEmailInvalid, nil)
	}
	return nil
}

// FoldKey is the form in which user IDs, emails and department names are
// compared for uniqueness: "Alice" and "alice" are the same person.
func FoldKey(s string) string { return strings.ToLower(s) }
