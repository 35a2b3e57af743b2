package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a file the CSV reader looks at to decide its
// encoding and its delimiter, and the size of its read buffer.
const sniffSize = 64 << 10

// NewCSVReader reads a CSV file: the header row, then data rows on each Read.
//
// The encoding is read from a byte order mark when there is one (UTF-8,
// UTF-16 LE, UTF-16 BE). Without one, the file is UTF-8 or GBK, the encoding
// Chinese Excel saves CSV in; ASCII reads the same in both, so the choice is
// made at the first byte that is not ASCII, wherever it is (in the header
// for Chinese headers, or thousands of rows down for an English header over
// Chinese names): GBK (decoded as GB 18030, its superset) unless the next
// 64 KiB from there are valid UTF-8. A file taken for UTF-8 that turns out
// not to be fails on the row where that shows (MsgFileLine) rather than
// importing garbled names.
//
// The delimiter is a comma, unless the header line has no comma and has
// semicolons or tabs (the more frequent of the two), as European Excel and
// Excel's "Unicode text" save. Quoting is RFC 4180's: quoted cells may hold
// delimiters, quotes ("") and line breaks; a quote that is not closed fails
// with MsgFileLine.
//
// Header names are matched in English or Chinese, in any case, with or
// without units and separators, in any order; unknown columns are ignored.
// Errors are *koodrive.Error values of kind EMALFORMED: MsgFileEmpty when
// there is no header row, MsgFileColumnMissing without a userId column,
// MsgFileColumnTwice for a column given twice, MsgFileLine for a row that
// cannot be read, MsgFileTooManyRows past MaxRows data rows. Errors of r
// itself are returned wrapped.
func NewCSVReader(r io.Reader) (Reader, error) {
	text, err := decodeCSV(r)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	body, comma, err := sniffDelimiter(text)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	cr := csv.NewReader(body)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // spreadsheets drop empty trailing cells
	cr.ReuseRecord = true
	return newReader(&csvSource{cr: cr})
}

// decodeCSV returns r's text as UTF-8, without a byte order mark.
func decodeCSV(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	bom, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(bom, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(bom, []byte{0xff, 0xfe}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), nil
	case bytes.HasPrefix(bom, []byte{0xfe, 0xff}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), nil
	}
	return &sniffReader{br: br}, nil
}

// sniffReader passes ASCII through and, at the first byte that is not
// ASCII, decides between UTF-8 and GBK for the rest of the file.
type sniffReader struct {
	br *bufio.Reader
	r  io.Reader // the rest of the file, once decided
}

func (s *sniffReader) Read(p []byte) (int, error) {
	if s.r != nil {
		return s.r.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if _, err := s.br.Peek(1); err != nil {
		return 0, err
	}
	buf, _ := s.br.Peek(min(len(p), s.br.Buffered()))
	i := 0
	for i < len(buf) && buf[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 {
		return s.br.Read(p[:i])
	}
	window, err := s.br.Peek(s.br.Size())
	if looksUTF8(window, err != nil) {
		s.r = s.br
	} else {
		s.r = transform.NewReader(s.br, simplifiedchinese.GB18030.NewDecoder())
	}
	return s.r.Read(p)
}

// looksUTF8 reports whether b is valid UTF-8, but for a character cut by
// the end of b when b is not the end of the file.
func looksUTF8(b []byte, end bool) bool {
	if !end {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// sniffDelimiter reads up to the header line (the first line that is not
// blank) to choose the delimiter, and returns text again from its start.
func sniffDelimiter(text io.Reader) (io.Reader, rune, error) {
	br := bufio.NewReaderSize(text, sniffSize)
	var head []byte
	for len(head) < sniffSize {
		line, err := br.ReadSlice('\n')
		head = append(head, line...)
		if len(bytes.TrimFunc(line, isSpace)) > 0 {
			return io.MultiReader(bytes.NewReader(head), br), delimiter(line), nil
		}
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, 0, err
		}
	}
	return io.MultiReader(bytes.NewReader(head), br), ',', nil
}

// delimiter chooses the delimiter of a header line.
func delimiter(line []byte) rune {
	var commas, semicolons, tabs int
	quoted := false
	for _, b := range line {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			commas++
		case b == ';':
			semicolons++
		case b == '\t':
			tabs++
		}
	}
	switch {
	case commas > 0:
		return ','
	case semicolons > 0 && semicolons >= tabs:
		return ';'
	case tabs > 0:
		return '\t'
	}
	return ','
}

// csvSource numbers records as a spreadsheet numbers rows: encoding/csv
// skips empty lines and a quoted cell may span lines, so the number is
// worked out from where each record starts and where the one before ended.
type csvSource struct {
	cr      *csv.Reader
	line    int // number of the last record read
	endLine int // physical line the last record ended on
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, lineError(s.skipTo(pe.StartLine), err)
		}
		if err != io.EOF {
			err = fmt.Errorf("read csv: %w", err)
		}
		return nil, 0, err
	}
	start, _ := s.cr.FieldPos(0)
	s.line = s.skipTo(start)
	last, _ := s.cr.FieldPos(len(rec) - 1)
	s.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	return rec, s.line, nil
}

// skipTo returns the number of the record that starts on physical line
// start, counting the empty lines since the last record as rows.
func (s *csvSource) skipTo(start int) int {
	return s.line + 1 + max(0, start-s.endLine-1)
}

func (s *csvSource) close() error { return nil }
