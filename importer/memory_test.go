package importer_test

import (
	"bufio"
	"bytes"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/importer"
)

// writeRows writes a CSV file of n data rows to w, a line at a time.
func writeRows(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("userId,name,mobile,email,department,role,personalCapacity,allocateCapacity\r\n")
	var line []byte
	for i := range n {
		id := strconv.Itoa(i)
		line = append(line[:0], "user"...)
		line = append(line, id...)
		line = append(line, ",User "...)
		line = append(line, id...)
		line = append(line, ",+86 138"...)
		line = strconv.AppendInt(line, int64(10_000_000+i), 10)
		line = append(line, ",user"...)
		line = append(line, id...)
		line = append(line, "@example.com,Sales/East,common user,10,yes\r\n"...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// A file of MaxRows rows streams through in constant memory, and one row
// more is refused.
func TestNewCSVReader_Memory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million rows")
	}
	const heapLimit = 64 << 20
	pr, pw := io.Pipe()
	defer pr.Close() // stops the writer when the test ends early
	go func() { pw.CloseWithError(writeRows(pw, importer.MaxRows+1)) }()

	r, err := importer.NewCSVReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		row, err := r.Read()
		if err != nil {
			if n != importer.MaxRows {
				t.Fatalf("Read after %d rows: %v", n, err)
			}
			wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileTooManyRows, Params: koodrive.Params{"Max": importer.MaxRows}})
			break
		}
		if row.Line != n+2 || row.Role != "1" {
			t.Fatalf("row %d = %s", n, show(row))
		}
		n++
		if n%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if ms.HeapInuse > heapLimit {
				t.Fatalf("HeapInuse = %d MiB after %d rows, want under %d MiB", ms.HeapInuse>>20, n, heapLimit>>20)
			}
		}
	}
	t.Logf("%d rows; peak HeapInuse %.1f MiB", n, float64(peak)/(1<<20))
}

func BenchmarkCSVReader(b *testing.B) {
	const n = 10_000
	var buf bytes.Buffer
	if err := writeRows(&buf, n); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	rows := 0
	for b.Loop() {
		r, err := importer.NewCSVReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
