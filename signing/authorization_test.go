package signing_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/koodrive/koodrive/signing"
)

const sig = "910cdef72742aea889ab3e3298181b0facfc5bffbe7ecf1ba7b670345898cdd6"

func TestParseAuthorization(t *testing.T) {
	want := signing.Authorization{AppID: "app", SignedHeaders: []string{"host", "x-date", "x-user-id"}, Signature: sig}
	tests := []struct {
		name, header string
	}{
		{"canonical", "HMAC-SHA256 AppId=app,SignedHeaders=host;x-date;x-user-id,Signature=" + sig},
		{"spaces after commas", "HMAC-SHA256 AppId=app, SignedHeaders=host;x-date;x-user-id, Signature=" + sig},
		{"spaces around parts", "  HMAC-SHA256   AppId=app ,  SignedHeaders=host;x-date;x-user-id ,Signature=" + sig + " "},
		{"parts in any order", "HMAC-SHA256 Signature=" + sig + ",AppId=app,SignedHeaders=host;x-date;x-user-id"},
		{"header names lower-cased and sorted", "HMAC-SHA256 AppId=app,SignedHeaders=X-User-Id;Host;X-Date,Signature=" + sig},
		{"upper-case hex lower-cased", "HMAC-SHA256 AppId=app,SignedHeaders=host;x-date;x-user-id,Signature=" + strings.ToUpper(sig)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signing.ParseAuthorization(tt.header)
			if err != nil {
				t.Fatalf("ParseAuthorization(%q): %v", tt.header, err)
			}
			if got.AppID != want.AppID || got.Signature != want.Signature || !slices.Equal(got.SignedHeaders, want.SignedHeaders) {
				t.Errorf("ParseAuthorization(%q) = %+v, want %+v", tt.header, got, want)
			}
		})
	}
}

func TestParseAuthorizationErrors(t *testing.T) {
	const hs = "SignedHeaders=host;x-date;x-user-id"
	tests := []struct{ name, header string }{
		{"empty", ""},
		{"algorithm only", "HMAC-SHA256"},
		{"algorithm and space only", "HMAC-SHA256 "},
		{"wrong algorithm", "HMAC-SHA1 AppId=app," + hs + ",Signature=" + sig},
		{"algorithm case differs", "hmac-sha256 AppId=app," + hs + ",Signature=" + sig},
		{"no space after algorithm", "HMAC-SHA256,AppId=app," + hs + ",Signature=" + sig},
		{"missing AppId", "HMAC-SHA256 " + hs + ",Signature=" + sig},
		{"missing SignedHeaders", "HMAC-SHA256 AppId=app,Signature=" + sig},
		{"missing Signature", "HMAC-SHA256 AppId=app," + hs},
		{"duplicated AppId", "HMAC-SHA256 AppId=app,AppId=other," + hs + ",Signature=" + sig},
		{"duplicated Signature", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig + ",Signature=" + sig},
		{"empty AppId", "HMAC-SHA256 AppId=," + hs + ",Signature=" + sig},
		{"empty SignedHeaders", "HMAC-SHA256 AppId=app,SignedHeaders=,Signature=" + sig},
		{"empty Signature", "HMAC-SHA256 AppId=app," + hs + ",Signature="},
		{"empty header name", "HMAC-SHA256 AppId=app,SignedHeaders=host;;x-date,Signature=" + sig},
		{"duplicated header name", "HMAC-SHA256 AppId=app,SignedHeaders=host;Host;x-date,Signature=" + sig},
		{"authorization signed", "HMAC-SHA256 AppId=app,SignedHeaders=authorization;host,Signature=" + sig},
		{"non-hex signature", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + strings.Repeat("zz", 32)},
		{"short signature", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig[:62]},
		{"odd-length signature", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig[:63]},
		{"part without equals", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig + ",junk"},
		{"unknown part", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig + ",Extra=1"},
		{"trailing comma", "HMAC-SHA256 AppId=app," + hs + ",Signature=" + sig + ","},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := signing.ParseAuthorization(tt.header)
			if !errors.Is(err, signing.ErrMalformed) {
				t.Errorf("ParseAuthorization(%q): err = %v, want ErrMalformed", tt.header, err)
			}
		})
	}
}

func TestAuthorizationStringRoundTrip(t *testing.T) {
	a := signing.Authorization{AppID: "app=1", SignedHeaders: []string{"host", "x-date", "x-user-id"}, Signature: sig}
	s := a.String()
	if want := "HMAC-SHA256 AppId=app=1,SignedHeaders=host;x-date;x-user-id,Signature=" + sig; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
	got, err := signing.ParseAuthorization(s)
	if err != nil {
		t.Fatalf("ParseAuthorization(%q): %v", s, err)
	}
	if got.AppID != a.AppID || got.Signature != a.Signature || !slices.Equal(got.SignedHeaders, a.SignedHeaders) {
		t.Errorf("ParseAuthorization(String()) = %+v, want %+v", got, a)
	}
}
