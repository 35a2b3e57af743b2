package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// impFormula is a name that a spreadsheet would run as a formula.
const impFormula = `=HYPERLINK("http://evil.example","click")`

// impBadRow is a row of the rules file and, if it fails, why: a part of
// its reason in English and in Chinese, and the KooDrive code of the
// failure.
type impBadRow struct {
	row    impRow
	en, zh string
	code   int
}

// impRulesFile is a file with every kind of bad row and good rows between
// them, for a department administrator of Sales to upload into Sales. Its
// organization has Sales/East, Sales/West/East and Support, and a user
// existing1 with the email existing@example.com. Line n of the file is
// rows[n-2].
func impRulesFile() []impBadRow {
	const (
		notFound  = 13000309
		invalid   = 13000102
		forbidden = 13000410
	)
	capRange := "personalCapacity must be a whole number of GB from 0 to 104857600"
	capRangeZH := "personalCapacity 必须是 0 到 104857600 之间的整数"
	return []impBadRow{
		/* 2 */ {row: impRow{"good1", "Good One", "13900000001", "good1@example.com", "Sales/East", "", "2", "yes"}},
		/* 3 */ {impRow{"bad-dept", "Bad Dept", "", "", "Nowhere", "", "", ""},
			"department Nowhere was not found in Organization/Sales or below it", "在 Organization/Sales 及其下级部门中找不到部门 Nowhere", notFound},
		/* 4 */ {row: impRow{"good2", "Good Two", "", "", "West", "member manager", "", ""}},
		/* 5 */ {impRow{"bad-ambiguous", "", "", "", "east", "", "", ""},
			"department name east matches 2 departments (", "部门名称 east 匹配到 2 个部门（", notFound},
		/* 6 */ {impRow{"bad-negative", "", "", "", "", "", "-5", "yes"}, capRange, capRangeZH, invalid},
		/* 7 */ {impRow{"bad-huge", "", "", "", "", "", "104857601", "yes"}, capRange, capRangeZH, invalid},
		/* 8 */ {impRow{"bad-text", "", "", "", "", "", "ten", ""}, capRange, capRangeZH, invalid},
		/* 9 */ {impRow{"bad-noalloc", "", "", "", "", "", "10", "no"},
			"personalCapacity must be 0 when isAllocateCapacity is false", "isAllocateCapacity 为 false 时，personalCapacity 必须为 0", invalid},
		/* 10 */ {impRow{"bad-zero", "", "", "", "", "", "0", "yes"},
			"personalCapacity must be at least 1 GB when isAllocateCapacity is true", "personalCapacity 至少为 1 GB", invalid},
		/* 11 */ {impRow{"bad-maybe", "", "", "", "", "", "5", "maybe"},
			"allocateCapacity must be yes or no", "allocateCapacity 必须是“是”或“否”", invalid},
		/* 12 */ {row: impRow{"good3", "Good Three", "", "", "", "0", "1", ""}},
		/* 13 */ {impRow{"bad-email", "", "", "not-an-email", "", "", "", ""},
			"email must be an email address such as name@example.com", "email 必须是电子邮箱地址", invalid},
		/* 14 */ {impRow{"bad-mobile", "", "12ab", "", "", "", "", ""},
			"mobile must be a phone number of 5 to 20 digits", "mobile 必须是 5 到 20 位数字的电话号码", invalid},
		/* 15 */ {impRow{"bad-role", "", "", "", "", "wizard", "", ""},
			"role must be one of 0 (department administrator), 1 (common user)", "role 必须是 0（部门管理员）", invalid},
		/* 16 */ {impRow{"bad-grant", "", "", "", "", "2", "", ""}, "you may not grant role 2 (role)", "您无权授予角色 2（role）", forbidden},
		/* 17 */ {impRow{"bad-grant-name", "", "", "", "", "Drive Administrator", "", ""},
			"you may not grant role 3 (role)", "您无权授予角色 3（role）", forbidden},
		/* 18 */ {impRow{"", "No Id", "", "", "", "", "", ""}, "userId is required to import a user", "导入用户时 userId 为必填项", invalid},
		/* 19 */ {row: impRow{"Dup1", "Good Four", "138 0013 8000", "dup@example.com", "", "", "", ""}},
		/* 20 */ {impRow{"dup1", "", "", "other20@example.com", "", "", "", ""}, "userId dup1 repeats row 19", "userId dup1 与第 19 行重复", invalid},
		/* 21 */ {impRow{"dup-email", "", "", "DUP@example.com", "", "", "", ""},
			"email DUP@example.com repeats row 19", "email DUP@example.com 与第 19 行重复", invalid},
		/* 22 */ {impRow{"dup-mobile", "", "138-0013-8000", "", "", "", "", ""},
			"mobile 13800138000 repeats row 19", "mobile 13800138000 与第 19 行重复", invalid},
		/* 23 */ {impRow{"EXISTING1", "", "", "", "", "", "", ""},
			"userId EXISTING1 already belongs to an existing user", "userId EXISTING1 已属于现有用户", invalid},
		/* 24 */ {impRow{"taken-email", "", "", "Existing@Example.com", "", "", "", ""},
			"email Existing@Example.com already belongs to an existing user", "email Existing@Example.com 已属于现有用户", invalid},
		/* 25 */ {impRow{"formula", impFormula, "", "", "Nowhere", "", "", ""},
			"department Nowhere was not found", "找不到部门 Nowhere", notFound},
		/* 26 */ {row: impRow{"good5", "Good Five", "", "", "West/East", "普通用户", "3", "是"}},
	}
}

