package importer

import (
	"strings"

	"golang.org/x/text/width"

	"github.com/koodrive/koodrive"
)

// headerAliases maps normalized header names (see normalizeHeader) to their
// columns. Files come from the template in either language, from the API's
// JSON field names and from other systems' exports, so each column has the
// names people commonly give it. Names that could mean two columns are left
// out ("username" and 用户名 are an account to some and a display name to
// others), since a wrong guess would import the wrong data silently.
var headerAliases = func() map[string]Column {
	m := make(map[string]Column)
	add := func(name string, c Column) {
		k := normalizeHeader(name)
		if old, ok := m[k]; ok && old != c {
			panic("importer: header " + name + " names two columns") // a mistake in the table above
		}
		m[k] = c
	}
	for c, names := range [numColumns][]string{
		ColUserID: {"userId", "user id", "uid", "account", "account id", "login", "login name",
			"用户ID", "用户账号", "用户帐号", "账号", "帐号", "账户", "帐户", "登录名", "登录账号"},
		ColName: {"name", "display name", "full name",
			"姓名", "名字", "用户姓名", "显示名称"},
		ColMobile: {"mobile", "mobile phone", "mobile number", "phone", "phone number", "cellphone", "cell phone", "tel", "telephone",
			"手机号", "手机", "手机号码", "电话", "电话号码", "联系电话", "移动电话"},
		ColEmail: {"email", "e-mail", "mail", "email address", "e-mail address",
			"邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "电子邮件地址"},
		ColDepartment: {"department", "dept", "department name", "dept name", "department path", "targetDeptName",
			"部门", "部门名称", "所属部门", "目标部门", "部门路径"},
		ColRole: {"role", "role name", "user role",
			"角色", "用户角色"},
		ColCapacity: {"personalCapacity", "personal capacity", "capacity", "quota", "personal space", "personal space capacity",
			"个人空间容量", "个人空间", "个人容量", "空间容量", "容量", "配额"},
		ColAllocate: {"allocateCapacity", "allocate capacity", "isAllocateCapacity", "allocate", "allocate personal space",
			"是否分配个人空间", "分配个人空间", "是否分配", "是否分配空间", "分配空间"},
	} {
		for _, n := range names {
			add(n, Column(c))
		}
	}
	for _, h := range headerNames {
		for c, n := range h {
			add(n, Column(c))
		}
	}
	return m
}()

// normalizeHeader reduces a header cell to the form looked up in
// headerAliases, so that "User ID", "userId", "user_id" and "USER-ID" are
// one name, and so are 个人空间容量（GB） and 个人空间容量: full-width
// letters and parentheses become ASCII, case and separators go, and so do a
// trailing note in parentheses (the "(GB)" unit, "(是/否)") and the asterisks
// that mark required columns.
func normalizeHeader(s string) string {
	s = width.Narrow.String(strings.TrimFunc(s, isSpace))
	s = strings.ToLower(strings.Trim(s, "* "))
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndexByte(s, '('); i > 0 {
			s = s[:i]
		}
	}
	return strings.Map(func(r rune) rune {
		if isSpace(r) || r == '_' || r == '-' || r == '.' || r == '*' || r == ':' {
			return -1
		}
		return r
	}, s)
}

// columnIndex says which cell of a row holds each column: -1 for a column
// the file does not have.
type columnIndex [numColumns]int

// mapHeader finds the columns in a header row. Unknown columns are ignored,
// so files may carry notes, and failed-rows files their line and reason
// columns; a column given twice is refused, since which of the two holds the
// data is a guess; the userId column is required, since it is the one
// identity every imported user has.
func mapHeader(cells []string) (columnIndex, error) {
	var idx columnIndex
	for i := range idx {
		idx[i] = -1
	}
	lang := "en-US"
	for _, cell := range cells {
		if hasHan(cell) {
			lang = "zh-CN"
			break
		}
	}
	for i, cell := range cells {
		c, ok := headerAliases[normalizeHeader(cell)]
		if !ok {
			continue
		}
		if idx[c] >= 0 {
			return idx, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileColumnTwice,
				koodrive.Params{"Column": strings.TrimFunc(cell, isSpace)})
		}
		idx[c] = i
	}
	if idx[ColUserID] < 0 {
		// Named in the language the file's header is written in, since
		// that is the name the administrator has to add.
		return idx, koodrive.NewError(koodrive.EMALFORMED, "", koodrive.MsgFileColumnMissing,
			koodrive.Params{"Column": ColUserID.Header(lang)})
	}
	return idx, nil
}
