package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/importer"
)

// readAll reads every row of r and closes it.
func readAll(tb testing.TB, r importer.Reader) []koodrive.ImportRow {
	tb.Helper()
	defer r.Close()
	var rows []koodrive.ImportRow
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			tb.Fatalf("Read after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

// readCSV reads a whole CSV file.
func readCSV(tb testing.TB, data []byte) []koodrive.ImportRow {
	tb.Helper()
	r, err := importer.NewCSVReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("NewCSVReader: %v", err)
	}
	return readAll(tb, r)
}

// wantFileError checks that err is an EMALFORMED error with the message.
func wantFileError(tb testing.TB, err error, want koodrive.Message) {
	tb.Helper()
	var e *koodrive.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error = %v, want a *koodrive.Error %v", err, want)
	}
	if got := e.Kind; got != koodrive.EMALFORMED {
		tb.Errorf("kind = %q, want %q", got, koodrive.EMALFORMED)
	}
	if got := e.Message; !reflect.DeepEqual(got, want) {
		tb.Errorf("message = %v, want %v", got, want)
	}
}

func ptr(b bool) *bool { return &b }

func diffRows(tb testing.TB, got, want []koodrive.ImportRow) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("got %d rows, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			tb.Errorf("row %d:\n got %s\nwant %s", i, show(got[i]), show(want[i]))
		}
	}
}

func show(r koodrive.ImportRow) string {
	alloc := "nil"
	if r.IsAllocateCapacity != nil {
		alloc = fmt.Sprint(*r.IsAllocateCapacity)
	}
	return fmt.Sprintf("{Line:%d UserID:%q Name:%q Mobile:%q Email:%q Dept:%q Role:%q Cap:%q Alloc:%s Problems:%v}",
		r.Line, r.UserID, r.Name, r.Mobile, r.Email, r.TargetDeptName, r.Role, r.PersonalCapacity, alloc, r.Problems)
}

const chineseCSV = "用户ID,姓名,手机号,邮箱,部门,角色,个人空间容量(GB),是否分配个人空间\r\n" +
	"zhangsan,张三,13800138000,zhangsan@example.com,研发部/后端组,部门管理员,10,是\r\n" +
	"lisi,李四,,lisi@example.com,市场部,,0,否\r\n"

var chineseRows = []koodrive.ImportRow{
	{Line: 2, UserID: "zhangsan", Name: "张三", Mobile: "13800138000", Email: "zhangsan@example.com",
		TargetDeptName: "研发部/后端组", Role: "0", PersonalCapacity: "10", IsAllocateCapacity: ptr(true)},
	{Line: 3, UserID: "lisi", Name: "李四", Email: "lisi@example.com",
		TargetDeptName: "市场部", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
}

func utf16(order unicode.Endianness, s string) []byte {
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// asciiRows returns n data rows of ASCII only, numbered from line 2.
func asciiRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "user%d,User %d,,user%d@example.com,Sales,,0,no\r\n", i, i, i)
	}
	return b.String()
}

func TestNewCSVReader_Encodings(t *testing.T) {
	const english = "userId,name,mobile,email,department,role,personalCapacity,allocateCapacity\r\n"
	// 2,000 ASCII rows put the first Chinese character past the 64 KiB
	// that the encoding is decided on when it is decided up front.
	late := english + asciiRows(2000) + "wangwu,王五,,,研发部,,0,否\r\n"
	lateRow := koodrive.ImportRow{Line: 2002, UserID: "wangwu", Name: "王五", TargetDeptName: "研发部",
		PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}
	if len(late) < 70<<10 {
		t.Fatalf("late file is %d bytes; make it longer than 64 KiB", len(late))
	}

	for _, tc := range []struct {
		name string
		data []byte
		want []koodrive.ImportRow
		last *koodrive.ImportRow // the last row, when want is nil
	}{
		{name: "UTF8", data: []byte(chineseCSV), want: chineseRows},
		{name: "UTF8BOM", data: append([]byte("\xef\xbb\xbf"), chineseCSV...), want: chineseRows},
		{name: "UTF16LE", data: utf16(unicode.LittleEndian, chineseCSV), want: chineseRows},
		{name: "UTF16BE", data: utf16(unicode.BigEndian, chineseCSV), want: chineseRows},
		{name: "UTF16LETabs", data: utf16(unicode.LittleEndian, strings.ReplaceAll(chineseCSV, ",", "\t")), want: chineseRows},
		{name: "GBK", data: gbk(chineseCSV), want: chineseRows},
		{name: "GBKLate", data: gbk(late), last: &lateRow},
		{name: "UTF8Late", data: []byte(late), last: &lateRow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readCSV(t, tc.data)
			if tc.last != nil {
				if len(got) != 2001 {
					t.Fatalf("got %d rows, want 2001", len(got))
				}
				diffRows(t, got[2000:], []koodrive.ImportRow{*tc.last})
				return
			}
			diffRows(t, got, tc.want)
		})
	}
}