// impRulesOrg sets up the organization of impRulesFile and returns the
// Sales department, its administrator's token and the departments by path.
func impRulesOrg(t *testing.T, s *server) (sales, token string, depts map[string]string) {
	t.Helper()
	sales = s.createDept(t, s.Admin, s.Root, "Sales")
	west := s.createDept(t, s.Admin, sales, "West")
	depts = map[string]string{
		"Sales":           sales,
		"Sales/East":      s.createDept(t, s.Admin, sales, "East"),
		"Sales/West":      west,
		"Sales/West/East": s.createDept(t, s.Admin, west, "East"),
		"Support":         s.createDept(t, s.Admin, s.Root, "Support"),
	}
	s.createUser(t, s.Admin, map[string]any{"userId": "existing1", "email": "existing@example.com",
		"modifyUserInfoReq": map[string]any{"deptId": sales}})
	_, token = s.userIn(t, "salesadmin", sales, 0)
	return sales, token, depts
}

// TestImportRules uploads a file that mixes every kind of bad row with good
// ones: the upload's report names exactly the failing lines and why, in
// both languages; the task imports exactly the good rows and reports the
// others; and the failed rows, downloaded, fixed and uploaded again, import.
func TestImportRules(t *testing.T) {
	s := startServer(t)
	sales, token, depts := impRulesOrg(t, s)
	file := impRulesFile()
	rows := make([]impRow, len(file))
	var wantFailed []int // lines
	bad := map[int]impBadRow{}
	for i, f := range file {
		rows[i] = f.row
		if f.en != "" {
			wantFailed = append(wantFailed, i+2)
			bad[i+2] = f
		}
	}
	before, allocatedBefore := impTotals(t, s)

	r := impUploadForm(t, s, token, "rules.csv", impRowsCSV(impHeadersEN, rows), []string{"curDeptId", sales})
	r.wantOK(t)
	up := r.data(t)
	resultID := str(t, up, "resultId")
	good := len(rows) - len(wantFailed)
	if got, want := impCounts(t, up), [4]int{len(rows), good, 0, len(wantFailed)}; got != want {
		t.Errorf("upload total, passed, skipped, failed %v, want %v", got, want)
	}

	// The upload's answer and its report list the failing lines, each
	// with its one reason, in the language asked for.
	var inAnswer []int
	for _, f := range r.Body["data"].(map[string]any)["failures"].([]any) {
		inAnswer = append(inAnswer, num(t, f.(map[string]any), "line"))
	}
	if !slices.Equal(inAnswer, wantFailed) {
		t.Errorf("upload answer lists lines %v as failing, want %v", inAnswer, wantFailed)
	}
	for _, lang := range []string{"en-US", "zh-CN"} {
		report := impReport(t, s, token, resultID, true, lang)
		var lines []int
		for _, row := range report {
			lines = append(lines, row.Line)
			b, ok := bad[row.Line]
			if !ok {
				continue
			}
			want := b.en
			if lang == "zh-CN" {
				want = b.zh
			}
			if !strings.Contains(row.Reason, want) || row.IsSuccess != 1 || row.Outcome != "pending" || row.UserID != b.row.UserID {
				t.Errorf("%s report of line %d: %+v; want isSuccess 1, pending, userId %q, a reason with %q", lang, row.Line, row, b.row.UserID, want)
			}
			if row.Line == 5 {
				// The paths of both Easts, in either order, and nothing after.
				if !strings.Contains(row.Reason, "Organization/Sales/East") || !strings.Contains(row.Reason, "Organization/Sales/West/East") ||
					!strings.HasSuffix(row.Reason, map[string]string{"en-US": "such as Parent/Child", "zh-CN": "例如 上级部门/部门"}[lang]) {
					t.Errorf("%s report of line 5: %q; want both paths of East and one reason", lang, row.Reason)
				}
			} else if strings.Contains(row.Reason, "; ") || strings.Contains(row.Reason, "；") {
				t.Errorf("%s report of line %d gives more than one reason: %q", lang, row.Line, row.Reason)
			}
		}
		if !slices.Equal(lines, wantFailed) {
			t.Errorf("%s report lists lines %v as failing, want %v", lang, lines, wantFailed)
		}
	}
	all := impReport(t, s, token, resultID, false, "")
	if len(all) != len(rows) {
		t.Fatalf("report of every row has %d rows, want %d", len(all), len(rows))
	}
	for i, row := range all {
		_, failing := bad[i+2]
		if row.Line != i+2 || (row.IsSuccess == 1) != failing {
			t.Errorf("report row %d: line %d, isSuccess %d; want line %d, failing %t", i, row.Line, row.IsSuccess, i+2, failing)
		}
	}

	// The task imports the good rows only.
	taskID := impStart(t, s, token, resultID)
	task := impWait(t, s.URL, token, taskID, impDeadline)
	impWantProgress(t, task, 2, impProgress{Total: len(rows), Done: len(rows), Created: good, Failed: len(wantFailed)})
	if got := s.count(t); got != before+good {
		t.Errorf("users/count %d after the import, want %d + %d", got, before, good)
	}
	impWantUser(t, s, impUser{UserID: "good1", Name: "Good One", Mobile: "13900000001", Email: "good1@example.com", Role: 1}, depts["Sales/East"], 2)
	impWantUser(t, s, impUser{UserID: "good2", Name: "Good Two", Role: 5}, depts["Sales/West"], 0)
	impWantUser(t, s, impUser{UserID: "good3", Name: "Good Three", Role: 0}, sales, 1)
	impWantUser(t, s, impUser{UserID: "Dup1", Name: "Good Four", Mobile: "13800138000", Email: "dup@example.com", Role: 1}, sales, 0)
	impWantUser(t, s, impUser{UserID: "good5", Name: "Good Five", Role: 1}, depts["Sales/West/East"], 3)
	for _, b := range bad {
		if b.row.UserID == "" || strings.EqualFold(b.row.UserID, "dup1") || strings.EqualFold(b.row.UserID, "existing1") {
			continue
		}
		if u := impFind(t, s, b.row.UserID); u != nil {
			t.Errorf("failing row %s was imported: %+v", b.row.UserID, u)
		}
	}
	if u := impMustFind(t, s, "existing1"); u.Email != "existing@example.com" || u.Name != "" {
		t.Errorf("existing1 changed: %+v", u)
	}

	// The task's result reports each failure with its user, reason, line
	// and code; its pages follow offset and limit.
	for _, lang := range []string{"en-US", "zh-CN"} {
		res := impResult(t, s, token, taskID, "", "language", lang)
		if res.SuccessCount != good || res.CreatedCount != good || res.FailCount != len(wantFailed) || res.RemainingCount != 0 {
			t.Errorf("result: %+v; want %d created, %d failed, none remaining", res, good, len(wantFailed))
		}
		var lines []int
		for _, f := range res.FailInfoList {
			lines = append(lines, f.Row)
			b := bad[f.Row]
			wantName, wantDesc := b.row.Name, b.en
			if wantName == "" {
				wantName = b.row.UserID
			}
			if lang == "zh-CN" {
				wantDesc = b.zh
			}
			if f.UserName != wantName || !strings.Contains(f.Desc, wantDesc) || f.Code != b.code {
				t.Errorf("%s failInfo of row %d: %+v; want userName %q, code %d, desc with %q", lang, f.Row, f, wantName, b.code, wantDesc)
			}
		}
		if !slices.Equal(lines, wantFailed) {
			t.Errorf("%s failInfoList rows %v, want %v", lang, lines, wantFailed)
		}
	}
	page := impResult(t, s, token, taskID, "&offset=5&limit=4")
	var lines []int
	for _, f := range page.FailInfoList {
		lines = append(lines, f.Row)
	}
	if !slices.Equal(lines, wantFailed[5:9]) || page.FailCount != len(wantFailed) {
		t.Errorf("failInfoList at offset 5, limit 4: rows %v, failCount %d; want %v, %d", lines, page.FailCount, wantFailed[5:9], len(wantFailed))
	}

	// The failed rows come back as a CSV file to fix: UTF-8 with a byte
	// order mark, a line column, the template's columns and the reason.
	for _, path := range []string{"/task/" + taskID + "/failedRows", "/users/batchimport/" + resultID + "/failedRows"} {
		for _, lang := range []string{"en-US", "zh-CN"} {
			header, records := impFailedRows(t, s, token, path, lang)
			wantHeader := append(append([]string{"Line"}, impHeadersEN...), "Reason")
			if lang == "zh-CN" {
				wantHeader = append(append([]string{"行号"}, impHeadersZH...), "原因")
			}
			if !slices.Equal(header, wantHeader) {
				t.Errorf("%s %s header %q, want %q", path, lang, header, wantHeader)
			}
			var lines []int
			for _, rec := range records {
				line, _ := strconv.Atoi(rec[0])
				lines = append(lines, line)
				b := bad[line]
				want := b.en
				if lang == "zh-CN" {
					want = b.zh
				}
				if !strings.Contains(rec[len(rec)-1], want) || rec[1] != b.row.UserID {
					t.Errorf("%s %s line %d: %q; want userId %q and a reason with %q", path, lang, line, rec, b.row.UserID, want)
				}
				if line == 25 && rec[2] != "'"+impFormula {
					t.Errorf("%s: the formula name comes back as %q, want it escaped as %q", path, rec[2], "'"+impFormula)
				}
			}
			if !slices.Equal(lines, wantFailed) {
				t.Errorf("%s %s lists lines %v, want %v", path, lang, lines, wantFailed)
			}
		}
	}

	// Fixed cell by cell, the failed rows upload cleanly and import.
	raw := impFailedRowsRaw(t, s, token, "/task/"+taskID+"/failedRows", "en-US")
	fixed := impFixFailedRows(t, raw, map[int]map[int]string{ // line -> column (in the template's order) -> value
		3:  {4: "Sales"},
		5:  {4: "West/East"},
		6:  {6: "4"},
		7:  {6: "4"},
		8:  {6: "0"},
		9:  {7: "yes"},
		10: {6: "1"},
		11: {7: "yes"},
		13: {3: "fixed13@example.com"},
		14: {2: "13700000014"},
		15: {5: "1"},
		16: {5: "5"},
		17: {5: ""},
		18: {0: "noid-fixed"},
		20: {0: "dup2"},
		21: {3: "dup21@example.com"},
		22: {2: "13800138022"},
		23: {0: "existing2"},
		24: {3: "newguy@example.com"},
		25: {4: "Sales"},
	})
	r = impUploadForm(t, s, token, "fixed.csv", fixed, []string{"curDeptId", sales})
	r.wantOK(t)
	up2 := r.data(t)
	if got, want := impCounts(t, up2), [4]int{len(wantFailed), len(wantFailed), 0, 0}; got != want {
		t.Fatalf("fixed file: total, passed, skipped, failed %v, want %v; %s", got, want, r.Raw)
	}
	task = impRun(t, s, token, up2)
	impWantProgress(t, task, 2, impProgress{Total: len(wantFailed), Done: len(wantFailed), Created: len(wantFailed)})
	impWantUser(t, s, impUser{UserID: "formula", Name: impFormula, Role: 1}, sales, 0)
	impWantUser(t, s, impUser{UserID: "bad-maybe", Role: 1}, sales, 5)
	impWantUser(t, s, impUser{UserID: "dup-mobile", Mobile: "13800138022", Role: 1}, sales, 0)
	impWantUser(t, s, impUser{UserID: "bad-ambiguous", Role: 1}, depts["Sales/West/East"], 0)
	if got := s.count(t); got != before+len(rows) {
		t.Errorf("users/count %d, want %d", got, before+len(rows))
	}
	// 2+1+3 GB the first time; 4+4+10+1+5 GB for the fixed rows.
	if _, allocated := impTotals(t, s); allocated != allocatedBefore+30 {
		t.Errorf("%d GB allocated, want %d + 30", allocated, allocatedBefore)
	}
}

