package koodrive_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/koodrive/koodrive"
)

func TestParseID(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want koodrive.ID
	}{
		{"OK", "1", 1},
		{"OKAbove2To53", "1575416580416769793", 1575416580416769793},
		{"OKMaxInt64", "9223372036854775807", 9223372036854775807},
		{"OK2To53Plus1", "9007199254740993", 9007199254740993}, // float64 would round it to ...992
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := koodrive.ParseID(tt.in)
			if err != nil {
				t.Fatalf("ParseID(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseID(%q) = %d, want %d", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
		})
	}

	for _, tt := range []struct {
		name string
		in   string
	}{
		{"ErrEmpty", ""},
		{"ErrZero", "0"},
		{"ErrNegative", "-5"},
		{"ErrPlusSign", "+5"},
		{"ErrFraction", "1.5"},
		{"ErrExponent", "1e3"},
		{"ErrLetters", "abc"},
		{"ErrTrailingLetter", "12a"},
		{"ErrSpace", " 12"},
		{"ErrOverflowInt64", "9223372036854775808"},
		{"ErrOverflow2To64", "18446744073709551616"},
		{"ErrHex", "0x10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := koodrive.ParseID(tt.in)
			if !errors.Is(err, koodrive.ErrBadID) {
				t.Fatalf("ParseID(%q) = %d, %v, want error %v", tt.in, got, err, koodrive.ErrBadID)
			}
			if got != 0 {
				t.Errorf("ParseID(%q) id = %d, want 0 on error", tt.in, got)
			}
		})
	}
}

// idHolder is a request body with an ID field, as handlers decode them.
type idHolder struct {
	ID koodrive.ID `json:"id"`
}

func TestID_UnmarshalJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		want koodrive.ID
	}{
		{"OKNumber", `{"id":1575416580416769793}`, 1575416580416769793},
		{"OKString", `{"id":"1575416580416769793"}`, 1575416580416769793},
		{"OKMaxNumber", `{"id":9223372036854775807}`, 9223372036854775807},
		{"OKMaxString", `{"id":"9223372036854775807"}`, 9223372036854775807},
		{"OKSmall", `{"id":7}`, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var h idHolder
			if err := json.Unmarshal([]byte(tt.body), &h); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.body, err)
			}
			if h.ID != tt.want {
				t.Errorf("Unmarshal(%s) = %d, want %d", tt.body, h.ID, tt.want)
			}
		})
	}

	for _, tt := range []struct {
		name string
		body string
	}{
		{"ErrZeroNumber", `{"id":0}`},
		{"ErrZeroString", `{"id":"0"}`},
		{"ErrNegativeNumber", `{"id":-5}`},
		{"ErrNegativeString", `{"id":"-5"}`},
		{"ErrPlusString", `{"id":"+5"}`},
		{"ErrFractionNumber", `{"id":1.5}`},
		{"ErrFractionString", `{"id":"1.5"}`},
		{"ErrExponentNumber", `{"id":1e3}`},
		{"ErrExponentString", `{"id":"1e3"}`},
		{"ErrLetters", `{"id":"abc"}`},
		{"ErrEmptyString", `{"id":""}`},
		{"ErrOverflowNumber", `{"id":9223372036854775808}`},
		{"ErrOverflowString", `{"id":"9223372036854775808"}`},
		{"Err2To64Number", `{"id":18446744073709551616}`},
		{"Err2To64String", `{"id":"18446744073709551616"}`},
		{"ErrBool", `{"id":true}`},
		{"ErrObject", `{"id":{}}`},
		{"ErrArray", `{"id":[1]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := idHolder{ID: 42}
			if err := json.Unmarshal([]byte(tt.body), &h); err == nil {
				t.Fatalf("Unmarshal(%s) = %d, nil, want an error", tt.body, h.ID)
			}
			if h.ID != 42 {
				t.Errorf("Unmarshal(%s) changed the ID to %d, want it left at 42", tt.body, h.ID)
			}
		})
	}

	t.Run("OKNullLeavesUnchanged", func(t *testing.T) {
		h := idHolder{ID: 42}
		if err := json.Unmarshal([]byte(`{"id":null}`), &h); err != nil {
			t.Fatalf("Unmarshal null: %v", err)
		}
		if h.ID != 42 {
			t.Errorf("ID after null = %d, want 42", h.ID)
		}
	})

	t.Run("OKDirectCall", func(t *testing.T) {
		var id koodrive.ID
		if err := id.UnmarshalJSON([]byte(`"9223372036854775807"`)); err != nil {
			t.Fatal(err)
		}
		if id != 9223372036854775807 {
			t.Errorf("id = %d, want 9223372036854775807", id)
		}
	})

	t.Run("ErrDirectCall", func(t *testing.T) {
		for _, in := range []string{``, `"`, `""`, `"5`, `5"`, `"null"`} {
			id := koodrive.ID(42)
			if err := id.UnmarshalJSON([]byte(in)); err == nil {
				t.Errorf("UnmarshalJSON(%s) = nil error (id %d), want an error", in, id)
			}
			if id != 42 {
				t.Errorf("UnmarshalJSON(%s) changed the ID to %d, want 42", in, id)
			}
		}
	})
}

func TestID_MarshalJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		id   koodrive.ID
		want string
	}{
		{"OK", 7, `{"id":"7"}`},
		{"OKAbove2To53", 1575416580416769793, `{"id":"1575416580416769793"}`},
		{"OKMaxInt64", 9223372036854775807, `{"id":"9223372036854775807"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(idHolder{ID: tt.id})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b); got != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
		})
	}

	t.Run("OKRoundTrip", func(t *testing.T) {
		for _, id := range []koodrive.ID{1, 1575416580416769793, 9223372036854775807} {
			b, err := json.Marshal(id)
			if err != nil {
				t.Fatal(err)
			}
			var got koodrive.ID
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if got != id {
				t.Errorf("round trip of %d via %s = %d", id, b, got)
			}
		}
	})
}
