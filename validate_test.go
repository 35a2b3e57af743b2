package koodrive_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

// wantInvalid checks that err is an EINVALID *koodrive.Error for field with
// message id.
func wantInvalid(tb testing.TB, err error, field string, id koodrive.MessageID) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want EINVALID %s %s", field, id)
	}
	var e *koodrive.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %T %v, want a *koodrive.Error", err, err)
	}
	if e.Kind != koodrive.EINVALID {
		tb.Errorf("kind = %q, want %q", e.Kind, koodrive.EINVALID)
	}
	if e.Field != field {
		tb.Errorf("field = %q, want %q", e.Field, field)
	}
	if e.Message.ID != id {
		tb.Errorf("message = %q, want %q", e.Message.ID, id)
	}
	if got := e.Message.Params["Field"]; got != field {
		tb.Errorf("Params[Field] = %v, want %q", got, field)
	}
}

func TestValidateUserID(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"OK", "alice"},
		{"OKPunctuation", "alice.smith-01_x@corp"},
		{"OKChinese", "张三"},
		{"OK64ASCII", strings.Repeat("a", 64)},
		{"OK64Multibyte", strings.Repeat("用", 64)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := koodrive.ValidateUserID("userId", tt.in); err != nil {
				t.Errorf("ValidateUserID(%q) = %v, want nil", tt.in, err)
			}
		})
	}

	t.Run("ErrRequired", func(t *testing.T) {
		wantInvalid(t, koodrive.ValidateUserID("userId", ""), "userId", koodrive.MsgFieldRequired)
	})
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"Err65ASCII", strings.Repeat("a", 65)},
		{"Err65Multibyte", strings.Repeat("用", 65)},
		{"ErrSpace", "alice smith"},
		{"ErrLeadingSpace", " alice"},
		{"ErrTab", "alice\t"},
		{"ErrNewline", "alice\n"},
		{"ErrIdeographicSpace", "alice\u3000smith"},
		{"ErrNUL", "alice\x00"},
		{"ErrDEL", "alice\x7f"},
		{"ErrInvalidUTF8", "alice\xff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, koodrive.ValidateUserID("userId", tt.in), "userId", koodrive.MsgUserIDInvalid)
		})
	}
}

func TestValidateUserName(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"OKEmpty", ""},
		{"OK", "Alice Smith"},
		{"OK64Multibyte", strings.Repeat("张", 64)},
		{"OKEmoji64", strings.Repeat("😀", 64)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := koodrive.ValidateUserName("name", tt.in); err != nil {
				t.Errorf("ValidateUserName(%q) = %v, want nil", tt.in, err)
			}
		})
	}
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"Err65Multibyte", strings.Repeat("张", 65)},
		{"Err65ASCII", strings.Repeat("a", 65)},
		{"ErrControl", "Alice\x01"},
		{"ErrNewline", "Alice\nSmith"},
		{"ErrInvalidUTF8", "Alice\xc3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, koodrive.ValidateUserName("name", tt.in), "name", koodrive.MsgUserNameInvalid)
		})
	}
}

func TestValidateDepartmentName(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"OK", "Sales"},
		{"OKInnerSpace", "Sales EMEA"},
		{"OKChinese", "销售部"},
		{"OK64Multibyte", strings.Repeat("部", 64)},
		{"OK64ASCII", strings.Repeat("d", 64)},
		{"OKPunctuation", "R&D (Berlin) - 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := koodrive.ValidateDepartmentName("name", tt.in); err != nil {
				t.Errorf("ValidateDepartmentName(%q) = %v, want nil", tt.in, err)
			}
		})
	}

	t.Run("ErrRequired", func(t *testing.T) {
		wantInvalid(t, koodrive.ValidateDepartmentName("name", ""), "name", koodrive.MsgFieldRequired)
	})
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"Err65Multibyte", strings.Repeat("部", 65)},
		{"Err65ASCII", strings.Repeat("d", 65)},
		{"ErrSlash", "Sales/EMEA"},
		{"ErrSlashOnly", "/"},
		{"ErrTab", "Sales\tEMEA"},
		{"ErrNewline", "Sales\n"},
		{"ErrNUL", "\x00"},
		{"ErrLeadingSpace", " Sales"},
		{"ErrTrailingSpace", "Sales "},
		{"ErrOnlySpaces", "   "},
		{"ErrTrailingIdeographicSpace", "销售部\u3000"},
		{"ErrInvalidUTF8", "Sales\xff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, koodrive.ValidateDepartmentName("name", tt.in), "name", koodrive.MsgDeptNameInvalid)
		})
	}
}

