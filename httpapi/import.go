package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/importer"
)

// uploadDeadline bounds reading and verifying one import file: a million
// rows take longer than the server's ordinary timeouts allow.
const uploadDeadline = 30 * time.Minute

// failuresShown is how many failing rows an upload's answer lists; the
// report endpoint pages through them all.
const failuresShown = 100

type uploadJSON struct {
	ResultID  koodrive.ID         `json:"resultId"`
	FileName  string              `json:"fileName"`
	Mode      koodrive.ImportMode `json:"mode"`
	CurDeptID koodrive.ID         `json:"curDeptId"`
	Total     int                 `json:"total"`
	Passed    int                 `json:"passed"`
	Skipped   int                 `json:"skipped"`
	Failed    int                 `json:"failed"`
	TaskID    string              `json:"taskId,omitempty"`
}

func toUploadJSON(up *koodrive.Upload) uploadJSON {
	out := uploadJSON{ResultID: up.ID, FileName: up.FileName, Mode: up.Mode, CurDeptID: up.CurDeptID,
		Total: up.Rows, Passed: up.Passed, Skipped: up.Skipped, Failed: up.Failed}
	if up.TaskID != 0 {
		out.TaskID = up.TaskID.String()
	}
	return out
}

// rowJSON is one row of an upload's or a task's report.
type rowJSON struct {
	Line       int    `json:"line"`
	IsSuccess  int    `json:"isSuccess"`
	Reason     string `json:"reason,omitempty"`
	Outcome    string `json:"outcome"`
	UserID     string `json:"userId"`
	Name       string `json:"name"`
	Department string `json:"department"`
	ID         string `json:"id,omitempty"` // the user created or updated
}

var outcomeNames = map[koodrive.Outcome]string{
	koodrive.OutcomePending: "pending", koodrive.OutcomeCreated: "created", koodrive.OutcomeUpdated: "updated",
	koodrive.OutcomeSkipped: "skipped", koodrive.OutcomeFailed: "failed",
}

func (s *Server) toRowJSON(r *http.Request, res koodrive.RowResult) rowJSON {
	out := rowJSON{Line: res.Row.Line, IsSuccess: res.Result.IsSuccess, Outcome: outcomeNames[res.Outcome],
		UserID: res.Row.UserID, Name: res.Row.Name, Department: res.Row.TargetDeptName}
	if len(res.Result.Reasons) > 0 {
		out.Reason = s.catalog.Join(info(r.Context()).lang, res.Result.Reasons)
	}
	if res.UserID != 0 {
		out.ID = res.UserID.String()
	}
	return out
}

type uploadBody struct {
	envelope
	Data struct {
		uploadJSON
		Failures []rowJSON `json:"failures"`
	} `json:"data"`
}

