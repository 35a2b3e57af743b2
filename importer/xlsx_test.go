package importer_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/importer"
)

// writeXLSX saves a workbook that fill builds in its first sheet, and
// returns its path. A second sheet shows that only the first is read.
func writeXLSX(tb testing.TB, fill func(f *excelize.File, sheet string)) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	fill(f, sheet)
	if _, err := f.NewSheet("Other"); err != nil {
		tb.Fatal(err)
	}
	if err := f.SetSheetRow("Other", "A1", &[]any{"userId", "ghost"}); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "users.xlsx")
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestOpenXLSX(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(f *excelize.File, sheet string)
		want []koodrive.ImportRow
	}{
		{
			name: "English",
			fill: func(f *excelize.File, s string) {
				must(t, f.SetSheetRow(s, "A1", &[]any{"User ID", "Name", "Mobile", "Email", "Department", "Role", "Personal capacity (GB)", "Allocate capacity"}))
				// Numbers and booleans as numeric and boolean cells.
				must(t, f.SetSheetRow(s, "A2", &[]any{"alice", " Alice ", int64(13800138000), "a@example.com", "Sales/East", 0, 10, true}))
				// Row 3 is left out of the sheet; row 4 has a formula,
				// which excelize writes without a cached result.
				must(t, f.SetSheetRow(s, "A4", &[]any{"bob", nil, nil, nil, "Sales", "common user", 0, false}))
				must(t, f.SetCellFormula(s, "B4", "=1+1"))
				// A text cell that looks like a formula is text.
				must(t, f.SetSheetRow(s, "A5", &[]any{"carol", "=1+1", "'+8613800138000", nil, nil, 2.0, 1.5, "maybe"}))
				// Row 6 has cells that are all empty strings; row 8 is
				// the last, after another gap.
				must(t, f.SetSheetRow(s, "A6", &[]any{"", " ", ""}))
				must(t, f.SetCellStr(s, "A8", "dave"))
			},
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", Name: "Alice", Mobile: "13800138000", Email: "a@example.com",
					TargetDeptName: "Sales/East", Role: "0", PersonalCapacity: "10", IsAllocateCapacity: ptr(true)},
				{Line: 4, UserID: "bob", TargetDeptName: "Sales", Role: "1", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 5, UserID: "carol", Name: "=1+1", Mobile: "+8613800138000", Role: "2", PersonalCapacity: "1.5",
					Problems: []koodrive.Message{{ID: koodrive.MsgYesNo, Params: koodrive.Params{"Field": "allocateCapacity"}}}},
				{Line: 8, UserID: "dave", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "ChineseOtherOrder",
			fill: func(f *excelize.File, s string) {
				// The header starts on row 2 and in column B.
				must(t, f.SetSheetRow(s, "B2", &[]any{"部门", "姓名", "用户ID", "是否分配个人空间", "个人空间容量（GB）", "备注"}))
				must(t, f.SetSheetRow(s, "B3", &[]any{"研发部", "张三", "zhangsan", "是", 20, "新员工"}))
				must(t, f.SetSheetRow(s, "B4", &[]any{"市场部", "李四", "lisi", "否", nil}))
			},
			want: []koodrive.ImportRow{
				{Line: 3, UserID: "zhangsan", Name: "张三", TargetDeptName: "研发部", PersonalCapacity: "20", IsAllocateCapacity: ptr(true)},
				{Line: 4, UserID: "lisi", Name: "李四", TargetDeptName: "市场部", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "HeaderOnly",
			fill: func(f *excelize.File, s string) {
				must(t, f.SetSheetRow(s, "A1", &[]any{"userId", "name"}))
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := importer.OpenXLSX(writeXLSX(t, tc.fill))
			if err != nil {
				t.Fatal(err)
			}
			diffRows(t, readAll(t, r), tc.want)
		})
	}
}

func TestOpenXLSX_Errors(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(f *excelize.File, sheet string)
		want koodrive.Message
	}{
		{
			name: "Empty",
			fill: func(f *excelize.File, s string) {},
			want: koodrive.Message{ID: koodrive.MsgFileEmpty},
		},
		{
			name: "NoUserID",
			fill: func(f *excelize.File, s string) {
				must(t, f.SetSheetRow(s, "A1", &[]any{"姓名", "邮箱"}))
			},
			want: koodrive.Message{ID: koodrive.MsgFileColumnMissing, Params: koodrive.Params{"Column": "用户ID"}},
		},
		{
			name: "Twice",
			fill: func(f *excelize.File, s string) {
				must(t, f.SetSheetRow(s, "A1", &[]any{"userId", "User ID"}))
			},
			want: koodrive.Message{ID: koodrive.MsgFileColumnTwice, Params: koodrive.Params{"Column": "User ID"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := importer.OpenXLSX(writeXLSX(t, tc.fill))
			if err == nil {
				r.Close()
			}
			wantFileError(t, err, tc.want)
		})
	}
}

func TestOpenXLSX_NotXLSX(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, data string }{
		{"users.xlsx", "userId\nalice\n"},
		{"broken.xlsx", "PK\x03\x04 not really a zip archive"},
	} {
		path := filepath.Join(dir, tc.name)
		must(t, os.WriteFile(path, []byte(tc.data), 0o600))
		r, err := importer.OpenXLSX(path)
		if err == nil {
			r.Close()
		}
		wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileFormat, Params: koodrive.Params{"Name": tc.name}})
	}
	if _, err := importer.OpenXLSX(filepath.Join(dir, "missing.xlsx")); !os.IsNotExist(err) {
		t.Errorf("OpenXLSX(missing) = %v, want a not-exist error", err)
	}
}

// Formulas are never evaluated: a formula cell reads as the result saved
// with it. excelize saves none (and reads "" then); Excel does. The test
// adds a saved result to excelize's file by hand, a wrong one, so that
// evaluating would show.
func TestOpenXLSX_Formula(t *testing.T) {
	path := writeXLSX(t, func(f *excelize.File, s string) {
		must(t, f.SetSheetRow(s, "A1", &[]any{"userId", "name", "department"}))
		must(t, f.SetCellStr(s, "A2", "alice"))
		must(t, f.SetCellFormula(s, "B2", "=1+1"))
		must(t, f.SetCellFormula(s, "C2", "=2+2"))
	})
	rewriteZip(t, path, "xl/worksheets/sheet1.xml", func(b []byte) []byte {
		n := bytes.Count(b, []byte("1+1</f>"))
		if n != 1 {
			t.Fatalf("sheet has %d formulas 1+1, want 1:\n%s", n, b)
		}
		return bytes.Replace(b, []byte("1+1</f>"), []byte("1+1</f><v>3</v>"), 1)
	})
	r, err := importer.OpenXLSX(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "3", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}}
	diffRows(t, readAll(t, r), want)
}

// rewriteZip replaces the entry name of the zip archive at path with what
// edit makes of it.
func rewriteZip(tb testing.TB, path, name string, edit func([]byte) []byte) {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if f.Name == name {
			b, found = edit(b), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			tb.Fatal(err)
		}
	}
	if !found {
		tb.Fatalf("%s has no %s", path, name)
	}
	must(tb, zw.Close())
	must(tb, os.WriteFile(path, out.Bytes(), 0o600))
}