func TestNormalizeMobile(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want string
	}{
		{"OK", "13800000001", "13800000001"},
		{"OKInternational", "+8613800000001", "+8613800000001"},
		{"OKSeparators", "+86 138-0000-0001", "+8613800000001"},
		{"OKParensDots", "(010) 1234.5678", "01012345678"},
		{"OKPlusThenSpace", "+ 86 138 0000 0001", "+8613800000001"},
		{"OK5Digits", "12345", "12345"},
		{"OK20Digits", strings.Repeat("9", 20), strings.Repeat("9", 20)},
		{"OK20DigitsPlus", "+" + strings.Repeat("9", 20), "+" + strings.Repeat("9", 20)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := koodrive.NormalizeMobile("mobile", tt.in)
			if err != nil {
				t.Fatalf("NormalizeMobile(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeMobile(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"ErrEmpty", ""},
		{"ErrPlusOnly", "+"},
		{"Err4Digits", "1234"},
		{"Err4DigitsPlus", "+1234"},
		{"Err4DigitsWithSeparators", "1-2-3-4"},
		{"Err21Digits", strings.Repeat("9", 21)},
		{"ErrLetters", "138abc00001"},
		{"ErrPlusInside", "86+13800000001"},
		{"ErrDoublePlus", "++8613800000001"},
		{"ErrFullWidthDigits", "１３８００００００01"},
		{"ErrSlash", "138/0000/0001"},
		{"ErrExtension", "13800000001 ext 5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := koodrive.NormalizeMobile("mobile", tt.in)
			wantInvalid(t, err, "mobile", koodrive.MsgMobileInvalid)
			if got != "" {
				t.Errorf("NormalizeMobile(%q) = %q with an error, want \"\"", tt.in, got)
			}
		})
	}
}

func TestValidateEmail(t *testing.T) {
	// A 254-character address: 64-character local part, a 189-character domain.
	long := strings.Repeat("l", 64) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + "." + strings.Repeat("f", 63) + ".com"
	if len(long) != 254 {
		t.Fatalf("test setup: len(long) = %d, want 254", len(long))
	}
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"OK", "a@b.c"},
		{"OKTypical", "alice.smith+tag@example.com"},
		{"OKUpperCase", "Alice@Example.COM"},
		{"OKSubdomain", "x@mail.corp.example.cn"},
		{"OK254", long},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := koodrive.ValidateEmail("email", tt.in); err != nil {
				t.Errorf("ValidateEmail(%q) = %v, want nil", tt.in, err)
			}
		})
	}
	for _, tt := range []struct {
		name string
		in   string
	}{
		{"ErrEmpty", ""},
		{"ErrDisplayName", "Name <a@b.c>"},
		{"ErrAngleBrackets", "<a@b.c>"},
		{"ErrNoDotInDomain", "a@b"},
		{"ErrDotOnlyInLocal", "a.b@c"},
		{"ErrNoAt", "alice.example.com"},
		{"ErrNoLocal", "@example.com"},
		{"ErrTwoAts", "a@b@c.d"},
		{"ErrLeadingSpace", " a@b.c"},
		{"ErrTrailingSpace", "a@b.c "},
		{"ErrInnerSpace", "a b@c.d"},
		{"ErrList", "a@b.c, d@e.f"},
		{"Err255", "l" + long},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, koodrive.ValidateEmail("email", tt.in), "email", koodrive.MsgEmailInvalid)
		})
	}
}

func TestFoldKey(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"Alice", "alice"},
		{"ALICE@EXAMPLE.COM", "alice@example.com"},
		{"Sales", "SALES"},
	} {
		if ka, kb := koodrive.FoldKey(tt.a), koodrive.FoldKey(tt.b); ka != kb {
			t.Errorf("FoldKey(%q) = %q, FoldKey(%q) = %q, want equal", tt.a, ka, tt.b, kb)
		}
	}
	if koodrive.FoldKey("alice") == koodrive.FoldKey("alicia") {
		t.Error("FoldKey(alice) == FoldKey(alicia), want different")
	}
}
