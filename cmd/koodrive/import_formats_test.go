package main

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// impFormatOrg is an organization to import the format tests' files into:
// 销售部 with 华东 under it, and 研发部, under the root.
type impFormatOrg struct {
	s               *server
	sales, east, rd string
}

func newImpFormatOrg(t *testing.T) *impFormatOrg {
	s := startServer(t)
	o := &impFormatOrg{s: s}
	o.sales = s.createDept(t, s.Admin, s.Root, "销售部")
	o.east = s.createDept(t, s.Admin, o.sales, "华东")
	o.rd = s.createDept(t, s.Admin, s.Root, "研发部")
	return o
}

// impExpected is a row's user as it must be after the import.
type impExpected struct {
	user     impUser
	dept     string
	capacity int
}

// rows returns the five rows of case k (its userIds start with prefix)
// and the users they must become. Between them the rows use every way of
// writing a mobile number, a department (name, path, empty), a role
// (number, English name, Chinese name, empty) and the allocation (yes, no,
// 是, 否, empty).
func (o *impFormatOrg) rows(prefix string, k int) ([]impRow, []impExpected) {
	mobile := func(i int) string { return fmt.Sprintf("138%04d%04d", k, i) }
	id := func(i int) string { return fmt.Sprintf("%s-%d", prefix, i) }
	rows := []impRow{
		{id(1), "王小明", "+86 " + mobile(1)[:3] + "-" + mobile(1)[3:7] + "-" + mobile(1)[7:], "Wang." + prefix + "@Example.com", "销售部", "", "10", "yes"},
		{id(2), "李雷", "(" + mobile(2)[:3] + ") " + mobile(2)[3:7] + " " + mobile(2)[7:], "li." + prefix + "@example.com", "销售部/华东", "0", "", "no"},
		{id(3), "韩梅梅", "", "", "研发部", "Department Administrator", "5", ""},
		{id(4), "张伟", mobile(4), "", "", "成员管理员", "0", "否"},
		{id(5), "刘洋", "", "liu." + prefix + "@example.cn", "华东", "普通用户", "3", "是"},
	}
	want := []impExpected{
		{impUser{UserID: id(1), Name: "王小明", Mobile: "+86" + mobile(1), Email: "Wang." + prefix + "@Example.com", Role: 1}, o.sales, 10},
		{impUser{UserID: id(2), Name: "李雷", Mobile: mobile(2), Email: "li." + prefix + "@example.com", Role: 0}, o.east, 0},
		{impUser{UserID: id(3), Name: "韩梅梅", Role: 0}, o.rd, 5},
		{impUser{UserID: id(4), Name: "张伟", Mobile: mobile(4), Role: 5}, o.s.Root, 0},
		{impUser{UserID: id(5), Name: "刘洋", Email: "liu." + prefix + "@example.cn", Role: 1}, o.east, 3},
	}
	return rows, want
}

// check runs an accepted upload of the five rows and checks the users.
func (o *impFormatOrg) check(t *testing.T, r reply, fileName string, want []impExpected) {
	t.Helper()
	r.wantOK(t)
	up := r.data(t)
	if got := impCounts(t, up); got != [4]int{5, 5, 0, 0} {
		t.Fatalf("upload: total, passed, skipped, failed %v, want [5 5 0 0]; %s", got, r.Raw)
	}
	if got := str(t, up, "fileName"); got != fileName {
		t.Errorf("fileName %q, want %q", got, fileName)
	}
	task := impRun(t, o.s, o.s.Admin, up)
	impWantProgress(t, task, 2, impProgress{Total: 5, Done: 5, Created: 5})
	for _, w := range want {
		impWantUser(t, o.s, w.user, w.dept, w.capacity)
		if u := impFind(t, o.s, w.user.UserID); u != nil && u.Status != 2 {
			t.Errorf("user %s has status %d, want 2 (not activated)", u.UserID, u.Status)
		}
	}
}

// impEncodings turn UTF-8 text into each encoding the CSV reader knows.
var impEncodings = map[string]func(t *testing.T, text []byte) []byte{
	"UTF-8": func(_ *testing.T, text []byte) []byte { return text },
	"UTF-8 BOM": func(_ *testing.T, text []byte) []byte {
		return append([]byte("\ufeff"), text...)
	},
	"UTF-16LE BOM": func(t *testing.T, text []byte) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(text)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0xff, 0xfe}) {
			t.Fatalf("no UTF-16 LE byte order mark: % x", b[:4])
		}
		return b
	},
	"UTF-16BE BOM": func(t *testing.T, text []byte) []byte {
		b, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes(text)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
			t.Fatalf("no UTF-16 BE byte order mark: % x", b[:4])
		}
		return b
	},
	"GBK": func(t *testing.T, text []byte) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes(text)
		if err != nil {
			t.Fatal(err)
		}
		return b
	},
}