// A file that starts as UTF-8 and goes on in GBK past the 64 KiB the
// encoding is decided on (two files pasted together) is refused at the
// first GBK row rather than read as mojibake.
func TestNewCSVReader_MixedEncoding(t *testing.T) {
	data := append([]byte(chineseCSV+asciiRows(2000)), gbk("wangwu,王五,,,研发部,,0,否\r\n")...)
	r, err := importer.NewCSVReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 2002 {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	}
	_, err = r.Read()
	wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileLine, Params: koodrive.Params{"Line": 2004}})
	_, again := r.Read()
	if again != err {
		t.Errorf("second Read = %v, want the same error %v", again, err)
	}
}

func TestNewCSVReader_Rows(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want []koodrive.ImportRow
	}{
		{
			name: "OtherOrder",
			data: "Allocate capacity,Email,Role,User ID,Department,Personal capacity (GB),Mobile,Name\n" +
				"yes,a@example.com,2,alice,Sales,5,+86 138 0013 8000,Alice\n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "Alice", Mobile: "+86 138 0013 8000", Email: "a@example.com",
				TargetDeptName: "Sales", Role: "2", PersonalCapacity: "5", IsAllocateCapacity: ptr(true)}},
		},
		{
			name: "UnknownColumns",
			data: "note,userId,extra,name\nhello,alice,x,Alice\n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "Alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}},
		},
		{
			name: "OnlyUserID",
			data: "userId\nalice\nbob\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 3, UserID: "bob", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "HeaderAliases",
			data: " *USER_ID ,Display Name,手机,电子邮箱,所属部门,角色,个人空间容量（ＧＢ）,是否分配个人空间（是/否）\n" +
				"alice,Alice,13800138000,a@example.com,Sales,,3,\n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "Alice", Mobile: "13800138000", Email: "a@example.com",
				TargetDeptName: "Sales", PersonalCapacity: "3", IsAllocateCapacity: ptr(true)}},
		},
		{
			name: "ChineseAliases",
			data: "账号,名字,手机号码,邮件,部门名称,用户角色,容量,是否分配\n" +
				"alice,爱丽丝,13800138000,a@example.com,销售部,普通用户,3,分配\n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "爱丽丝", Mobile: "13800138000", Email: "a@example.com",
				TargetDeptName: "销售部", Role: "1", PersonalCapacity: "3", IsAllocateCapacity: ptr(true)}},
		},
		{
			name: "BlankLines",
			data: "userId,name\n" +
				"alice,Alice\n" +
				"\n" +
				",\n" +
				"  ,\u00a0\n" +
				"\r\n" +
				"bob,Bob\n" +
				"\n" +
				",,,\n" +
				"\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", Name: "Alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 7, UserID: "bob", Name: "Bob", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "BlankLinesBeforeHeader",
			data: "\n,,\nuserId\nalice\n",
			want: []koodrive.ImportRow{{Line: 4, UserID: "alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}},
		},
		{
			name: "Quoted",
			data: "userId,name,department\n" +
				"alice,\"Smith, Alice\",\"Sales/East\"\n" +
				"bob,\"Bob \"\"the builder\"\"\n(second line)\",\"R&D,\r\nLab\"\n" +
				"\n" +
				"carol,Carol,\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", Name: "Smith, Alice", TargetDeptName: "Sales/East", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 3, UserID: "bob", Name: "Bob \"the builder\"\n(second line)", TargetDeptName: "R&D,\nLab", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 5, UserID: "carol", Name: "Carol", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "Semicolons",
			data: "userId;name;personalCapacity\r\nalice;\"Smith; Alice\";10\r\n;;\r\nbob;Bob,Jr;0\r\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", Name: "Smith; Alice", PersonalCapacity: "10", IsAllocateCapacity: ptr(true)},
				{Line: 4, UserID: "bob", Name: "Bob,Jr", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "Tabs",
			data: "userId\tname\nalice\tSmith, Alice\n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "Smith, Alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}},
		},
		{
			name: "Trimmed",
			data: "userId,name,email,department\n" +
				" alice\t,\u3000爱丽丝\u00a0,\u200ba@example.com ,  Sales / East  \n",
			want: []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "爱丽丝", Email: "a@example.com",
				TargetDeptName: "Sales / East", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)}},
		},
		{
			name: "ShortRows",
			data: "userId,name,personalCapacity,allocateCapacity\nalice\nbob,Bob,7\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 3, UserID: "bob", Name: "Bob", PersonalCapacity: "7", IsAllocateCapacity: ptr(true)},
			},
		},
		{
			name: "FormulaLooking",
			data: "userId,name,mobile\n" +
				"alice,'=1+1,'+8613800138000\n" +
				"bob,=1+1,+8613800138000\n" +
				"carol,''=x,'plain\n",
			want: []koodrive.ImportRow{
				{Line: 2, UserID: "alice", Name: "=1+1", Mobile: "+8613800138000", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 3, UserID: "bob", Name: "=1+1", Mobile: "+8613800138000", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
				{Line: 4, UserID: "carol", Name: "'=x", Mobile: "'plain", PersonalCapacity: "0", IsAllocateCapacity: ptr(false)},
			},
		},
		{
			name: "HeaderOnly",
			data: "userId,name\r\n\r\n,\r\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diffRows(t, readCSV(t, []byte(tc.data)), tc.want)
		})
	}
}

