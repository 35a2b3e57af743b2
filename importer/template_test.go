package importer_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/importer"
)

// A blank template reads back as a file with a header and no rows.
func TestWriteTemplate_RoundTrip(t *testing.T) {
	for _, format := range []importer.Format{importer.FormatCSV, importer.FormatXLSX} {
		for _, lang := range []string{"en-US", "zh-CN"} {
			t.Run(string(format)+"_"+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := importer.WriteTemplate(&buf, format, lang); err != nil {
					t.Fatal(err)
				}
				r, err := importer.NewReader(bytes.NewReader(buf.Bytes()), "template."+string(format))
				if err != nil {
					t.Fatal(err)
				}
				if rows := readAll(t, r); len(rows) != 0 {
					t.Errorf("got %d rows, want 0", len(rows))
				}
			})
		}
	}
}

func TestWriteTemplate_CSV(t *testing.T) {
	var buf bytes.Buffer
	if err := importer.WriteTemplate(&buf, importer.FormatCSV, "zh-CN"); err != nil {
		t.Fatal(err)
	}
	want := "\ufeff" + strings.Join(importer.Headers("zh-CN"), ",") + "\r\n"
	if got := buf.String(); got != want {
		t.Errorf("template = %q, want %q", got, want)
	}
}

func TestWriteTemplate_XLSX(t *testing.T) {
	for _, tc := range []struct {
		lang, sheet, readme, required string
	}{
		{"en-US", "Users", "README", "yes"},
		{"zh-CN", "成员", "说明", "是"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := importer.WriteTemplate(&buf, importer.FormatXLSX, tc.lang); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got, want := f.GetSheetList(), []string{tc.sheet, tc.readme}; !reflect.DeepEqual(got, want) {
				t.Fatalf("sheets = %q, want %q", got, want)
			}
			header, err := f.GetRows(tc.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := header, [][]string{importer.Headers(tc.lang)}; !reflect.DeepEqual(got, want) {
				t.Errorf("rows = %q, want %q", got, want)
			}
			style, err := f.GetCellStyle(tc.sheet, "A1")
			must(t, err)
			st, err := f.GetStyle(style)
			must(t, err)
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("header font = %+v, want bold", st.Font)
			}
			width, err := f.GetColWidth(tc.sheet, "G")
			must(t, err)
			if width < float64(len(importer.ColCapacity.Header(tc.lang)))/2 || width < 14 {
				t.Errorf("width of G = %v, too narrow for %q", width, importer.ColCapacity.Header(tc.lang))
			}

			readme, err := f.GetRows(tc.readme)
			must(t, err)
			if got, want := len(readme), 1+len(importer.Columns()); got != want {
				t.Fatalf("README has %d rows, want %d", got, want)
			}
			for i, h := range importer.Headers(tc.lang) {
				row := readme[i+1]
				if len(row) != 3 || row[0] != h || row[2] == "" {
					t.Errorf("README row %d = %q, want %q, required, allowed values", i+2, row, h)
				}
				if got, want := row[1] == tc.required, i == int(importer.ColUserID); got != want {
					t.Errorf("README row %d says required %q", i+2, row[1])
				}
			}
		})
	}
}

func TestWriteTemplate_UnknownFormat(t *testing.T) {
	err := importer.WriteTemplate(&bytes.Buffer{}, "ods", "en-US")
	var e *koodrive.Error
	if !errors.As(err, &e) || e.Kind != koodrive.EINVALID {
		t.Errorf("WriteTemplate(ods) = %v, want an EINVALID error", err)
	}
}

func TestEscapeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"=1+1", "'=1+1"},
		{"+8613800138000", "'+8613800138000"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"'x", "'x"},
		{"'", "'"},
		{"a=b", "a=b"},
		{"张三", "张三"},
	} {
		if got := importer.EscapeCell(tc.in); got != tc.want {
			t.Errorf("EscapeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Failed rows, written and read back, keep their values: escaping is
// undone, and the line and reason columns are ignored.
func TestFailedRowsWriter_RoundTrip(t *testing.T) {
	rows := []koodrive.ImportRow{
		{Line: 2, UserID: "alice", Name: "=HYPERLINK(\"http://evil\",\"x\")", Mobile: "+8613800138000", Email: "a@example.com",
			TargetDeptName: "Sales/East", Role: "0", PersonalCapacity: "10", IsAllocateCapacity: ptr(true)},
		{Line: 3, UserID: "bob", Name: "-bob-", Mobile: "@home", TargetDeptName: "R&D, Lab", Role: "1",
			PersonalCapacity: "-1", IsAllocateCapacity: ptr(false)},
		{Line: 7, UserID: "'=carol", Name: "Carol \"C\"\nSmith", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
	}
	reasons := []string{"=evil()", "capacity must be 0 or more; role, too", "userId is invalid"}
	for _, lang := range []string{"en-US", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			fw := importer.NewFailedRowsWriter(&buf, lang)
			for i, r := range rows {
				must(t, fw.Write(r, reasons[i]))
			}
			must(t, fw.Flush())
			if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
				t.Errorf("file starts %q, want a byte order mark", buf.Bytes()[:3])
			}
			if bytes.Contains(buf.Bytes(), []byte(",=")) || bytes.Contains(buf.Bytes(), []byte(",+")) {
				t.Errorf("file has an unescaped formula:\n%s", buf.Bytes())
			}

			got := readCSV(t, buf.Bytes())
			want := make([]koodrive.ImportRow, len(rows))
			for i, r := range rows {
				r.Line = i + 2 // the row in the failed-rows file; carol's spans two lines, but is one row
				want[i] = r
			}
			diffRows(t, got, want)
		})
	}
}

func TestFailedRowsWriter_Header(t *testing.T) {
	var buf bytes.Buffer
	fw := importer.NewFailedRowsWriter(&buf, "zh-CN")
	must(t, fw.Flush())
	want := "\ufeff行号," + strings.Join(importer.Headers("zh-CN"), ",") + ",原因\r\n"
	if got := buf.String(); got != want {
		t.Errorf("empty file = %q, want %q", got, want)
	}
}

func TestNewReader(t *testing.T) {
	var xlsx bytes.Buffer
	must(t, importer.WriteTemplate(&xlsx, importer.FormatXLSX, "en-US"))
	csv := []byte("userId\nalice\n")
	for _, tc := range []struct {
		name   string
		data   []byte
		rows   int
		format bool // want MsgFileFormat
	}{
		{name: "users.csv", data: csv, rows: 1},
		{name: "USERS.CSV", data: csv, rows: 1},
		{name: "users.xlsx", data: xlsx.Bytes()},
		{name: "upload", data: xlsx.Bytes()},
		{name: "renamed.csv", data: xlsx.Bytes()},
		{name: "users.txt", data: csv, format: true},
		{name: "users", data: csv, format: true},
		{name: "users.xlsx", data: csv, format: true},
		{name: "users.xls", data: []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), format: true},
		{name: "broken.xlsx", data: []byte("PK\x03\x04 broken"), format: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // to see that the spooled file goes

			r, err := importer.NewReader(bytes.NewReader(tc.data), tc.name)
			if tc.format {
				if err == nil {
					r.Close()
				}
				wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileFormat, Params: koodrive.Params{"Name": tc.name}})
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if got := len(readAll(t, r)); got != tc.rows {
					t.Errorf("got %d rows, want %d", got, tc.rows)
				}
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}

			path := filepath.Join(t.TempDir(), tc.name)
			must(t, os.WriteFile(path, tc.data, 0o600))
			r, err = importer.OpenFile(path)
			if tc.format {
				if err == nil {
					r.Close()
				}
				wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileFormat, Params: koodrive.Params{"Name": tc.name}})
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := len(readAll(t, r)); got != tc.rows {
				t.Errorf("OpenFile: got %d rows, want %d", got, tc.rows)
			}
		})
	}
}
