package importer

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/koodrive/koodrive"
)

// unzipLimit caps what an XLSX file may unpack to. A million rows of eight
// cells take a few hundred MB of sheet XML; the cap keeps a zip bomb from
// filling the disk.
const unzipLimit = 4 << 30

// OpenXLSX reads the first worksheet of the XLSX file at path, with the
// header rules of NewCSVReader; line numbers are the sheet's row numbers.
//
// Rows are streamed with excelize's Rows iterator: excelize unpacks a sheet
// over 16 MiB to a temporary file and reads it from there, so memory does not
// grow with the number of rows (the shared-strings table, which holds every
// distinct text, is the exception). Close removes those temporary files.
//
// Cells are read as stored, without their number format (RawCellValue), so
// that a capacity shown as "10.00" reads as the 10 that was typed and a
// mobile number is never shown as 1.38E+10. Booleans read as "1" and "0".
// Formulas are never evaluated: a formula cell reads as the result the
// spreadsheet application saved with it, or as "" when there is none (as in
// files that excelize itself writes).
//
// A file that is not an XLSX workbook (an XLS file, a CSV file renamed, an
// encrypted workbook) fails with MsgFileFormat; a file that cannot be opened,
// with the error of os.Open.
func OpenXLSX(path string) (Reader, error) {
	return openXLSX(path, filepath.Base(path))
}

// openXLSX is OpenXLSX with the name that messages give the file.
func openXLSX(path, name string) (Reader, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: unzipLimit})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil, err
		}
		return nil, formatError(name, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, formatError(name, errors.New("no worksheet"))
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, formatError(name, err)
	}
	src := &xlsxSource{f: f, rows: rows}
	r, err := newReader(src)
	if err != nil {
		src.close()
		return nil, err
	}
	return r, nil
}

// formatError reports a file that is neither CSV nor XLSX.
func formatError(name string, cause error) error {
	e := koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileFormat, koodrive.Params{"Name": name})
	e.Err = cause
	return e
}

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

// next relies on Rows.Next stepping one row number at a time, including
// the rows a sheet leaves out because they are empty (Columns returns nil
// for those), so that line is the sheet's row number.
func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, lineError(s.line+1, err)
		}
		return nil, 0, io.EOF
	}
	s.line++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, lineError(s.line, err)
	}
	return cells, s.line, nil
}

func (s *xlsxSource) close() error {
	return errors.Join(s.rows.Close(), s.f.Close())
}
