package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/koodrive/koodrive"
)

// failedHeaders are the columns a failed-rows file adds to the template's.
// Their names are not header aliases, so that reading the file back
// ignores them.
var failedHeaders = [2]struct{ line, reason string }{
	langEN: {"Line", "Reason"},
	langZH: {"行号", "原因"},
}

// FailedRowsWriter writes the rows of an import that failed, as a CSV file
// (UTF-8 with a byte order mark, CRLF) that an administrator fixes in a
// spreadsheet and uploads again: a line column first (the row's line in the
// uploaded file), the template's columns in the language, and a reason
// column last. Reading the file back ignores the line and reason columns
// and gives back the rows' values. Cells are escaped with EscapeCell.
type FailedRowsWriter struct {
	w      io.Writer
	cw     *csv.Writer
	lang   int
	header bool // written
	cells  []string
}

// NewFailedRowsWriter returns a writer of failed rows to w, with headers in
// the language (see Headers). Call Flush when done.
func NewFailedRowsWriter(w io.Writer, lang string) *FailedRowsWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &FailedRowsWriter{w: w, cw: cw, lang: langIndex(lang), cells: make([]string, 0, numColumns+2)}
}

// Write writes one row and why it failed.
func (fw *FailedRowsWriter) Write(row koodrive.ImportRow, reason string) error {
	if err := fw.writeHeader(); err != nil {
		return err
	}
	line := ""
	if row.Line > 0 {
		line = strconv.Itoa(row.Line)
	}
	allocate := ""
	if row.IsAllocateCapacity != nil {
		allocate = templateTexts[fw.lang].no
		if *row.IsAllocateCapacity {
			allocate = templateTexts[fw.lang].yes
		}
	}
	cells := append(fw.cells[:0], line)
	for c := range numColumns {
		var v string
		switch Column(c) {
		case ColUserID:
			v = row.UserID
		case ColName:
			v = row.Name
		case ColMobile:
			v = row.Mobile
		case ColEmail:
			v = row.Email
		case ColDepartment:
			v = row.TargetDeptName
		case ColRole:
			v = row.Role
		case ColCapacity:
			v = row.PersonalCapacity
		case ColAllocate:
			v = allocate
		}
		cells = append(cells, EscapeCell(v))
	}
	cells = append(cells, EscapeCell(reason))
	if err := fw.cw.Write(cells); err != nil {
		return fmt.Errorf("write failed rows: %w", err)
	}
	return nil
}

// Flush writes what is buffered, and the header when no row was written,
// so that even an empty file reads back.
func (fw *FailedRowsWriter) Flush() error {
	if err := fw.writeHeader(); err != nil {
		return err
	}
	fw.cw.Flush()
	if err := fw.cw.Error(); err != nil {
		return fmt.Errorf("write failed rows: %w", err)
	}
	return nil
}

func (fw *FailedRowsWriter) writeHeader() error {
	if fw.header {
		return nil
	}
	fw.header = true
	// The byte order mark goes straight to w: nothing is buffered yet.
	if _, err := io.WriteString(fw.w, utf8BOM); err != nil {
		return fmt.Errorf("write failed rows: %w", err)
	}
	h := failedHeaders[fw.lang]
	cells := append(append([]string{h.line}, headerNames[fw.lang][:]...), h.reason)
	if err := fw.cw.Write(cells); err != nil {
		return fmt.Errorf("write failed rows: %w", err)
	}
	return nil
}

// formulaChars start the cells a spreadsheet reads as formulas (OWASP's
// CSV injection list).
const formulaChars = "=+-@\t\r"

func formulaStart(s string) bool {
	return s != "" && strings.IndexByte(formulaChars, s[0]) >= 0
}

// EscapeCell makes s safe to open in a spreadsheet: a value that starts
// with = + - @, a tab or a carriage return, after any apostrophes, gets one
// more apostrophe in front, so that Excel shows it as text instead of
// running it as a formula (a "+86..." mobile number, or an attacker's
// "=HYPERLINK(...)" in a name). The readers strip exactly that one
// apostrophe, so every value reads back as it was written; counting the
// apostrophes already there keeps that true for a value like "'=1".
func EscapeCell(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}
