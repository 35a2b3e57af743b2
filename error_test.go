package koodrive_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestKind_Code(t *testing.T) {
	for _, tt := range []struct {
		kind koodrive.Kind
		want koodrive.Code
	}{
		{koodrive.EMALFORMED, 13000101},
		{koodrive.EINVALID, 13000102},
		{koodrive.ECONFLICT, 13000102},
		{koodrive.EUNAUTHENTICATED, 13000101},
		{koodrive.EFORBIDDEN, 13000410},
		{koodrive.ENOTFOUND, 13000309},
		{koodrive.ETOOLARGE, 13000101},
		{koodrive.EMAXLEVELS, 13000310},
		{koodrive.EINSUFFICIENTSPACE, 13000311},
		{koodrive.ELIMIT, 13000102},
		{koodrive.EINTERNAL, 13000201},
		{"no_such_kind", 13000201},
		{"", 13000201},
	} {
		t.Run(string(tt.kind), func(t *testing.T) {
			if got := tt.kind.Code(); got != tt.want {
				t.Errorf("%q.Code() = %d, want %d", tt.kind, got, tt.want)
			}
		})
	}
	if koodrive.CodeOK != 0 {
		t.Errorf("CodeOK = %d, want 0", koodrive.CodeOK)
	}
}

func TestErrorKind(t *testing.T) {
	notFound := koodrive.NewError(koodrive.ENOTFOUND, "deptId", koodrive.MsgDeptNotFound, koodrive.Params{"ID": "5"})
	for _, tt := range []struct {
		name string
		err  error
		want koodrive.Kind
	}{
		{"OKDirect", notFound, koodrive.ENOTFOUND},
		{"OKWrapped", fmt.Errorf("find department 5: %w", notFound), koodrive.ENOTFOUND},
		{"OKWrappedTwice", fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", notFound)), koodrive.ENOTFOUND},
		{"OKJoined", errors.Join(io.EOF, notFound), koodrive.ENOTFOUND},
		{"OKPlainIsInternal", io.EOF, koodrive.EINTERNAL},
		{"OKPlainWrappedIsInternal", fmt.Errorf("read: %w", io.EOF), koodrive.EINTERNAL},
		{"OKNil", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := koodrive.ErrorKind(tt.err); got != tt.want {
				t.Errorf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestAsError(t *testing.T) {
	conflict := koodrive.NewError(koodrive.ECONFLICT, "userId", koodrive.MsgValueTaken, koodrive.Params{"Value": "alice"})

	t.Run("OKWrapped", func(t *testing.T) {
		got := koodrive.AsError(fmt.Errorf("create user alice: %w", conflict))
		if got != conflict {
			t.Errorf("AsError = %v, want the wrapped %v", got, conflict)
		}
	})

	t.Run("OKPlain", func(t *testing.T) {
		cause := errors.New("disk on fire")
		got := koodrive.AsError(fmt.Errorf("write: %w", cause))
		if got.Kind != koodrive.EINTERNAL {
			t.Errorf("Kind = %q, want %q", got.Kind, koodrive.EINTERNAL)
		}
		if got.Message.ID != koodrive.MsgInternal {
			t.Errorf("message = %q, want %q", got.Message.ID, koodrive.MsgInternal)
		}
		if !errors.Is(got, cause) {
			t.Errorf("AsError(plain) does not wrap its cause: %v", got)
		}
		// The cause is logged, never shown: it must not be in the message.
		if strings.Contains(got.Message.String(), "disk on fire") {
			t.Errorf("message %q contains the cause", got.Message.String())
		}
	})

	t.Run("OKNil", func(t *testing.T) {
		// Documented: "an EINTERNAL error wrapping err", even for nil.
		got := koodrive.AsError(nil)
		if got == nil {
			t.Fatal("AsError(nil) = nil, want an EINTERNAL *Error")
		}
		if got.Kind != koodrive.EINTERNAL {
			t.Errorf("Kind = %q, want %q", got.Kind, koodrive.EINTERNAL)
		}
		if got.Err != nil {
			t.Errorf("Err = %v, want nil", got.Err)
		}
	})
}

func TestNewError(t *testing.T) {
	t.Run("OKFieldIntoNilParams", func(t *testing.T) {
		e := koodrive.NewError(koodrive.EINVALID, "userId", koodrive.MsgFieldRequired, nil)
		if e.Kind != koodrive.EINVALID || e.Field != "userId" || e.Message.ID != koodrive.MsgFieldRequired {
			t.Errorf("NewError = %+v, want kind invalid, field userId, message FieldRequired", e)
		}
		if got := e.Message.Params["Field"]; got != "userId" {
			t.Errorf("Params[Field] = %v, want userId", got)
		}
	})

	t.Run("OKFieldIntoParams", func(t *testing.T) {
		e := koodrive.NewError(koodrive.EINVALID, "role", koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": 5})
		want := koodrive.Params{"Field": "role", "Min": 0, "Max": 5}
		if len(e.Message.Params) != len(want) {
			t.Errorf("Params = %v, want %v", e.Message.Params, want)
		}
		for k, v := range want {
			if e.Message.Params[k] != v {
				t.Errorf("Params[%s] = %v, want %v", k, e.Message.Params[k], v)
			}
		}
	})

	t.Run("OKExplicitFieldParamKept", func(t *testing.T) {
		e := koodrive.NewError(koodrive.EINVALID, "users[3].email", koodrive.MsgEmailInvalid, koodrive.Params{"Field": "email"})
		if got := e.Message.Params["Field"]; got != "email" {
			t.Errorf("Params[Field] = %v, want email (the caller's)", got)
		}
		if e.Field != "users[3].email" {
			t.Errorf("Field = %q, want users[3].email", e.Field)
		}
	})

	t.Run("OKNoField", func(t *testing.T) {
		e := koodrive.NewError(koodrive.EFORBIDDEN, "", koodrive.MsgForbiddenRole, nil)
		if _, ok := e.Message.Params["Field"]; ok {
			t.Errorf("Params = %v, want no Field", e.Message.Params)
		}
	})

	t.Run("OKInvalid", func(t *testing.T) {
		e := koodrive.Invalid("email", koodrive.MsgEmailInvalid, nil)
		if e.Kind != koodrive.EINVALID || e.Kind.Code() != koodrive.CodeInvalidParameter {
			t.Errorf("Invalid: kind %q code %d, want %q %d", e.Kind, e.Kind.Code(), koodrive.EINVALID, koodrive.CodeInvalidParameter)
		}
		if got := e.Message.Params["Field"]; got != "email" {
			t.Errorf("Params[Field] = %v, want email", got)
		}
	})
}

func TestError_Error(t *testing.T) {
	cause := errors.New("boom")
	for _, tt := range []struct {
		name string
		err  *koodrive.Error
		want string
	}{
		{"OKKindOnly", koodrive.NewError(koodrive.EFORBIDDEN, "", koodrive.MsgForbiddenRole, nil), "forbidden: ForbiddenRole"},
		{"OKFieldAndParams", koodrive.NewError(koodrive.EINVALID, "role", koodrive.MsgIntRange, koodrive.Params{"Min": 0, "Max": 5}),
			"invalid role: IntRange Field=role, Max=5, Min=0"},
		{"OKCause", koodrive.Internal(cause), "internal: Internal: boom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if got := errors.Unwrap(koodrive.Internal(cause)); got != cause {
		t.Errorf("Unwrap = %v, want %v", got, cause)
	}
}