// uploadImport reads an import file and verifies it (koodrive's step
// before KooDrive's task/create: its answer's resultId starts the task).
// The file comes as multipart/form-data (field "file"; "curDeptId" and
// "mode" may come as fields before it), as a CSV or XLSX body, or as JSON
// rows like pre-verification's; curDeptId and mode may also be query
// parameters.
func (s *Server) uploadImport(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(uploadDeadline))
	rc.SetWriteDeadline(time.Now().Add(uploadDeadline))
	r.Body = http.MaxBytesReader(w, r.Body, info(r.Context()).bodyLimit)

	in := koodrive.UploadCreate{FileName: r.URL.Query().Get("fileName")}
	curDept, mode := r.URL.Query().Get("curDeptId"), r.URL.Query().Get("mode")
	var src koodrive.RowSource
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := bufio.NewReader(r.Body)
	r.Body = struct {
		io.Reader
		io.Closer
	}{body, r.Body}
	// curl -d sends JSON as a form unless told otherwise: a body that
	// starts like a JSON object is one.
	if ctype != "multipart/form-data" && startsJSON(body) {
		ctype = "application/json"
	}
	switch {
	case ctype == "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return koodrive.NewError(koodrive.EMALFORMED, "file", koodrive.MsgFieldRequired, nil)
		}
		for src == nil {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return koodrive.Invalid("file", koodrive.MsgFieldRequired, nil)
			}
			if err != nil {
				return bodyReadError(err)
			}
			switch part.FormName() {
			case "curDeptId", "mode":
				v, err := io.ReadAll(io.LimitReader(part, 256))
				if err != nil {
					return bodyReadError(err)
				}
				if part.FormName() == "mode" {
					mode = strings.TrimSpace(string(v))
				} else {
					curDept = strings.TrimSpace(string(v))
				}
			case "file":
				in.FileName = part.FileName()
				reader, err := importer.NewReader(part, part.FileName())
				if err != nil {
					return bodyReadError(err)
				}
				defer reader.Close()
				src = reader
			}
		}
	case ctype == "application/json":
		data, err := readBody(w, r)
		if err != nil {
			return err
		}
		var cur scalar
		var rows []koodrive.ImportRow
		if cur, mode, rows, err = decodeImportJSON(data, mode); err != nil {
			return err
		}
		if cur.kind != 0 {
			curDept = cur.text
		}
		src = &sliceSource{rows: rows}
	default:
		name, err := bodyFileName(in.FileName, ctype)
		if err != nil {
			return err
		}
		reader, err := importer.NewReader(r.Body, name)
		if err != nil {
			return bodyReadError(err)
		}
		defer reader.Close()
		src = reader
	}
	var err error
	if in.CurDeptID, err = (scalar{kind: kindOf(curDept), text: curDept}).id("curDeptId"); err != nil {
		return err
	}
	if in.Mode, err = koodrive.ParseImportMode(mode); err != nil {
		return err
	}
	up, err := s.svc.Imports.UploadImport(r.Context(), a, in, readErrors{src})
	if err != nil {
		return err
	}
	failures, _, err := s.svc.Imports.UploadRows(r.Context(), a, up.ID, true, 0, failuresShown)
	if err != nil {
		return err
	}
	var out uploadBody
	out.envelope, out.Data.uploadJSON = s.success(r), toUploadJSON(up)
	out.Data.Failures = make([]rowJSON, len(failures))
	for i, f := range failures {
		out.Data.Failures[i] = s.toRowJSON(r, f)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// startsJSON reports whether a body's first byte, past white space and a
// byte order mark, opens a JSON object.
func startsJSON(r *bufio.Reader) bool {
	head, _ := r.Peek(64)
	head = bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("\ufeff")), " \t\r\n")
	return len(head) > 0 && head[0] == '{'
}

// bodyFileName names a file sent as the whole body, for the reader to pick
// its format: by the fileName parameter, else by the Content-Type. Types
// that are neither CSV nor XLSX (a PDF, an image) are refused, not parsed.
func bodyFileName(given, ctype string) (string, error) {
	if given != "" {
		return given, nil
	}
	switch ctype {
	case "", "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/x-www-form-urlencoded":
		// Browsers label .csv files application/vnd.ms-excel; curl
		// --data-binary sends a form unless told otherwise.
		return "upload.csv", nil
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return "upload.xlsx", nil
	case "application/octet-stream":
		return "upload", nil // the reader looks at the content
	}
	return "", koodrive.NewError(koodrive.EMALFORMED, "file", koodrive.MsgFileFormat, koodrive.Params{"Name": ctype})
}

func kindOf(s string) byte {
	if s == "" {
		return 0
	}
	return 's'
}

// readErrors turns a body that ends too soon or too big, met while rows
// are read, into the API's errors.
type readErrors struct{ src koodrive.RowSource }

func (r readErrors) Read() (koodrive.ImportRow, error) {
	row, err := r.src.Read()
	if err != nil && !errors.Is(err, io.EOF) {
		return row, bodyReadError(err)
	}
	return row, err
}

// bodyReadError classifies an error met while reading a request body.
func bodyReadError(err error) error {
	var tooBig *http.MaxBytesError
	var ke *koodrive.Error
	switch {
	case errors.As(err, &tooBig):
		return tooLarge(tooBig.Limit)
	case errors.As(err, &ke):
		return ke
	}
	return &koodrive.Error{Kind: koodrive.EMALFORMED, Message: koodrive.Message{ID: koodrive.MsgBodyRead}, Err: err}
}

// sliceSource serves rows held in memory (an upload of JSON rows).
type sliceSource struct {
	rows []koodrive.ImportRow
	next int
}

func (s *sliceSource) Read() (koodrive.ImportRow, error) {
	if s.next == len(s.rows) {
		return koodrive.ImportRow{}, io.EOF
	}
	s.next++
	return s.rows[s.next-1], nil
}