// impFailedRowsRaw downloads a failed-rows file.
func impFailedRowsRaw(t *testing.T, s *server, token, path, lang string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+apiPath(path), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("language", lang)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %d %s %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Errorf("GET %s: the file starts % x, want a UTF-8 byte order mark", path, raw[:min(len(raw), 3)])
	}
	return raw
}

// impFailedRows downloads a failed-rows file and returns its header and
// records.
func impFailedRows(t *testing.T, s *server, token, path, lang string) ([]string, [][]string) {
	t.Helper()
	raw := impFailedRowsRaw(t, s, token, path, lang)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("GET %s: not CSV: %v %q", path, err, raw)
	}
	return records[0], records[1:]
}

// impFixFailedRows changes cells of a failed-rows file: fixes maps a line
// to the template columns (0 for the userId) to change. The line and
// reason columns stay, as an administrator would leave them.
func impFixFailedRows(t *testing.T, raw []byte, fixes map[int]map[int]string) []byte {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range records[1:] {
		line, _ := strconv.Atoi(rec[0])
		fix, ok := fixes[line]
		if !ok {
			t.Fatalf("no fix for line %d: %q", line, rec)
		}
		for col, v := range fix {
			rec[col+1] = v
		}
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.WriteAll(records)
	return b.Bytes()
}

// TestImportFileErrors refuses files that cannot be read as a whole, with
// 13000101 and a message that names the problem.
func TestImportFileErrors(t *testing.T) {
	s := startServer(t)
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	csvBody := func(name string, body string, parts ...string) func(t *testing.T) {
		return func(t *testing.T) {
			impWantFileError(t, impUploadBody(t, s, s.Admin, []byte(body), "text/csv", nil), parts...)
			impWantFileError(t, impUploadForm(t, s, s.Admin, name, []byte(body), nil), parts...)
		}
	}
	t.Run("NoUserIDColumn", csvBody("a.csv", "name,email\r\nAlice,a@example.com\r\n", "the header row has no User ID column"))
	t.Run("NoUserIDColumnChinese", func(t *testing.T) {
		r := impUploadBody(t, s, s.Admin, []byte("姓名,邮箱\n张伟,z@example.com\n"), "text/csv", nil, "language", "zh-CN")
		impWantFileError(t, r, "表头行缺少 用户ID 列")
	})
	t.Run("ColumnTwice", csvBody("a.csv", "userId,Name,e-mail,name\r\nu1,A,a@example.com,B\r\n", "the header row has the name column twice"))
	t.Run("ColumnTwiceInOtherWords", csvBody("a.csv", "User ID,account\r\nu1,u2\r\n", "the header row has the account column twice"))
	t.Run("Empty", csvBody("a.csv", "", "the file has no header row"))
	t.Run("OnlyBlankLines", csvBody("a.csv", "\r\n \r\n,,\r\n", "the file has no header row"))
	t.Run("NoHeader", csvBody("a.csv", "alice,Alice,13800000000\r\nbob,Bob,13800000001\r\n", "the header row has no User ID column"))
	t.Run("BrokenQuote", csvBody("a.csv", "userId,name\r\nu1,\"Alice\r\nu2,Bob\r\n", "line 2 of the file cannot be read"))
	t.Run("StrayQuote", csvBody("a.csv", "userId,name\r\nu1,A\r\nu2,B\"ob\r\n", "line 3 of the file cannot be read"))
	t.Run("PDF", func(t *testing.T) {
		impWantFileError(t, impUploadForm(t, s, s.Admin, "report.pdf", pdf, nil), "report.pdf is not a CSV or XLSX file")
		impWantFileError(t, impUploadBody(t, s, s.Admin, pdf, "application/octet-stream", url.Values{"fileName": {"report.pdf"}}),
			"report.pdf is not a CSV or XLSX file")
	})
	t.Run("PDFBodyByContentType", func(t *testing.T) {
		// A body that says it is a PDF, with no file name, is no CSV file
		// either; reading it as one blames a column.
		impWantFileError(t, impUploadBody(t, s, s.Admin, pdf, "application/pdf", nil), "is not a CSV or XLSX file")
	})
	t.Run("XLS", func(t *testing.T) {
		xls := []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00")
		impWantFileError(t, impUploadForm(t, s, s.Admin, "users.xls", xls, nil), "users.xls is not a CSV or XLSX file")
	})
	t.Run("BrokenXLSX", func(t *testing.T) {
		impWantFileError(t, impUploadForm(t, s, s.Admin, "users.xlsx", []byte("PK\x03\x04 not really a zip"), nil),
			"users.xlsx is not a CSV or XLSX file")
		impWantFileError(t, impUploadBody(t, s, s.Admin, []byte("PK\x03\x04 not really a zip"), impXLSXType, nil),
			"upload.xlsx is not a CSV or XLSX file")
	})
	t.Run("NoFilePart", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("--x\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\ncreate\r\n--x--\r\n")
		r := s.do(t, "POST", impUploadPath, s.Admin, b.Bytes(), "Content-Type", "multipart/form-data; boundary=x")
		r.wantError(t, http.StatusBadRequest, 13000102, "file is required")
	})
	t.Run("BadMode", func(t *testing.T) {
		r := impUploadBody(t, s, s.Admin, []byte("userId\r\nu1\r\n"), "text/csv", url.Values{"mode": {"bogus"}})
		r.wantError(t, http.StatusBadRequest, 13000102, "mode must be one of create, update, skip")
	})
	if got := s.count(t); got != 1 {
		t.Errorf("users/count %d after refused files, want 1", got)
	}
	r := s.do(t, "GET", "/task/list", s.Admin, nil)
	r.wantOK(t)
	if tasks, _ := r.Body["taskList"].([]any); len(tasks) != 0 {
		t.Errorf("task list after refused files: %s", r.Raw)
	}
}

