package ingest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// JSON Feed fields by the type gofeed decodes them into. One value of the
// wrong type (an "id" written as a number, a "title" as an object) makes it
// refuse the whole feed.
var (
	jsonFeedStrings = []string{"version", "title", "home_page_url", "feed_url", "description",
		"user_comment", "next_url", "icon", "favicon", "language"}
	jsonItemStrings = []string{"id", "url", "external_url", "title", "content_html", "content_text",
		"summary", "image", "banner_image", "date_published", "date_modified", "language"}
	jsonAuthorStrings     = []string{"name", "url", "avatar"}
	jsonHubStrings        = []string{"type", "url"}
	jsonAttachmentStrings = []string{"url", "mime_type", "title"}
	jsonAttachmentNumbers = []string{"size_in_bytes", "duration_in_seconds"}
)

// lenientJSONFeed rewrites a JSON Feed with values of the wrong type into
// one gofeed reads: a number or boolean where text belongs becomes text,
// any other wrong value is dropped, and so is an item that is not an object.
// ok is false when body is not a JSON object whose version names jsonfeed.org.
func lenientJSONFeed(body []byte) (out []byte, ok bool) {
	var top map[string]any
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, false
	}
	if v, _ := top["version"].(string); !strings.Contains(v, "jsonfeed.org") {
		return nil, false
	}
	fixStrings(top, jsonFeedStrings)
	fixAuthors(top)
	fixObjects(top, "hubs", jsonHubStrings, nil)
	if _, ok := top["expired"].(bool); !ok {
		delete(top, "expired")
	}
	items, _ := top["items"].([]any)
	kept := make([]any, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		fixStrings(m, jsonItemStrings)
		fixAuthors(m)
		fixObjects(m, "attachments", jsonAttachmentStrings, jsonAttachmentNumbers)
		if tags, ok := m["tags"].([]any); ok {
			var ts []any
			for _, t := range tags {
				if s, ok := jsonText(t); ok {
					ts = append(ts, s)
				}
			}
			m["tags"] = ts
		} else {
			delete(m, "tags")
		}
		kept = append(kept, m)
	}
	top["items"] = kept
	out, err := json.Marshal(top)
	return out, err == nil
}

// jsonText reads a JSON value that should be text.
func jsonText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// fixStrings makes each of keys in m text, or removes it.
func fixStrings(m map[string]any, keys []string) {
	for _, k := range keys {
		v, present := m[k]
		if !present || v == nil {
			continue
		}
		if s, ok := jsonText(v); ok {
			m[k] = s
		} else {
			delete(m, k)
		}
	}
}

// fixAuthors repairs "author" (an object) and "authors" (a list of them).
func fixAuthors(m map[string]any) {
	if a, ok := m["author"].(map[string]any); ok {
		fixStrings(a, jsonAuthorStrings)
	} else {
		delete(m, "author")
	}
	fixObjects(m, "authors", jsonAuthorStrings, nil)
}

// fixObjects keeps m[key] as a list of objects whose strings and numbers
// have their types, dropping what does not.
func fixObjects(m map[string]any, key string, strs, nums []string) {
	list, ok := m[key].([]any)
	if !ok {
		delete(m, key)
		return
	}
	var kept []any
	for _, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			continue
		}
		fixStrings(o, strs)
		for _, k := range nums {
			if _, ok := o[k].(float64); !ok {
				delete(o, k)
			}
		}
		kept = append(kept, o)
	}
	m[key] = kept
}
