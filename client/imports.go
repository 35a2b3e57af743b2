package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/koodrive/koodrive"
)

var _ koodrive.ImportService = (*ImportService)(nil)

// ImportService is koodrive.ImportService over
// /koodrive/ose/v1/users/batchimport and /koodrive/ose/v1/task. Its methods
// ignore the Actor argument. Pre-verification takes a session token only
// (app authentication is refused there, as in KooDrive); uploads and tasks
// (tasks.go) take either.
type ImportService struct{ c *Client }

// Imports returns the import service.
func (c *Client) Imports() *ImportService { return &ImportService{c} }

const batchImportPath = oseV1 + "/users/batchimport"

// importRowJSON is KooDrive's ImportUserInfo with koodrive's identity
// fields. personalCapacity goes as a number when it is one and as text
// otherwise, so that the server, not the client, judges a bad value.
type importRowJSON struct {
	TargetDeptName     string `json:"targetDeptName"`
	PersonalCapacity   any    `json:"personalCapacity,omitempty"`
	IsAllocateCapacity *bool  `json:"isAllocateCapacity,omitempty"`
	UserID             string `json:"userId,omitempty"`
	Name               string `json:"name,omitempty"`
	Mobile             string `json:"mobile,omitempty"`
	Email              string `json:"email,omitempty"`
	Role               string `json:"role,omitempty"`
}

// toImportRowJSON is a row as the upload of JSON rows takes it.
func toImportRowJSON(r koodrive.ImportRow) importRowJSON {
	return importRowJSON{TargetDeptName: r.TargetDeptName, PersonalCapacity: capacityJSON(r.PersonalCapacity),
		IsAllocateCapacity: r.IsAllocateCapacity, UserID: r.UserID, Name: r.Name, Mobile: r.Mobile, Email: r.Email, Role: r.Role}
}

func capacityJSON(s string) any {
	switch {
	case s == "":
		return nil
	case json.Valid([]byte(s)):
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	}
	return s
}

// PreverifyImport checks rows against the organization and writes nothing
// (POST /users/batchimport/preverify): one result per row, in order. A
// failing row's Reasons hold one message, the server's text (in the
// client's language) as its ID; Kind is not on the wire and stays empty. A
// row's Line, Role and Problems are not sent: the endpoint takes none of
// them.
func (s *ImportService) PreverifyImport(ctx context.Context, _ koodrive.Actor, curDeptID koodrive.ID, rows []koodrive.ImportRow) ([]koodrive.VerifyResult, error) {
	body := struct {
		CurDeptID koodrive.ID     `json:"curDeptId"`
		Users     []importRowJSON `json:"users"`
	}{curDeptID, make([]importRowJSON, len(rows))}
	for i, r := range rows {
		body.Users[i] = toImportRowJSON(r)
		body.Users[i].Role = "" // the endpoint takes none
	}
	var out dataBody[[]struct {
		IsSuccess int    `json:"isSuccess"`
		Reason    string `json:"reason"`
	}]
	if err := s.c.do(ctx, request{method: http.MethodPost, path: batchImportPath + "/preverify", body: body}, &out); err != nil {
		return nil, err
	}
	results := make([]koodrive.VerifyResult, len(out.Data))
	for i, r := range out.Data {
		results[i].IsSuccess = r.IsSuccess
		if r.Reason != "" {
			results[i].Reasons = []koodrive.Message{{ID: koodrive.MessageID(r.Reason)}}
		}
	}
	return results, nil
}
