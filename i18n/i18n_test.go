package i18n_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/language"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/i18n"
)

var localeFiles = map[string]string{
	"en-US": "locales/en-US.json",
	"zh-CN": "locales/zh-CN.json",
}

// readCatalog reads a catalog file from disk as ID -> template.
func readCatalog(tb testing.TB, path string) map[string]string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return m
}

func mustCatalog(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	c, err := i18n.New()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// templateKeys returns the parameter names a template refers to.
func templateKeys(tmpl string) []string {
	var keys []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		if !slices.Contains(keys, m[1]) {
			keys = append(keys, m[1])
		}
	}
	return keys
}

func TestCatalogs_MatchMessageIDs(t *testing.T) {
	ids := make(map[string]bool)
	for _, id := range koodrive.MessageIDs() {
		if ids[string(id)] {
			t.Errorf("MessageIDs lists %q twice", id)
		}
		ids[string(id)] = true
	}
	for lang, path := range localeFiles {
		t.Run(lang, func(t *testing.T) {
			cat := readCatalog(t, path)
			var missing, extra []string
			for id := range ids {
				if s, ok := cat[id]; !ok {
					missing = append(missing, id)
				} else if s == "" {
					t.Errorf("%s: %q is empty", path, id)
				}
			}
			for id := range cat {
				if !ids[id] {
					extra = append(extra, id)
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			if len(missing) > 0 {
				t.Errorf("%s lacks %q", path, missing)
			}
			if len(extra) > 0 {
				t.Errorf("%s has IDs that MessageIDs lacks: %q", path, extra)
			}
		})
	}
}

func TestCatalogs_SamePlaceholders(t *testing.T) {
	en := readCatalog(t, localeFiles["en-US"])
	zh := readCatalog(t, localeFiles["zh-CN"])
	for _, id := range koodrive.MessageIDs() {
		ke, kz := templateKeys(en[string(id)]), templateKeys(zh[string(id)])
		sort.Strings(ke)
		sort.Strings(kz)
		if !slices.Equal(ke, kz) {
			t.Errorf("%s: en-US uses %q, zh-CN uses %q", id, ke, kz)
		}
	}
}

func TestCatalog_Text(t *testing.T) {
	c := mustCatalog(t)
	langs := []struct {
		name string
		tag  language.Tag
	}{{"en-US", i18n.English}, {"zh-CN", i18n.Chinese}}
	cats := map[string]map[string]string{}
	for _, l := range langs {
		cats[l.name] = readCatalog(t, localeFiles[l.name])
	}

	for _, id := range koodrive.MessageIDs() {
		t.Run(string(id), func(t *testing.T) {
			// Parameters for every key either language refers to.
			p := koodrive.Params{}
			for _, l := range langs {
				for _, k := range templateKeys(cats[l.name][string(id)]) {
					p[k] = "«" + k + "»"
				}
			}
			out := map[string]string{}
			for _, l := range langs {
				tmpl := cats[l.name][string(id)]
				got := c.Text(l.tag, koodrive.Message{ID: id, Params: p})
				out[l.name] = got
				if strings.Contains(got, "<no value>") {
					t.Errorf("%s: %q contains <no value>", l.name, got)
				}
				if got == string(id) {
					t.Errorf("%s: rendered as its ID %q", l.name, got)
				}
				for _, k := range templateKeys(tmpl) {
					if !strings.Contains(got, "«"+k+"»") {
						t.Errorf("%s: %q lacks the value of %s", l.name, got, k)
					}
				}
				// The text is the template with each placeholder replaced.
				want := placeholder.ReplaceAllStringFunc(tmpl, func(s string) string {
					return "«" + placeholder.FindStringSubmatch(s)[1] + "»"
				})
				if got != want {
					t.Errorf("%s: Text = %q, want %q", l.name, got, want)
				}
			}
			if out["en-US"] == out["zh-CN"] {
				t.Errorf("en-US and zh-CN render the same text %q", out["en-US"])
			}
		})
	}

	t.Run("OKUnknownIDRendersID", func(t *testing.T) {
		m := koodrive.Message{ID: "NoSuchMessage", Params: koodrive.Params{"A": 1}}
		if got, want := c.Text(i18n.English, m), m.String(); got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
	})

	t.Run("OKValuesNotEscaped", func(t *testing.T) {
		m := koodrive.Message{ID: koodrive.MsgValueTaken, Params: koodrive.Params{"Field": "email", "Value": "<a&b>'{{.X}}'"}}
		if got, want := c.Text(i18n.English, m), "email <a&b>'{{.X}}' already belongs to another user"; got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
	})

	t.Run("OKUnsupportedTagIsEnglish", func(t *testing.T) {
		m := koodrive.Message{ID: koodrive.MsgFieldRequired, Params: koodrive.Params{"Field": "userId"}}
		got := c.Text(language.French, m)
		if want := "userId is required"; got != want {
			t.Errorf("Text(fr) = %q, want %q", got, want)
		}
	})

	t.Run("OKErrorMessage", func(t *testing.T) {
		e := koodrive.Invalid("userId", koodrive.MsgFieldRequired, nil)
		if got, want := c.Text(i18n.Chinese, e.Message), "缺少必填字段 userId"; got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
	})

	t.Run("OKConcurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tag := i18n.English
				if i%2 == 1 {
					tag = i18n.Chinese
				}
				for range 100 {
					if got := c.Text(tag, koodrive.Message{ID: koodrive.MsgUserLimit, Params: koodrive.Params{"Max": 9}}); !strings.Contains(got, "9") {
						t.Errorf("Text = %q, want it to contain 9", got)
						return
					}
				}
			}()
		}
		wg.Wait()
	})
}