// impBigBody is a CSV file of size bytes whose rows carry a 1 MiB note
// column (ignored on import), made as it is read.
type impBigBody struct {
	left int64
	row  []byte
	pos  int
}

func (b *impBigBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && b.left > 0 {
		chunk := b.row[b.pos:]
		if int64(len(chunk)) > b.left {
			chunk = chunk[:b.left]
		}
		k := copy(p[n:], chunk)
		b.pos = (b.pos + k) % len(b.row)
		b.left -= int64(k)
		n += k
	}
	return n, nil
}

// TestImportTooLarge sends a file over the upload limit of 512 MiB: it is
// refused with 413 and 13000101, and nothing of it stays.
func TestImportTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 513 MiB")
	}
	s := startServer(t)
	const size = 513 << 20
	head := "userId,name,notes\r\n"
	body := io.MultiReader(strings.NewReader(head), &impBigBody{left: size - int64(len(head)),
		row: []byte("big,Big," + strings.Repeat("x", 1<<20) + "\r\n")})
	req, err := http.NewRequest("POST", s.URL+apiPath(impUploadPath), body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Admin)
	req.Header.Set("Content-Type", "text/csv")
	r := send(t, req)
	r.wantError(t, http.StatusRequestEntityTooLarge, 13000101, fmt.Sprint("larger than the limit of ", 512<<20, " bytes"))
	if got := s.count(t); got != 1 {
		t.Errorf("users/count %d, want 1", got)
	}
}
