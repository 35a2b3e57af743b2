package signing

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// Sign adds X-Date (from now, unless r already has one) and Authorization
// to r. It signs host, x-date and x-user-id plus extraHeaders, so r must
// already carry X-User-Id and every extra header.
//
// Sign reads the body to hash it and leaves r ready to send: it prefers a
// fresh copy from r.GetBody, and otherwise buffers the body and replaces
// r.Body (and sets r.GetBody so redirects and retries still work).
func Sign(r *http.Request, appID, secret string, now time.Time, extraHeaders ...string) error {
	if r == nil || r.URL == nil {
		return fmt.Errorf("%w: request has no URL", ErrMalformed)
	}
	if appID == "" {
		return fmt.Errorf("%w: empty app ID", ErrMalformed)
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	if r.Header.Get(HeaderDate) == "" {
		r.Header.Set(HeaderDate, now.UTC().Format(DateFormat))
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	names, err := normalizeHeaderNames(slices.Concat(extraHeaders, requiredHeaders))
	if err != nil {
		return err
	}
	cr, err := CanonicalRequest(r, names, HashPayload(body))
	if err != nil {
		return err
	}
	auth := Authorization{
		AppID:         appID,
		SignedHeaders: names,
		Signature:     Signature(secret, StringToSign(cr)),
	}
	r.Header.Set(HeaderAuthorization, auth.String())
	return nil
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.GetBody != nil {
		rc, err := r.GetBody()
		if err != nil {
			return nil, fmt.Errorf("signing: get body: %w", err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return nil, fmt.Errorf("signing: read body: %w", err)
		}
		return b, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("signing: read body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return b, nil
}
