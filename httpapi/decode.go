package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/koodrive/koodrive"
)

// readBody reads a request body that must not be empty.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := readRaw(w, r)
	if err == nil && len(bytes.TrimSpace(data)) == 0 {
		return nil, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgBodyEmpty, nil)
	}
	return data, err
}

// readRaw reads the request body, empty or not, up to the route's limit.
func readRaw(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := info(r.Context()).bodyLimit
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= limit {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		return nil, bodyReadError(err)
	}
	return buf.Bytes(), nil
}

func tooLarge(limit int64) error {
	return koodrive.NewError(koodrive.ETOOLARGE, "", koodrive.MsgBodyTooLarge, koodrive.Params{"Limit": limit})
}

// decodeBody reads the body and decodes one JSON object into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := readBody(w, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return jsonError(data, err, "")
	}
	return endOfBody(data, dec)
}

// endOfBody fails if anything but white space follows the decoded value.
func endOfBody(data []byte, dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgBodyTrailing, nil)
	}
	return nil
}

// jsonError turns a decoding error into one that says where the body is
// wrong: the line and column of a syntax error, or the field (under prefix)
// that has the wrong JSON type.
func jsonError(data []byte, err error, prefix string) error {
	var ke *koodrive.Error
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &ke):
		return ke
	case errors.As(err, &syn):
		// json.Decoder.Token counts offsets from 0 and Unmarshal from 1;
		// validating the whole body once locates every error the same way.
		var raw json.RawMessage
		if errors.As(json.Unmarshal(data, &raw), &syn) {
			return syntaxError(data, syn.Offset)
		}
	case errors.As(err, &typ):
		field := strings.TrimSuffix(prefix+typ.Field, ".")
		if field == "" {
			return koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgBodyNotObject, nil)
		}
		return koodrive.NewError(koodrive.EMALFORMED, field, koodrive.MsgFieldType, koodrive.Params{"Type": jsonType(typ.Type)})
	}
	return syntaxError(data, int64(len(data)))
}

// syntaxError locates the byte after offset bytes of data as a line and a
// column, both counted from 1.
func syntaxError(data []byte, offset int64) error {
	offset = max(1, min(offset, int64(len(data))))
	before := data[:offset-1]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgBodySyntax, koodrive.Params{"Line": line, "Column": col})
}

var numberType = reflect.TypeFor[json.Number]()

// jsonType names the JSON type a Go type decodes from.
func jsonType(t reflect.Type) string {
	if t == numberType {
		return "number"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonType(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "number"
}

// scalar holds a JSON scalar as the client wrote it. The spec types some
// fields loosely (IDs and roles as strings in one table, numbers in the
// next), so they are taken as either and parsed exactly here, where the
// error can name the field.
type scalar struct {
	kind byte // 0 absent or null, 's' string, 'n' number, 'x' anything else
	text string
}

func (v *scalar) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		*v = scalar{}
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = scalar{kind: 's', text: s}
	case 't', 'f', '{', '[':
		*v = scalar{kind: 'x'}
	default:
		*v = scalar{kind: 'n', text: string(b)}
	}
	return nil
}

func (v scalar) wrongType(field, want string) error {
	return koodrive.NewError(koodrive.EMALFORMED, field, koodrive.MsgFieldType, koodrive.Params{"Type": want})
}

// id parses an ID given as a string or a number; 0 when absent.
func (v scalar) id(field string) (koodrive.ID, error) {
	switch v.kind {
	case 0:
		return 0, nil
	case 'x':
		return 0, v.wrongType(field, "string")
	}
	id, err := koodrive.ParseID(strings.TrimSpace(v.text))
	if err != nil {
		return 0, koodrive.Invalid(field, koodrive.MsgIDInvalid, nil)
	}
	return id, nil
}

// role parses a role given as a string or a number; nil when absent.
func (v scalar) role(field string) (*koodrive.Role, error) {
	switch v.kind {
	case 0:
		return nil, nil
	case 'x':
		return nil, v.wrongType(field, "string")
	}
	r, ok := koodrive.ParseRole(strings.TrimSpace(v.text))
	if !ok {
		return nil, koodrive.Invalid(field, koodrive.MsgRoleInvalid, nil)
	}
	return &r, nil
}

// status parses a user status given as a string or a number; nil when
// absent. Which statuses may be set is the domain's call (UserUpdate).
func (v scalar) status(field string) (*koodrive.Status, error) {
	n, ok, err := v.integer(field, koodrive.Invalid(field, koodrive.MsgStatusInvalid, koodrive.Params{"Values": "0, 1, 7"}))
	if err != nil || !ok {
		return nil, err
	}
	st := koodrive.Status(n)
	return &st, nil
}

// integer parses an integer given as a number or a numeric string; ok is
// false when it is absent. Text that is not a 64-bit integer (a fraction,
// a word, an exponent) is answered with bad, which says what the field
// takes; whether the value is in range is for the caller or the domain.
func (v scalar) integer(field string, bad error) (n int64, ok bool, err error) {
	text, err := v.number(field)
	if err != nil || v.kind == 0 {
		return 0, false, err
	}
	n, perr := strconv.ParseInt(text, 10, 64)
	if perr != nil {
		return 0, false, bad
	}
	return n, true, nil
}

// number returns a number given as a number or a string, as text; "" when
// absent. Whether the text is a valid quantity is the domain's call.
func (v scalar) number(field string) (string, error) {
	if v.kind == 'x' {
		return "", v.wrongType(field, "number")
	}
	return strings.TrimSpace(v.text), nil
}

// numberAt is number for a field whose name, prefix() + field, is made only
// when it is needed for an error.
func (v scalar) numberAt(prefix func() string, field string) (string, error) {
	if v.kind == 'x' {
		return v.number(prefix() + field)
	}
	return strings.TrimSpace(v.text), nil
}

// queryID reads an optional ID from the query string; 0 when absent.
func queryID(r *http.Request, name string) (koodrive.ID, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, nil
	}
	id, err := koodrive.ParseID(s)
	if err != nil {
		return 0, koodrive.Invalid(name, koodrive.MsgIDInvalid, nil)
	}
	return id, nil
}

// queryInt reads an integer in [lo, hi] from the query string.
func queryInt(r *http.Request, name string, lo, hi int, required bool, def int) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		if required {
			return 0, koodrive.Invalid(name, koodrive.MsgFieldRequired, nil)
		}
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, koodrive.Invalid(name, koodrive.MsgIntRange, koodrive.Params{"Min": lo, "Max": hi})
	}
	return n, nil
}

// queryBool reads an optional boolean from the query string.
func queryBool(r *http.Request, name string) (bool, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, koodrive.Invalid(name, koodrive.MsgBool, nil)
	}
	return b, nil
}

// queryKeyWord reads an optional search word.
func queryKeyWord(r *http.Request, name string) (string, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if utf8.RuneCountInString(s) > koodrive.MaxKeyWordLen || !utf8.ValidString(s) {
		return "", koodrive.Invalid(name, koodrive.MsgKeyWordTooLong, koodrive.Params{"Max": koodrive.MaxKeyWordLen})
	}
	return s, nil
}

// pathID reads an ID from the URL path.
func pathID(r *http.Request, name string) (koodrive.ID, error) {
	id, err := koodrive.ParseID(r.PathValue(name))
	if err != nil {
		return 0, koodrive.Invalid(name, koodrive.MsgIDInvalid, nil)
	}
	return id, nil
}
