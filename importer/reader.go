package importer

import (
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/koodrive/koodrive"
)

// Reader reads the data rows of an import file, one at a time, in file
// order. Read returns io.EOF after the last row; any other error is a
// *koodrive.Error of kind EMALFORMED for a file that cannot be read (which
// Read then keeps returning), or the underlying reader's error. Close
// releases what the reader holds (temporary files); it does not close an
// io.Reader passed to NewCSVReader.
//
// Rows are converted so that what people type in spreadsheets reads as
// meant, and everything else is left for koodrive.VerifyImport to report:
//   - every cell is trimmed of white space (including non-breaking and
//     full-width spaces), and one apostrophe that EscapeCell added is
//     removed;
//   - rows whose cells are all empty are skipped wherever they are, but
//     ImportRow.Line still counts them, as the spreadsheet numbers rows (the
//     header is line 1; a quoted CSV cell over several lines is one row), so
//     that reports point at the right line;
//   - the department is a name or a "Parent/Child" path, kept as text;
//   - the capacity is kept as text, "" becoming "0";
//   - the allocate cell is read with ParseYesNo; empty means yes when the
//     capacity is a number above 0; anything else leaves
//     IsAllocateCapacity nil and adds a MsgYesNo problem for the field
//     "allocateCapacity";
//   - the role is read with RoleNumber;
//   - user ID, name, mobile number and email are kept as text.
type Reader interface {
	Read() (koodrive.ImportRow, error)
	Close() error
}

// source is what the CSV and XLSX readers have in common: raw rows.
type source interface {
	// next returns the cells of the file's next row and that row's number
	// (the first row is 1), or io.EOF.
	next() (cells []string, line int, err error)
	close() error
}

// reader turns a source's rows into ImportRows: it finds the header, skips
// blank rows, counts data rows and converts cells.
type reader struct {
	src  source
	cols columnIndex
	rows int   // data rows returned
	err  error // once set, returned by every Read
}

// newReader reads the header: the first row that is not blank.
func newReader(src source) (*reader, error) {
	for {
		cells, line, err := src.next()
		if err == io.EOF {
			return nil, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileEmpty, nil)
		}
		if err != nil {
			return nil, err
		}
		for i, c := range cells {
			cells[i] = cleanCell(c)
			if !utf8.ValidString(cells[i]) {
				return nil, lineError(line, nil)
			}
		}
		if blank(cells) {
			continue
		}
		cols, err := mapHeader(cells)
		if err != nil {
			return nil, err
		}
		return &reader{src: src, cols: cols}, nil
	}
}

func (r *reader) Read() (koodrive.ImportRow, error) {
	if r.err != nil {
		return koodrive.ImportRow{}, r.err
	}
	row, err := r.read()
	if err != nil {
		r.err = err
	}
	return row, err
}

func (r *reader) read() (koodrive.ImportRow, error) {
	for {
		cells, line, err := r.src.next()
		if err != nil {
			return koodrive.ImportRow{}, err
		}
		for i, c := range cells {
			cells[i] = cleanCell(c)
			if !utf8.ValidString(cells[i]) {
				// Only a file taken for UTF-8 gets here (decoders replace
				// what they cannot read): it mixes encodings, and reading
				// on would store mojibake.
				return koodrive.ImportRow{}, lineError(line, nil)
			}
		}
		if blank(cells) {
			continue
		}
		if r.rows == MaxRows {
			return koodrive.ImportRow{}, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileTooManyRows,
				koodrive.Params{"Max": MaxRows})
		}
		r.rows++
		return r.convert(cells, line), nil
	}
}

func (r *reader) Close() error { return r.src.close() }

