package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// zipMagic starts every XLSX file (it is a zip archive).
const zipMagic = "PK\x03\x04"

// kindOf decides how to read a file from its first bytes and its name: the
// content wins, since uploads get renamed and a CSV file never starts like a
// zip archive; then the extension, since CSV has no signature. An .xls file
// (Excel 97) or any other is refused rather than read as text.
func kindOf(head []byte, name string) (Format, bool) {
	if string(head) == zipMagic {
		return FormatXLSX, true
	}
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return FormatCSV, true
	}
	return "", false
}

// OpenFile reads the import file at path, CSV or XLSX (see kindOf), with
// NewCSVReader's or OpenXLSX's rules. A file of another kind fails with
// MsgFileFormat. Close closes the file.
func OpenFile(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, sniffSize)
	head, err := br.Peek(len(zipMagic))
	if err != nil && err != io.EOF {
		f.Close()
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	kind, ok := kindOf(head, path)
	switch {
	case !ok:
		f.Close()
		return nil, formatError(filepath.Base(path), nil)
	case kind == FormatXLSX:
		f.Close()
		return OpenXLSX(path)
	}
	r, err := NewCSVReader(br)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &closing{Reader: r, close: f.Close}, nil
}

// NewReader reads an uploaded import file, CSV or XLSX, named name (only
// its extension is used, see kindOf). CSV streams from r; XLSX needs random
// access, so it is first copied to a temporary file, which Close removes:
// the caller limits the upload's size. A file of another kind fails with
// MsgFileFormat. Close does not close r.
func NewReader(r io.Reader, name string) (Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(len(zipMagic))
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	kind, ok := kindOf(head, name)
	switch {
	case !ok:
		return nil, formatError(filepath.Base(name), nil)
	case kind == FormatCSV:
		return NewCSVReader(br)
	}
	tmp, err := spool(br)
	if err != nil {
		return nil, err
	}
	xr, err := openXLSX(tmp, filepath.Base(name))
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return &closing{Reader: xr, close: func() error { return os.Remove(tmp) }}, nil
}

// spool copies r to a temporary file and returns its path.
func spool(r io.Reader) (string, error) {
	f, err := os.CreateTemp("", "koodrive-import-*.xlsx")
	if err != nil {
		return "", fmt.Errorf("spool xlsx: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spool xlsx: %w", err)
	}
	return f.Name(), nil
}

// closing is a Reader that releases one more thing on Close.
type closing struct {
	Reader
	close func() error
}

func (c *closing) Close() error {
	return errors.Join(c.Reader.Close(), c.close())
}
