// Package importer reads the files with which administrators import whole
// organizations, CSV and XLSX, and turns their rows into koodrive.ImportRow
// values; it also writes the blank templates those files start from and the
// failed-rows files that administrators fix and upload again.
//
// Files can hold up to MaxRows users, so readers stream: a Reader holds one
// row at a time and its memory does not grow with the file. Reading checks
// only the file's shape (header, encoding, quoting, yes/no cells); whether a
// row makes sense for the organization is koodrive.VerifyImport's job.
//
// The package knows nothing of databases or HTTP: callers pass readers and
// writers, and get *koodrive.Error values of kind EMALFORMED back for files
// that cannot be read.
package importer

import (
	"strings"
	"unicode"

	"github.com/koodrive/koodrive"
)

// MaxRows is the most data rows a file may hold: a whole organization in
// one upload (a JSON batch holds at most koodrive.MaxImportRows), with a
// bound on how long one import task runs.
const MaxRows = koodrive.MaxFileRows

// Column is a column of an import file. The values are in template order.
type Column int

// Columns of an import file.
const (
	ColUserID Column = iota
	ColName
	ColMobile
	ColEmail
	ColDepartment
	ColRole
	ColCapacity
	ColAllocate

	numColumns = iota
)

// Columns returns every column in template order.
func Columns() []Column {
	cols := make([]Column, numColumns)
	for i := range cols {
		cols[i] = Column(i)
	}
	return cols
}

var columnKeys = [numColumns]string{
	"userId", "name", "mobile", "email", "department", "role", "personalCapacity", "allocateCapacity",
}

// Key returns the column's language-neutral name, the one problems found in
// its cells name as their Field.
func (c Column) Key() string {
	if c < 0 || c >= numColumns {
		return ""
	}
	return columnKeys[c]
}

// String returns the column's key.
func (c Column) String() string { return c.Key() }

// Header returns the column's name in the template of the language.
func (c Column) Header(lang string) string {
	if c < 0 || c >= numColumns {
		return ""
	}
	return headerNames[langIndex(lang)][c]
}

// headerNames are the template's header rows. The English ones are for
// people rather than for programs, since people fill the file in; the reader
// accepts the keys too.
var headerNames = [2][numColumns]string{
	{"User ID", "Name", "Mobile", "Email", "Department", "Role", "Personal capacity (GB)", "Allocate capacity"},
	{"用户ID", "姓名", "手机号", "邮箱", "部门", "角色", "个人空间容量(GB)", "是否分配个人空间"},
}

// Headers returns the template's header row in the language: "zh-CN" (or
// "zh_cn", or any other Chinese tag, since simplified names are the closest
// there are) for Chinese, English otherwise. Every call returns a new slice.
func Headers(lang string) []string {
	h := headerNames[langIndex(lang)]
	return append([]string(nil), h[:]...)
}

const (
	langEN = 0
	langZH = 1
)

func langIndex(lang string) int {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_") {
		return langZH
	}
	return langEN
}

// Format is the kind of file a template is written as.
type Format string

// Formats of templates.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// isSpace reports the runes trimmed from cells: Unicode white space, which
// includes the non-breaking and ideographic (full-width) spaces that
// spreadsheets and Chinese input methods leave behind, and the zero-width
// space and byte order mark that pasting and concatenating files leave.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
