package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/koodrive/koodrive"
)

// utf8BOM starts the CSV files this package writes: without it Excel reads
// CSV in the system's code page and shows Chinese as mojibake.
const utf8BOM = "\ufeff"

// WriteTemplate writes a blank import template, the header row only, in the
// language (see Headers) and format. CSV is UTF-8 with a byte order mark and
// CRLF line ends, as Excel expects. XLSX has a bold, frozen header row,
// columns wide enough for it, the identity columns formatted as text (so
// that Excel keeps a userId's leading zeros and a long mobile number's
// digits), a yes/no list on the allocate column, and a second sheet that
// explains each column. An unknown format is an EINVALID error.
func WriteTemplate(w io.Writer, format Format, lang string) error {
	switch Format(strings.ToLower(string(format))) {
	case FormatCSV:
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return fmt.Errorf("write template: %w", err)
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		cw.Write(Headers(lang))
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write template: %w", err)
		}
		return nil
	case FormatXLSX:
		if err := writeXLSXTemplate(w, lang); err != nil {
			return fmt.Errorf("write template: %w", err)
		}
		return nil
	}
	return koodrive.Invalid("format", koodrive.MsgFileFormat, koodrive.Params{"Name": string(format)})
}

// texts of the XLSX template, by language.
var templateTexts = [2]struct {
	sheet, readme   string
	readmeHeader    [3]string
	yes, no         string
	descriptions    [numColumns]string
	allocateChoices []string
}{
	langEN: {
		sheet: "Users", readme: "README",
		readmeHeader: [3]string{"Column", "Required", "Allowed values"},
		yes:          "yes", no: "no",
		descriptions: [numColumns]string{
			fmt.Sprintf("The user's account: 1 to %d characters, no spaces; unique in the organization.", koodrive.MaxUserIDLen),
			fmt.Sprintf("The name shown for the user, up to %d characters.", koodrive.MaxUserNameLen),
			"A mobile number, such as 13800138000 or +86 138 0013 8000; unique in the organization.",
			fmt.Sprintf("An email address, up to %d characters; unique in the organization.", koodrive.MaxEmailLen),
			"The department to put the user in, under the department you import into: a name, or a path such as Sales/East. Empty: that department itself.",
			"Empty or common user (1); department administrator (0), system administrator (2), drive administrator (3), member manager (5). A name or its number.",
			fmt.Sprintf("The user's personal space in GB, a whole number from 0 to %d. Empty: 0.", koodrive.MaxCapacityGB),
			"Whether to give the user a personal space: yes or no (also y/n, true/false, 1/0). Empty: yes when the capacity is above 0.",
		},
		allocateChoices: []string{"yes", "no"},
	},
	langZH: {
		sheet: "成员", readme: "说明",
		readmeHeader: [3]string{"列", "必填", "取值"},
		yes:          "是", no: "否",
		descriptions: [numColumns]string{
			fmt.Sprintf("用户账号：1 至 %d 个字符，不含空格；在组织内唯一。", koodrive.MaxUserIDLen),
			fmt.Sprintf("用户显示的姓名，最多 %d 个字符。", koodrive.MaxUserNameLen),
			"手机号，例如 13800138000 或 +86 138 0013 8000；在组织内唯一。",
			fmt.Sprintf("邮箱地址，最多 %d 个字符；在组织内唯一。", koodrive.MaxEmailLen),
			"用户所在部门，相对于导入的目标部门：部门名称，或“销售部/华东”这样的路径。为空：目标部门本身。",
			"为空或普通用户（1）；部门管理员（0）、系统管理员（2）、云盘管理员（3）、成员管理员（5）。填名称或编号均可。",
			fmt.Sprintf("个人空间容量，单位 GB，0 至 %d 的整数。为空：0。", koodrive.MaxCapacityGB),
			"是否分配个人空间：是或否（也可填 yes/no、true/false、1/0）。为空：容量大于 0 时为是。",
		},
		allocateChoices: []string{"是", "否"},
	},
}

func writeXLSXTemplate(w io.Writer, lang string) error {
	t := templateTexts[langIndex(lang)]
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), t.sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": cells hold what is typed
	if err != nil {
		return err
	}
	headers := Headers(lang)
	for c, h := range headers {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(t.sheet, col, col, columnWidth(h, 14)); err != nil {
			return err
		}
		switch Column(c) {
		case ColUserID, ColName, ColMobile, ColEmail, ColDepartment:
			if err := f.SetColStyle(t.sheet, col, text); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(t.sheet, "A1", &headers); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(headers))
	if err := f.SetCellStyle(t.sheet, "A1", last+"1", bold); err != nil {
		return err
	}
	if err := f.SetPanes(t.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	allocate, _ := excelize.ColumnNumberToName(int(ColAllocate) + 1)
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", allocate, allocate, excelize.TotalRows)
	if err := dv.SetDropList(t.allocateChoices); err != nil {
		return err
	}
	if err := f.AddDataValidation(t.sheet, dv); err != nil {
		return err
	}

	if _, err := f.NewSheet(t.readme); err != nil {
		return err
	}
	header := t.readmeHeader[:]
	if err := f.SetSheetRow(t.readme, "A1", &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(t.readme, "A1", "C1", bold); err != nil {
		return err
	}
	for c, h := range headers {
		required := t.no
		if Column(c) == ColUserID {
			required = t.yes
		}
		row := []string{h, required, t.descriptions[c]}
		if err := f.SetSheetRow(t.readme, fmt.Sprintf("A%d", c+2), &row); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 26, "B": 10, "C": 100} {
		if err := f.SetColWidth(t.readme, col, col, width); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// columnWidth is a width in Excel's units (characters) that shows s,
// counting the wide characters of Chinese as two.
func columnWidth(s string, least float64) float64 {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n += 2
		} else {
			n++
		}
	}
	return max(least, float64(n)+4)
}