func TestCatalog_Language(t *testing.T) {
	c := mustCatalog(t)
	for _, tt := range []struct {
		name string
		in   string
		want language.Tag
	}{
		{"OKEmpty", "", i18n.English},
		{"OKBlank", "  ", i18n.English},
		{"OKEnglish", "en-US", i18n.English},
		{"OKEnglishUnderscoreLower", "en_us", i18n.English},
		{"OKEnglishMixedCase", "EN-us", i18n.English},
		{"OKEnglishBare", "en", i18n.English},
		{"OKChinese", "zh-CN", i18n.Chinese},
		{"OKChineseUnderscoreLower", "zh_cn", i18n.Chinese},
		{"OKChineseUnderscoreUpper", "ZH_CN", i18n.Chinese},
		{"OKChineseBare", "zh", i18n.Chinese},
		{"OKChineseSpaces", " zh-CN ", i18n.Chinese},
		{"OKFrenchIsEnglish", "fr-FR", i18n.English},
		{"OKGarbageIsEnglish", "garbage!!", i18n.English},
		{"OKSingletonIsEnglish", "x", i18n.English},
		{"OKAcceptLanguageListIsEnglish", "fr-FR,fr;q=0.9", i18n.English},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Language(tt.in); got != tt.want {
				t.Errorf("Language(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}

	t.Run("Report", func(t *testing.T) {
		// Traditional Chinese is neither supported language; record where it goes.
		for _, in := range []string{"zh-TW", "zh-Hant", "zh-HK", "zh-Hans", "zh-SG", "en-GB", "ja", "zh-CN,zh;q=0.9", "zh-CN;q=1"} {
			t.Logf("Language(%q) = %v", in, c.Language(in))
		}
	})
}

func TestCatalog_Join(t *testing.T) {
	c := mustCatalog(t)
	m1 := koodrive.Message{ID: koodrive.MsgRowCapacityZero}
	m2 := koodrive.Message{ID: koodrive.MsgRowDuplicate, Params: koodrive.Params{"Field": "userId", "Value": "alice", "Row": 3}}

	for _, tt := range []struct {
		name string
		tag  language.Tag
		ms   []koodrive.Message
		want string
	}{
		{"OKOneEnglish", i18n.English, []koodrive.Message{m2}, "userId alice repeats row 3"},
		{"OKOneChinese", i18n.Chinese, []koodrive.Message{m2}, "userId alice 与第 3 行重复"},
		{"OKTwoEnglish", i18n.English, []koodrive.Message{m1, m2},
			"personalCapacity must be at least 1 GB when isAllocateCapacity is true (a first allocation cannot be 0); userId alice repeats row 3"},
		{"OKTwoChinese", i18n.Chinese, []koodrive.Message{m1, m2},
			"isAllocateCapacity 为 true 时，personalCapacity 至少为 1 GB（首次分配不能为 0）；userId alice 与第 3 行重复"},
		{"OKThreeEnglish", i18n.English, []koodrive.Message{m2, m2, m2},
			"userId alice repeats row 3; userId alice repeats row 3; userId alice repeats row 3"},
		{"OKNone", i18n.English, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Join(tt.tag, tt.ms); got != tt.want {
				t.Errorf("Join = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("OKSeparators", func(t *testing.T) {
		sep := koodrive.Message{ID: koodrive.MsgListSeparator}
		if got := c.Text(i18n.English, sep); got != "; " {
			t.Errorf("en-US separator = %q, want %q", got, "; ")
		}
		if got := c.Text(i18n.Chinese, sep); got != "；" {
			t.Errorf("zh-CN separator = %q, want %q", got, "；")
		}
	})
}