func TestNewCSVReader_Errors(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want koodrive.Message
	}{
		{name: "Empty", data: "", want: koodrive.Message{ID: koodrive.MsgFileEmpty}},
		{name: "BlankOnly", data: "\r\n,,,\r\n \r\n", want: koodrive.Message{ID: koodrive.MsgFileEmpty}},
		{name: "BOMOnly", data: "\xef\xbb\xbf", want: koodrive.Message{ID: koodrive.MsgFileEmpty}},
		{
			name: "NoUserID",
			data: "name,email\nAlice,a@example.com\n",
			want: koodrive.Message{ID: koodrive.MsgFileColumnMissing, Params: koodrive.Params{"Column": "User ID"}},
		},
		{
			name: "NoUserIDChinese",
			data: "姓名,邮箱\n爱丽丝,a@example.com\n",
			want: koodrive.Message{ID: koodrive.MsgFileColumnMissing, Params: koodrive.Params{"Column": "用户ID"}},
		},
		{
			name: "Twice",
			data: "userId,name,email,Name\nalice,Alice,a@example.com,Alice\n",
			want: koodrive.Message{ID: koodrive.MsgFileColumnTwice, Params: koodrive.Params{"Column": "Name"}},
		},
		{
			name: "TwiceByAlias",
			data: "用户ID,账号\nalice,alice\n",
			want: koodrive.Message{ID: koodrive.MsgFileColumnTwice, Params: koodrive.Params{"Column": "账号"}},
		},
		{
			name: "HeaderUnclosedQuote",
			data: "\n\"userId,name\n",
			want: koodrive.Message{ID: koodrive.MsgFileLine, Params: koodrive.Params{"Line": 2}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := importer.NewCSVReader(strings.NewReader(tc.data))
			if err == nil {
				r.Close()
			}
			wantFileError(t, err, tc.want)
		})
	}
}

