package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/koodrive/koodrive"
)

// importRowJSON is KooDrive's ImportUserInfo, plus the optional identity
// fields that let duplicates be found before the import.
type importRowJSON struct {
	TargetDeptName     string `json:"targetDeptName"`
	PersonalCapacity   scalar `json:"personalCapacity"`
	IsAllocateCapacity *bool  `json:"isAllocateCapacity"`
	UserID             string `json:"userId"`
	Name               string `json:"name"`
	Mobile             string `json:"mobile"`
	Email              string `json:"email"`
	Role               scalar `json:"role"` // beyond KooDrive: the role an import gives
}

// row is the i-th row of a batch. The field names are made only for an
// error: a batch of 100,000 good rows needs none.
func (r *importRowJSON) row(i int) (koodrive.ImportRow, error) {
	prefix := func() string { return rowPrefix(i) }
	capacity, err := r.PersonalCapacity.numberAt(prefix, "personalCapacity")
	if err != nil {
		return koodrive.ImportRow{}, err
	}
	role, err := r.Role.numberAt(prefix, "role")
	if err != nil {
		return koodrive.ImportRow{}, err
	}
	return koodrive.ImportRow{
		TargetDeptName: r.TargetDeptName, PersonalCapacity: capacity, IsAllocateCapacity: r.IsAllocateCapacity,
		UserID: r.UserID, Name: r.Name, Mobile: r.Mobile, Email: r.Email, Role: role,
	}, nil
}

// importRows converts rows decoded in one pass.
func importRows(users []importRowJSON) ([]koodrive.ImportRow, error) {
	rows := make([]koodrive.ImportRow, len(users))
	for i := range users {
		var err error
		if rows[i], err = users[i].row(i); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func rowPrefix(i int) string { return "users[" + strconv.Itoa(i) + "]." }

// verifyResultJSON is KooDrive's ImportUserVerifyResult.
type verifyResultJSON struct {
	IsSuccess int    `json:"isSuccess"`
	Reason    string `json:"reason,omitempty"`
}

func (s *Server) preverifyImport(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	data, err := readBody(w, r)
	if err != nil {
		return err
	}
	curDeptID, rows, err := decodePreverify(data)
	if err != nil {
		return err
	}
	results, err := s.svc.Imports.PreverifyImport(r.Context(), a, curDeptID, rows)
	if err != nil {
		return err
	}
	lang := info(r.Context()).lang
	out := make([]verifyResultJSON, len(results))
	for i, res := range results {
		out[i].IsSuccess = res.IsSuccess
		if len(res.Reasons) > 0 {
			out[i].Reason = s.catalog.Join(lang, res.Reasons)
		}
	}
	writeJSON(w, http.StatusOK, dataBody[[]verifyResultJSON]{s.success(r), out})
	return nil
}

// decodePreverify decodes a well-formed body in one pass, as
// encoding/json decodes a struct: walking it token by token costs twice as
// much. A body that one pass cannot take (a type error, a row over the
// limit, anything else wrong) is decoded again by decodePreverifyStream,
// which names the row and field at fault.
func decodePreverify(data []byte) (koodrive.ID, []koodrive.ImportRow, error) {
	var body struct {
		CurDeptID scalar          `json:"curDeptId"`
		Users     []importRowJSON `json:"users"`
	}
	if json.Unmarshal(data, &body) != nil || len(body.Users) == 0 || len(body.Users) > koodrive.MaxImportRows || body.CurDeptID.kind == 0 {
		return decodePreverifyStream(data)
	}
	// The same order of checks as decodePreverifyStream's: the rows first.
	rows, err := importRows(body.Users)
	if err != nil {
		return 0, nil, err
	}
	curDeptID, err := body.CurDeptID.id("curDeptId")
	if err != nil {
		return 0, nil, err
	}
	return curDeptID, rows, nil
}

// decodePreverifyStream walks the body with a streaming decoder rather than
// unmarshaling it whole, so that a type error names its row (users[7].name),
// and a batch over the row limit is refused as soon as the limit is passed.
func decodePreverifyStream(data []byte) (koodrive.ID, []koodrive.ImportRow, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return 0, nil, jsonError(data, err, "")
	}
	if tok != json.Delim('{') {
		return 0, nil, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgBodyNotObject, nil)
	}
	var cur scalar
	var rows []koodrive.ImportRow
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return 0, nil, jsonError(data, err, "")
		}
		// encoding/json matches keys to fields ignoring case; so does this.
		switch key, _ := tok.(string); {
		case strings.EqualFold(key, "curDeptId"):
			err = dec.Decode(&cur)
		case strings.EqualFold(key, "users"):
			rows, err = decodeRows(dec, data, koodrive.MaxImportRows)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return 0, nil, jsonError(data, err, "")
		}
	}
	if _, err := dec.Token(); err != nil {
		return 0, nil, jsonError(data, err, "")
	}
	if err := endOfBody(data, dec); err != nil {
		return 0, nil, err
	}
	if cur.kind == 0 {
		return 0, nil, koodrive.Invalid("curDeptId", koodrive.MsgFieldRequired, nil)
	}
	curDeptID, err := cur.id("curDeptId")
	if err != nil {
		return 0, nil, err
	}
	if rows == nil {
		return 0, nil, koodrive.Invalid("users", koodrive.MsgFieldRequired, nil)
	}
	if len(rows) == 0 {
		return 0, nil, koodrive.Invalid("users", koodrive.MsgRowCount, koodrive.Params{"Max": koodrive.MaxImportRows, "Count": 0})
	}
	return curDeptID, rows, nil
}

// decodeRowsJSON decodes a users array held apart from its body.
func decodeRowsJSON(raw json.RawMessage, max int) ([]koodrive.ImportRow, error) {
	if len(raw) == 0 {
		return nil, koodrive.Invalid("users", koodrive.MsgFieldRequired, nil)
	}
	rows, err := decodeRows(json.NewDecoder(bytes.NewReader(raw)), raw, max)
	if err != nil {
		return nil, jsonError(raw, err, "")
	}
	if rows == nil {
		return nil, koodrive.Invalid("users", koodrive.MsgFieldRequired, nil)
	}
	return rows, nil
}

// decodeRows decodes the users array, up to max rows; nil for null.
func decodeRows(dec *json.Decoder, data []byte, max int) ([]koodrive.ImportRow, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, koodrive.NewError(koodrive.EMALFORMED, "users", koodrive.MsgFieldType, koodrive.Params{"Type": "array"})
	}
	rows := make([]koodrive.ImportRow, 0, 256)
	for i := 0; dec.More(); i++ {
		if i == max {
			return nil, koodrive.Invalid("users", koodrive.MsgRowCount, koodrive.Params{"Max": max, "Count": i + 1})
		}
		var row importRowJSON
		if err := dec.Decode(&row); err != nil {
			return nil, jsonError(data, err, rowPrefix(i))
		}
		r, err := row.row(i)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return rows, nil
}
