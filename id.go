package koodrive

import (
	"bytes"
	"errors"
	"strconv"
)

// ID identifies an organization, department or user. IDs are positive 64-bit
// numbers made by the server in time order; on the wire they are JSON strings
// because most of them exceed 2^53, the largest integer a JavaScript number
// holds exactly.
type ID int64

// ErrBadID is returned for text that is not a positive 64-bit decimal integer.
var ErrBadID = errors.New("not a positive 64-bit integer")

// ParseID parses a decimal ID exactly; it never goes through float64.
func ParseID(s string) (ID, error) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, ErrBadID
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, ErrBadID
	}
	return ID(n), nil
}

// String returns the decimal form.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// MarshalJSON emits the ID as a JSON string.
func (id ID) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 21)
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(id), 10)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a JSON string or a JSON number holding a positive
// integer; null leaves the ID unchanged.
func (id *ID) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}
