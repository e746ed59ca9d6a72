package modelfile

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// notArray keeps the JSON text of any value but an array, which it skips without a copy: the
// keys of a layer object can be read without copying its weights.
type notArray []byte

// UnmarshalJSON keeps b unless it is an array.
func (v *notArray) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '[' {
		*v = append((*v)[:0], b...)
	}
	return nil
}

// checkKeys refuses, in the JSON object raw and in the objects it holds for struct fields of the
// struct type t:
//
//   - a key that names a field only up to case ("Weight", "WEIGHT" or "ſhift" for "weight" and
//     "shift"). encoding/json would accept it as the field, and when the object also has the
//     exact key, the later of the two; a reader in another language sees only the exact key, so
//     the same file would have two densities.
//   - a field whose value is null. encoding/json would read it as absent (or zero: "context":
//     null as 0); the format has no null values, and other readers would fail on it.
//
// Other keys are extra fields and may hold anything. at is the location of raw inside the layer
// ("" for the layer itself). A raw that is not an object is left to the decoder to refuse.
func checkKeys(raw []byte, t reflect.Type, at string) error {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var obj map[string]notArray
	if json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f, name, exact := fieldOf(t, k)
		if f == nil {
			continue
		}
		if !exact {
			msg := fmt.Sprintf("the key %q is not %q (keys are case-sensitive)", k, name)
			if at != "" {
				msg = at + ": " + msg
			}
			return fmt.Errorf("%s", msg)
		}
		loc := name
		if at != "" {
			loc = at + "." + name
		}
		if string(obj[k]) == "null" {
			return fmt.Errorf("%s is null, want a value (omit an optional field instead)", loc)
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if obj[k] != nil {
			if err := checkKeys(obj[k], ft, loc); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldOf returns the field of t whose JSON name is key (exact = true) or equals it up to case
// as encoding/json compares names (exact = false), and that JSON name; nil when none.
func fieldOf(t reflect.Type, key string) (*reflect.StructField, string, bool) {
	var fold *reflect.StructField
	foldName := ""
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if name == key {
			return &f, name, true
		}
		if fold == nil && strings.EqualFold(name, key) {
			fold, foldName = &f, name
		}
	}
	return fold, foldName, false
}
