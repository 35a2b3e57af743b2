package signing

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"
)

// Verify checks that r, with raw body bytes body, was signed with secret
// as auth claims: the required headers are signed, X-Date is well formed
// and no older than MaxAge nor more than MaxSkew ahead of now, and the
// signature matches. It does not read r.Body, because the server usually
// needs the bytes afterwards and must read them anyway.
//
// The error wraps ErrMalformed, ErrMissingHeader, ErrDateWindow or
// ErrSignatureMismatch. The signature is checked last and in constant
// time, so the cheap checks cannot leak anything about it.
func Verify(r *http.Request, body []byte, auth Authorization, secret string, now time.Time) error {
	if r == nil || r.URL == nil {
		return fmt.Errorf("%w: request has no URL", ErrMalformed)
	}
	want, err := hex.DecodeString(auth.Signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not hex", ErrMalformed)
	}
	for _, h := range requiredHeaders {
		if !auth.signs(h) {
			return fmt.Errorf("%w: %q is not signed", ErrMissingHeader, h)
		}
	}
	if err := checkDate(r.Header.Get(HeaderDate), now); err != nil {
		return err
	}
	cr, err := CanonicalRequest(r, auth.SignedHeaders, HashPayload(body))
	if err != nil {
		return err
	}
	got := signatureBytes(secret, StringToSign(cr))
	if !hmac.Equal(got, want) {
		return fmt.Errorf("%w: app %q", ErrSignatureMismatch, auth.AppID)
	}
	return nil
}

func checkDate(v string, now time.Time) error {
	if v == "" {
		return fmt.Errorf("%w: no %s header", ErrMissingHeader, HeaderDate)
	}
	t, err := time.Parse(DateFormat, v)
	// time.Parse accepts fractional seconds the layout lacks; insist on the
	// exact form so that one signed date has one spelling.
	if err != nil || t.Format(DateFormat) != v {
		return fmt.Errorf("%w: %s %q is not in %s format", ErrMalformed, HeaderDate, v, DateFormat)
	}
	age := now.Sub(t)
	if age > MaxAge {
		return fmt.Errorf("%w: %s %s is %v old, more than %v", ErrDateWindow, HeaderDate, v, age, MaxAge)
	}
	if -age > MaxSkew {
		return fmt.Errorf("%w: %s %s is %v ahead, more than %v", ErrDateWindow, HeaderDate, v, -age, MaxSkew)
	}
	return nil
}