// decodeImportJSON reads an upload of JSON rows: pre-verification's body
// with a mode, and rows that may carry a role. As decodePreverify does, it
// decodes a well-formed body in one pass, and walks the rows token by token
// only to name a mistake.
func decodeImportJSON(data []byte, mode string) (scalar, string, []koodrive.ImportRow, error) {
	var body struct {
		CurDeptID scalar          `json:"curDeptId"`
		Mode      *string         `json:"mode"`
		Users     []importRowJSON `json:"users"`
	}
	if json.Unmarshal(data, &body) == nil && len(body.Users) > 0 && len(body.Users) <= koodrive.MaxFileRows {
		if body.Mode != nil {
			mode = *body.Mode
		}
		rows, err := importRows(body.Users)
		return body.CurDeptID, mode, rows, err
	}
	var req struct {
		CurDeptID scalar          `json:"curDeptId"`
		Mode      *string         `json:"mode"`
		Users     json.RawMessage `json:"users"`
	}
	if err := json.Unmarshal(data, &req); err != nil {
		return scalar{}, "", nil, jsonError(data, err, "")
	}
	if req.Mode != nil {
		mode = *req.Mode
	}
	rows, err := decodeRowsJSON(req.Users, koodrive.MaxFileRows)
	return req.CurDeptID, mode, rows, err
}

type reportBody struct {
	envelope
	Data struct {
		uploadJSON
		List  []rowJSON `json:"list"`
		Count int       `json:"count"` // rows the filter selects
	} `json:"data"`
}

// importReport answers an upload's verification, a page of rows at a time.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "resultId")
	if err != nil {
		return err
	}
	failedOnly, err := queryBool(r, "failedOnly")
	if err != nil {
		return err
	}
	offset, limit, err := pageQuery(r)
	if err != nil {
		return err
	}
	up, err := s.svc.Imports.FindUpload(r.Context(), a, id)
	if err != nil {
		return err
	}
	rows, count, err := s.svc.Imports.UploadRows(r.Context(), a, id, failedOnly, offset, limit)
	if err != nil {
		return err
	}
	var out reportBody
	out.envelope, out.Data.uploadJSON, out.Data.Count = s.success(r), toUploadJSON(up), count
	out.Data.List = make([]rowJSON, len(rows))
	for i, row := range rows {
		out.Data.List[i] = s.toRowJSON(r, row)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// pageQuery reads optional offset (default 0) and limit (default 100).
func pageQuery(r *http.Request) (int, int, error) {
	offset, err := queryInt(r, "offset", 0, 1<<31-1, false, 0)
	if err != nil {
		return 0, 0, err
	}
	limit, err := queryInt(r, "limit", 1, koodrive.MaxPageSize, false, koodrive.MaxPageSize)
	return offset, limit, err
}

// failedRowsCSV streams rows that failed as a CSV file to fix and upload
// again: the template's columns in the request's language, and the reason.
func (s *Server) failedRowsCSV(w http.ResponseWriter, r *http.Request, name string,
	page func(offset, limit int) ([]koodrive.RowResult, int, error)) error {
	rows, total, err := page(0, koodrive.MaxPageSize)
	if err != nil {
		return err
	}
	lang := info(r.Context()).lang
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	fw := importer.NewFailedRowsWriter(w, lang.String())
	for offset := 0; ; {
		for _, row := range rows {
			if err := fw.Write(row.Row, s.catalog.Join(lang, row.Result.Reasons)); err != nil {
				return nil // the client went away; the status is sent
			}
		}
		if offset += len(rows); offset >= total || len(rows) == 0 {
			break
		}
		if rows, _, err = page(offset, koodrive.MaxPageSize); err != nil {
			info(r.Context()).log.Error("failed rows", "error", err)
			break
		}
	}
	fw.Flush()
	return nil
}

func (s *Server) uploadFailedRows(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "resultId")
	if err != nil {
		return err
	}
	return s.failedRowsCSV(w, r, "failed-rows-"+id.String()+".csv", func(offset, limit int) ([]koodrive.RowResult, int, error) {
		return s.svc.Imports.UploadRows(r.Context(), a, id, true, offset, limit)
	})
}

func (s *Server) taskFailedRows(w http.ResponseWriter, r *http.Request, a koodrive.Actor) error {
	id, err := pathID(r, "taskId")
	if err != nil {
		return err
	}
	return s.failedRowsCSV(w, r, "failed-rows-"+id.String()+".csv", func(offset, limit int) ([]koodrive.RowResult, int, error) {
		return s.svc.Imports.TaskRows(r.Context(), a, id, true, offset, limit)
	})
}
