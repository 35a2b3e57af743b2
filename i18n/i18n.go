// Package i18n holds koodrive's message catalogs (en-US and zh-CN, embedded)
// and turns a koodrive.Message into text in the caller's language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/koodrive/koodrive"
)

//go:embed locales/*.json
var locales embed.FS

// Languages koodrive speaks; the first is the default.
var (
	English = language.MustParse("en-US")
	Chinese = language.MustParse("zh-CN")
)

var supported = []language.Tag{English, Chinese}

// Catalog localizes messages. It is safe for concurrent use.
type Catalog struct {
	localizers map[language.Tag]*goi18n.Localizer
	matcher    language.Matcher
}

// New loads the embedded catalogs.
func New() (*Catalog, error) {
	b := goi18n.NewBundle(English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{localizers: make(map[language.Tag]*goi18n.Localizer), matcher: language.NewMatcher(supported)}
	for _, tag := range supported {
		name := "locales/" + tag.String() + ".json"
		buf, err := locales.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", name, err)
		}
		if _, err := b.ParseMessageFileBytes(buf, name); err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", name, err)
		}
		c.localizers[tag] = goi18n.NewLocalizer(b, tag.String())
	}
	return c, nil
}

// Language picks the supported language for a "language" header value such
// as "zh-CN", "zh_cn" or "en-US"; anything else, or nothing, is English.
func (c *Catalog) Language(header string) language.Tag {
	header = strings.TrimSpace(strings.ReplaceAll(header, "_", "-"))
	if header == "" {
		return English
	}
	// A single tag or a list with weights ("zh-CN,zh;q=0.9,en;q=0.8").
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return English
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return supported[i]
}

// Text renders m in lang. A message missing from a catalog renders as its
// ID and parameters rather than failing the response it belongs to.
func (c *Catalog) Text(lang language.Tag, m koodrive.Message) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[English]
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: string(m.ID), TemplateData: map[string]any(m.Params)})
	if err != nil {
		return m.String()
	}
	return s
}

// Join renders several messages as one text, in lang's list style.
func (c *Catalog) Join(lang language.Tag, ms []koodrive.Message) string {
	if len(ms) == 1 {
		return c.Text(lang, ms[0])
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = c.Text(lang, m)
	}
	return strings.Join(parts, c.Text(lang, koodrive.Message{ID: koodrive.MsgListSeparator}))
}
