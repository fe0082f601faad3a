package table

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/synfin/synfin/analyze"
)

// RecordSchema derives the JSON Schema of analyze.Record from its Go type,
// so the schema cannot drift from what synfin writes.
func RecordSchema() []byte {
	s := schemaOf(reflect.TypeOf(analyze.Record{}))
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["title"] = "synfin connection record"
	s["$comment"] = "schema version " + itoa(analyze.SchemaVersion)
	b, _ := json.MarshalIndent(s, "", "  ")
	return append(b, '\n')
}

var timeType = reflect.TypeOf(analyze.Time(0))

func schemaOf(t reflect.Type) map[string]any {
	nullable := false
	if t.Kind() == reflect.Pointer {
		nullable, t = true, t.Elem()
	}
	var s map[string]any
	switch {
	case t == timeType:
		s = map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			props[name] = schemaOf(f.Type)
			required = append(required, name)
		}
		s = map[string]any{"type": "object", "properties": props, "required": required}
	case t.Kind() == reflect.Slice:
		s = map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case t.Kind() == reflect.Map:
		s = map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	default:
		s = map[string]any{"type": "integer"}
	}
	if nullable {
		s["type"] = []any{s["type"], "null"}
	}
	return s
}