// convert builds the row from its cleaned cells.
func (r *reader) convert(cells []string, line int) koodrive.ImportRow {
	get := func(c Column) string {
		if i := r.cols[c]; i >= 0 && i < len(cells) {
			return cells[i]
		}
		return ""
	}
	row := koodrive.ImportRow{
		Line:             line,
		TargetDeptName:   get(ColDepartment),
		PersonalCapacity: get(ColCapacity),
		UserID:           get(ColUserID),
		Name:             get(ColName),
		Mobile:           get(ColMobile),
		Email:            get(ColEmail),
		Role:             RoleNumber(get(ColRole)),
	}
	if row.PersonalCapacity == "" {
		row.PersonalCapacity = "0"
	}
	switch s := get(ColAllocate); {
	case s == "":
		// Most files leave the column empty: a capacity means it is meant.
		f, err := strconv.ParseFloat(row.PersonalCapacity, 64)
		yes := err == nil && f > 0 && !math.IsInf(f, 1)
		row.IsAllocateCapacity = &yes
	default:
		if v, ok := ParseYesNo(s); ok {
			row.IsAllocateCapacity = &v
		} else {
			row.Problems = append(row.Problems, koodrive.Message{
				ID:     koodrive.MsgYesNo,
				Params: koodrive.Params{"Field": ColAllocate.Key()},
			})
		}
	}
	return row
}

// lineError reports a row that cannot be read.
func lineError(line int, cause error) error {
	e := koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileLine, koodrive.Params{"Line": line})
	e.Err = cause
	return e
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// cleanCell trims a cell and undoes EscapeCell.
func cleanCell(s string) string {
	s = strings.TrimFunc(s, isSpace)
	if len(s) > 1 && s[0] == '\'' && formulaStart(strings.TrimLeft(s, "'")) {
		s = strings.TrimFunc(s[1:], isSpace)
	}
	return s
}

// ParseYesNo reads a yes/no cell, in any case: yes/no, y/n, true/false, 1/0,
// 是/否, 分配/不分配 (also in full-width letters). ok is false for anything
// else, including "".
func ParseYesNo(s string) (v, ok bool) {
	s = strings.ToLower(strings.TrimFunc(s, isSpace))
	if s == "" {
		return false, false
	}
	if s[0] >= utf8.RuneSelf {
		s = strings.ToLower(width.Narrow.String(s))
	}
	switch s {
	case "yes", "y", "true", "1", "是", "分配":
		return true, true
	case "no", "n", "false", "0", "否", "不分配":
		return false, true
	}
	return false, false
}

// roleNumbers maps normalized role names (see normalizeRole) to KooDrive's
// role numbers, in both languages and as the console and other systems
// spell them.
var roleNumbers = map[string]string{
	"departmentadministrator": "0", "departmentadmin": "0", "deptadministrator": "0", "deptadmin": "0", "部门管理员": "0",
	"commonuser": "1", "user": "1", "normaluser": "1", "member": "1", "普通用户": "1", "普通成员": "1", "成员": "1",
	"systemadministrator": "2", "systemadmin": "2", "superadministrator": "2", "superadmin": "2", "系统管理员": "2", "超级管理员": "2",
	"driveadministrator": "3", "driveadmin": "3", "云盘管理员": "3",
	"membermanager": "5", "canmanagemembers": "5", "成员管理员": "5",
}

// RoleNumber turns a role cell into the role number the domain reads: ""
// stays "" (a common user), role names in English or Chinese, in any case,
// become their numbers, and anything else is kept as it is, so that
// validation reports it as given (MsgRoleInvalid) rather than as something
// the reader made of it.
func RoleNumber(s string) string {
	if s == "" {
		return ""
	}
	if _, err := strconv.Atoi(s); err == nil {
		return s
	}
	if n, ok := roleNumbers[normalizeRole(s)]; ok {
		return n
	}
	return s
}

func normalizeRole(s string) string {
	s = strings.ToLower(width.Narrow.String(s))
	return strings.Map(func(r rune) rune {
		if isSpace(r) || r == '_' || r == '-' {
			return -1
		}
		return r
	}, s)
}
