package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/koodrive/koodrive"
)

// wireID is an ID as the server writes it: a JSON string (or number). Unlike
// koodrive.ID it takes "0" and "" as 0, which the server writes for the
// root's parentId and the command line's operatorId.
type wireID koodrive.ID

func (id *wireID) UnmarshalJSON(b []byte) error {
	n, err := wireInteger(b)
	if err != nil || n < 0 {
		return fmt.Errorf("id %s is not a koodrive id", b)
	}
	*id = wireID(n)
	return nil
}

// wireInt is a count the server writes as a JSON string in some answers
// (space listings' total, session/auth's userCount) and as a number in
// others.
type wireInt int64

func (n *wireInt) UnmarshalJSON(b []byte) error {
	v, err := wireInteger(b)
	if err != nil {
		return fmt.Errorf("%s is not an integer", b)
	}
	*n = wireInt(v)
	return nil
}

// wireInteger parses a JSON integer given as a number or a string; null
// and "" are 0.
func wireInteger(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return 0, nil
	}
	if len(b) >= 2 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
		b = []byte(s)
	}
	return strconv.ParseInt(string(b), 10, 64)
}

// setID adds an ID to a query unless it is 0 (absent).
func setID(q url.Values, name string, id koodrive.ID) {
	if id != 0 {
		q.Set(name, id.String())
	}
}

// dataBody decodes an answer that nests its payload under "data".
type dataBody[T any] struct {
	Data T `json:"data"`
}