// impXLSX writes rows under a header as an XLSX workbook. Capacities
// are numbers, as a spreadsheet stores what is typed as a number, and so is
// the mobile number of a row written without separators.
func impXLSX(t *testing.T, header []string, rows []impRow) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cells := make([]any, 0, 8)
		for c, v := range r.cells() {
			var n int
			if _, err := fmt.Sscanf(v, "%d", &n); err == nil && fmt.Sprint(n) == v && (c == 6 || c == 2) {
				cells = append(cells, n)
			} else {
				cells = append(cells, v)
			}
		}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &cells); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportFormats uploads the same five rows as CSV in every encoding the
// reader knows, and as XLSX, with English and Chinese headers, each as a
// multipart form and as the request body, and checks the users each import
// creates field by field.
func TestImportFormats(t *testing.T) {
	o := newImpFormatOrg(t)
	type format struct {
		name     string
		header   []string
		file     func(t *testing.T, header []string, rows []impRow) []byte
		ext      string
		bodyType string
	}
	csvIn := func(enc string) func(t *testing.T, header []string, rows []impRow) []byte {
		return func(t *testing.T, header []string, rows []impRow) []byte {
			return impEncodings[enc](t, impRowsCSV(header, rows))
		}
	}
	formats := []format{
		{"CSV UTF-8 en", impHeadersEN, csvIn("UTF-8"), ".csv", "text/csv"},
		{"CSV UTF-8 zh", impHeadersZH, csvIn("UTF-8"), ".csv", "text/csv"},
		{"CSV UTF-8 BOM en", impHeadersEN, csvIn("UTF-8 BOM"), ".csv", "text/csv"},
		{"CSV UTF-8 BOM zh", impHeadersZH, csvIn("UTF-8 BOM"), ".csv", "text/csv"},
		{"CSV UTF-16LE en", impHeadersEN, csvIn("UTF-16LE BOM"), ".csv", "text/csv"},
		{"CSV UTF-16BE zh", impHeadersZH, csvIn("UTF-16BE BOM"), ".csv", "text/csv"},
		{"CSV GBK zh", impHeadersZH, csvIn("GBK"), ".csv", "text/csv"},
		{"CSV keys", impKeys, csvIn("UTF-8"), ".csv", "text/csv; charset=utf-8"},
		{"XLSX en", impHeadersEN, impXLSX, ".xlsx", impXLSXType},
		{"XLSX zh", impHeadersZH, impXLSX, ".xlsx", impXLSXType},
	}
	k := 0
	for _, f := range formats {
		for _, how := range []string{"multipart", "body"} {
			t.Run(f.name+" "+how, func(t *testing.T) {
				k++
				prefix := fmt.Sprintf("fmt%02d", k)
				rows, want := o.rows(prefix, k)
				content := f.file(t, f.header, rows)
				if f.name == "CSV GBK zh" && (bytes.Contains(content, []byte("王小明")) || !bytes.Contains(content, []byte{0xcd, 0xf5})) {
					t.Fatal("the GBK file is not GBK") // 王 is CD F5 in GBK
				}
				fileName := prefix + f.ext
				var r reply
				if how == "multipart" {
					r = impUploadForm(t, o.s, o.s.Admin, fileName, content, []string{"curDeptId", o.s.Root, "mode", "create"})
				} else {
					r = impUploadBody(t, o.s, o.s.Admin, content, f.bodyType, url.Values{"curDeptId": {o.s.Root}, "fileName": {fileName}})
				}
				o.check(t, r, fileName, want)
			})
		}
	}

	// A body without a file name is named for its content type.
	t.Run("XLSX body without a name", func(t *testing.T) {
		k++
		prefix := fmt.Sprintf("fmt%02d", k)
		rows, want := o.rows(prefix, k)
		r := impUploadBody(t, o.s, o.s.Admin, impXLSX(t, impHeadersEN, rows), impXLSXType, nil)
		o.check(t, r, "", want)
	})
	t.Run("CSV body into a department", func(t *testing.T) {
		// Relative to 销售部, 华东 is a name and the root is out of reach.
		k++
		prefix := fmt.Sprintf("fmt%02d", k)
		rows, want := o.rows(prefix, k)
		rows = rows[:2]
		rows[0].Dept, rows[1].Dept = "", "华东"
		r := impUploadBody(t, o.s, o.s.Admin, impRowsCSV(impHeadersEN, rows), "text/csv", url.Values{"curDeptId": {o.sales}})
		r.wantOK(t)
		task := impRun(t, o.s, o.s.Admin, r.data(t))
		impWantProgress(t, task, 2, impProgress{Total: 2, Done: 2, Created: 2})
		impWantUser(t, o.s, want[0].user, o.sales, 10)
		impWantUser(t, o.s, want[1].user, o.east, 0)
	})
}