// A quote that is not closed is reported at the row where it opens,
// counting the blank lines before it.
func TestNewCSVReader_BadQuote(t *testing.T) {
	data := "userId,name\nalice,Alice\n\n\nbob,\"Bob\n\ncarol,Carol\n"
	r, err := importer.NewCSVReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if row, err := r.Read(); err != nil || row.UserID != "alice" {
		t.Fatalf("Read = %v, %v; want alice", show(row), err)
	}
	_, err = r.Read()
	wantFileError(t, err, koodrive.Message{ID: koodrive.MsgFileLine, Params: koodrive.Params{"Line": 5}})
}

func TestNewCSVReader_Allocate(t *testing.T) {
	problem := []koodrive.Message{{ID: koodrive.MsgYesNo, Params: koodrive.Params{"Field": "allocateCapacity"}}}
	for _, tc := range []struct {
		capacity, allocate string
		want               *bool
		problems           []koodrive.Message
	}{
		{"10", "yes", ptr(true), nil},
		{"10", "YES", ptr(true), nil},
		{"10", "Y", ptr(true), nil},
		{"10", "true", ptr(true), nil},
		{"10", "TRUE", ptr(true), nil},
		{"10", "1", ptr(true), nil},
		{"10", "是", ptr(true), nil},
		{"10", "分配", ptr(true), nil},
		{"10", "ＹＥＳ", ptr(true), nil},
		{"0", "no", ptr(false), nil},
		{"0", "No", ptr(false), nil},
		{"0", "n", ptr(false), nil},
		{"0", "False", ptr(false), nil},
		{"0", "0", ptr(false), nil},
		{"0", "否", ptr(false), nil},
		{"0", "不分配", ptr(false), nil},
		{"10", "", ptr(true), nil},
		{"0.5", "", ptr(true), nil},
		{"", "", ptr(false), nil},
		{"0", "", ptr(false), nil},
		{"-3", "", ptr(false), nil},
		{"ten", "", ptr(false), nil},
		{"Inf", "", ptr(false), nil},
		{"10", "maybe", nil, problem},
		{"10", "2", nil, problem},
		{"10", "是的", nil, problem},
	} {
		t.Run(tc.capacity+"_"+tc.allocate, func(t *testing.T) {
			data := "userId,personalCapacity,allocateCapacity\nalice," + tc.capacity + "," + tc.allocate + "\n"
			rows := readCSV(t, []byte(data))
			if len(rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(rows))
			}
			got := rows[0]
			if !reflect.DeepEqual(got.IsAllocateCapacity, tc.want) {
				t.Errorf("IsAllocateCapacity = %s, want %v", show(got), tc.want)
			}
			if !reflect.DeepEqual(got.Problems, tc.problems) {
				t.Errorf("Problems = %v, want %v", got.Problems, tc.problems)
			}
			wantCap := tc.capacity
			if wantCap == "" {
				wantCap = "0"
			}
			if got.PersonalCapacity != wantCap {
				t.Errorf("PersonalCapacity = %q, want %q", got.PersonalCapacity, wantCap)
			}
		})
	}
}

func TestRoleNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"0", "0"},
		{"1", "1"},
		{"4", "4"},
		{"17", "17"},
		{"department administrator", "0"},
		{"Department Administrator", "0"},
		{"dept admin", "0"},
		{"DEPT_ADMIN", "0"},
		{"部门管理员", "0"},
		{"common user", "1"},
		{"User", "1"},
		{"member", "1"},
		{"普通用户", "1"},
		{"system administrator", "2"},
		{"系统管理员", "2"},
		{"super administrator", "2"},
		{"超级管理员", "2"},
		{"drive administrator", "3"},
		{"云盘管理员", "3"},
		{"member manager", "5"},
		{"Can manage members", "5"},
		{"成员管理员", "5"},
		{"owner", "owner"},
		{"管理员", "管理员"},
	} {
		if got := importer.RoleNumber(tc.in); got != tc.want {
			t.Errorf("RoleNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Role names reach rows as numbers, in both languages.
func TestNewCSVReader_Roles(t *testing.T) {
	data := "userId,role\na,Department Administrator\nb,普通用户\nc,系统管理员\nd,drive administrator\ne,成员管理员\nf,\ng,boss\nh,3\n"
	var got []string
	for _, r := range readCSV(t, []byte(data)) {
		got = append(got, r.Role)
	}
	if want := []string{"0", "1", "2", "3", "5", "", "boss", "3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("roles = %q, want %q", got, want)
	}
}

func TestParseYesNo(t *testing.T) {
	for _, tc := range []struct {
		in    string
		v, ok bool
	}{
		{"yes", true, true}, {" Yes ", true, true}, {"y", true, true}, {"true", true, true}, {"1", true, true},
		{"是", true, true}, {"分配", true, true},
		{"no", false, true}, {"N", false, true}, {"false", false, true}, {"0", false, true},
		{"否", false, true}, {"不分配", false, true},
		{"", false, false}, {"yess", false, false}, {"ok", false, false},
	} {
		if v, ok := importer.ParseYesNo(tc.in); v != tc.v || ok != tc.ok {
			t.Errorf("ParseYesNo(%q) = %v, %v; want %v, %v", tc.in, v, ok, tc.v, tc.ok)
		}
	}
}

func TestHeaders(t *testing.T) {
	en := []string{"User ID", "Name", "Mobile", "Email", "Department", "Role", "Personal capacity (GB)", "Allocate capacity"}
	zh := []string{"用户ID", "姓名", "手机号", "邮箱", "部门", "角色", "个人空间容量(GB)", "是否分配个人空间"}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en-US", en}, {"en_us", en}, {"", en}, {"fr-FR", en},
		{"zh-CN", zh}, {"zh_cn", zh}, {"ZH-cn", zh}, {"zh", zh},
	} {
		if got := importer.Headers(tc.lang); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Headers(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	h := importer.Headers("en-US")
	h[0] = "changed"
	if got := importer.Headers("en-US")[0]; got != "User ID" {
		t.Errorf("Headers shares its slice: got %q after a change, want %q", got, "User ID")
	}
	for _, c := range importer.Columns() {
		if got, want := c.Header("zh-CN"), zh[c]; got != want {
			t.Errorf("%v.Header(zh-CN) = %q, want %q", c, got, want)
		}
	}
	if got, want := importer.ColAllocate.Key(), "allocateCapacity"; got != want {
		t.Errorf("ColAllocate.Key() = %q, want %q", got, want)
	}
}

// The keys of the columns are header names too.
func TestNewCSVReader_Keys(t *testing.T) {
	var keys []string
	for _, c := range importer.Columns() {
		keys = append(keys, c.Key())
	}
	data := strings.Join(keys, ",") + "\nalice,Alice,13800138000,a@example.com,Sales,1,10,no\n"
	want := []koodrive.ImportRow{{Line: 2, UserID: "alice", Name: "Alice", Mobile: "13800138000", Email: "a@example.com",
		TargetDeptName: "Sales", Role: "1", PersonalCapacity: "10", IsAllocateCapacity: ptr(false)}}
	diffRows(t, readCSV(t, []byte(data)), want)
}

func TestNewCSVReader_1001Rows(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId,name,personalCapacity\r\n")
	for i := range 1001 {
		fmt.Fprintf(&b, "user%04d,User %d,%d\r\n", i, i, i%3)
	}
	rows := readCSV(t, []byte(b.String()))
	if got, want := len(rows), 1001; got != want {
		t.Fatalf("got %d rows, want %d", got, want)
	}
	for i, r := range rows {
		if r.Line != i+2 || r.UserID != fmt.Sprintf("user%04d", i) {
			t.Fatalf("row %d = %s, want line %d user%04d", i, show(r), i+2, i)
		}
	}
}