// TestImportJSON uploads rows as JSON, with curDeptId and mode in the body.
func TestImportJSON(t *testing.T) {
	o := newImpFormatOrg(t)
	body := map[string]any{
		"curDeptId": o.s.Root,
		"mode":      "create",
		"users": []map[string]any{
			{"userId": "json-1", "name": "王小明", "mobile": "+86 138 0000 0001", "email": "json1@example.com",
				"targetDeptName": "销售部/华东", "personalCapacity": 7, "isAllocateCapacity": true, "role": 0},
			{"userId": "json-2", "name": "Bob", "targetDeptName": "研发部", "personalCapacity": "0", "isAllocateCapacity": false, "role": "5"},
			{"userId": "json-3", "personalCapacity": 0, "isAllocateCapacity": false},
		},
	}
	r := o.s.do(t, "POST", impUploadPath, o.s.Admin, body, "Content-Type", "application/json")
	r.wantOK(t)
	up := r.data(t)
	if got := impCounts(t, up); got != [4]int{3, 3, 0, 0} {
		t.Fatalf("upload counts %v, want [3 3 0 0]: %s", got, r.Raw)
	}
	if got := str(t, up, "mode"); got != "create" {
		t.Errorf("mode %q, want create", got)
	}
	task := impRun(t, o.s, o.s.Admin, up)
	impWantProgress(t, task, 2, impProgress{Total: 3, Done: 3, Created: 3})
	impWantUser(t, o.s, impUser{UserID: "json-1", Name: "王小明", Mobile: "+8613800000001", Email: "json1@example.com", Role: 0}, o.east, 7)
	impWantUser(t, o.s, impUser{UserID: "json-2", Name: "Bob", Role: 5}, o.rd, 0)
	impWantUser(t, o.s, impUser{UserID: "json-3", Role: 1}, o.s.Root, 0)

	// The report numbers JSON rows from 1 and names the users created.
	rows := impReport(t, o.s, o.s.Admin, str(t, up, "resultId"), false, "")
	if len(rows) != 3 {
		t.Fatalf("report has %d rows, want 3", len(rows))
	}
	for i, row := range rows {
		if row.Line != i+1 || row.Outcome != "created" || row.ID == "" || row.IsSuccess != 0 {
			t.Errorf("report row %d: %+v; want line %d, created, with the user's id", i, row, i+1)
		}
	}
}

// TestImportTemplateRoundTrip fills in the templates that koodrive
// template writes, in both formats and languages, and imports them.
func TestImportTemplateRoundTrip(t *testing.T) {
	o := newImpFormatOrg(t)
	k := 50
	for _, format := range []string{"csv", "xlsx"} {
		for _, lang := range []string{"en-US", "zh-CN"} {
			t.Run(format+" "+lang, func(t *testing.T) {
				k++
				out, err := cli(t, nil, "template", "--format", format, "--lang", lang)
				if err != nil {
					t.Fatalf("koodrive template --format %s --lang %s: %v", format, lang, err)
				}
				prefix := fmt.Sprintf("tpl%02d", k)
				rows, want := o.rows(prefix, k)
				var content []byte
				header := impHeadersEN
				if lang == "zh-CN" {
					header = impHeadersZH
				}
				if format == "csv" {
					if !strings.HasPrefix(out, "\ufeff"+strings.Join(header, ",")+"\r\n") {
						t.Fatalf("template starts %q, want a byte order mark and the %s header", out[:min(len(out), 120)], lang)
					}
					var b bytes.Buffer
					b.WriteString(out)
					for _, r := range rows {
						b.WriteString(strings.Join(impQuoteAll(r.cells()), ",") + "\r\n")
					}
					content = b.Bytes()
				} else {
					f, err := excelize.OpenReader(strings.NewReader(out))
					if err != nil {
						t.Fatalf("template is not XLSX: %v", err)
					}
					sheet := f.GetSheetName(0)
					got, err := f.GetRows(sheet)
					if err != nil || len(got) != 1 || strings.Join(got[0], ",") != strings.Join(header, ",") {
						t.Fatalf("template's first sheet: %q %v; want the %s header only", got, err, lang)
					}
					for i, r := range rows {
						cells := r.cells()
						if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &cells); err != nil {
							t.Fatal(err)
						}
					}
					buf, err := f.WriteToBuffer()
					if err != nil {
						t.Fatal(err)
					}
					f.Close()
					content = buf.Bytes()
				}
				fileName := prefix + "." + format
				r := impUploadForm(t, o.s, o.s.Admin, fileName, content, nil)
				o.check(t, r, fileName, want)
			})
		}
	}
}

// impQuoteAll quotes every cell, as some spreadsheets save CSV.
func impQuoteAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return out
}
