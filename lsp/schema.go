package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/archform/archform/lang"
)

// The JSON Schema of design files in HCL's JSON syntax (*.arch.json),
// generated from lang's attribute catalogue: the blocks, attributes, types,
// bounds and enumerations the decoder reads. The repository holds it as
// docs/schema/archform.schema.json (a test keeps it equal to JSONSchema), for
// editors, SchemaStore and the VS Code extension.
//
// In HCL's JSON syntax a block is a property whose value is the block's body
// (an object), or an array of bodies; a labelled block nests its bodies in
// an object keyed by the label. A reference is a string ("database.orders"),
// and any string may hold an interpolation ("${var.rps}"), which the schema
// accepts in place of any value: only archform can evaluate it.

// SchemaID is the schema's $id.
const SchemaID = "https://github.com/archform/archform/raw/main/docs/schema/archform.schema.json"

// Patterns of the value types that are strings. TestSchemaPatterns checks
// them against lang.ParseDuration and lang.ValidQuantity.
const (
	durationPattern = `^([0-9]+(\.[0-9]+)?(ms|s|m|h|d))+$`
	sizePattern     = `^([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`
	namePattern     = `^[A-Za-z_][A-Za-z0-9_-]*$`
	interpPattern   = `\$\{`
)

type schemaObj = map[string]any

// referencePattern matches KIND.NAME for the component kinds.
func referencePattern() string {
	kinds := make([]string, len(lang.Kinds))
	for i, k := range lang.Kinds {
		kinds[i] = string(k)
	}
	return `^(` + strings.Join(kinds, "|") + `)\.` + namePattern[1:]
}

// JSONSchema returns the JSON Schema of *.arch.json files, indented, with a
// final newline.
func JSONSchema() []byte {
	defs := &schemaDefs{objs: schemaObj{}, owner: map[string]*lang.Block{}}
	root := lang.Catalogue()
	body := bodySchema(root, defs)
	body["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	body["$id"] = SchemaID
	body["title"] = "archform design (*.arch.json)"
	body["description"] = "An archform design file in HCL's JSON syntax. Generated from archform's attribute catalogue: see docs/language.md."
	body["$defs"] = defs.objs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(body); err != nil {
		panic(err) // maps of strings, numbers and bools only
	}
	return buf.Bytes()
}

// interpolation is a string holding a template interpolation, accepted for
// any value.
var interpolation = schemaObj{"type": "string", "pattern": interpPattern}

// schemaDefs are the $defs of the schema, one per block of the catalogue:
// named after the block type, and numbered when two blocks of one type
// differ (a component's data block and a flow's).
type schemaDefs struct {
	objs  schemaObj
	owner map[string]*lang.Block
}

// bodySchema is the schema of a block's body.
func bodySchema(b *lang.Block, defs *schemaDefs) schemaObj {
	props := schemaObj{"//": schemaObj{"description": "A comment (HCL's JSON syntax)."}}
	var required []string
	if b.AnyAttributes {
		return schemaObj{"type": "object", "properties": props, "description": b.Doc}
	}
	for _, a := range b.Attributes {
		props[a.Name] = attributeSchema(a)
		if a.Required {
			required = append(required, a.Name)
		}
	}
	for _, nb := range b.Blocks {
		props[nb.Type] = blockRef(nb, defs)
	}
	out := schemaObj{"type": "object", "properties": props, "additionalProperties": false}
	if b.Doc != "" {
		out["description"] = b.Doc
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// blockRef is the schema of a block property: a body or bodies, by label
// when the block has one, through a $defs entry per block type.
func blockRef(b *lang.Block, defs *schemaDefs) schemaObj {
	name := b.Type
	for n := 2; defs.owner[name] != nil && defs.owner[name] != b; n++ {
		name = fmt.Sprintf("%s_%d", b.Type, n)
	}
	if defs.owner[name] == nil {
		defs.owner[name] = b
		defs.objs[name] = schemaObj{} // placeholder: a block nested in itself
		defs.objs[name] = bodySchema(b, defs)
	}
	ref := schemaObj{"$ref": "#/$defs/" + name}
	bodies := schemaObj{"anyOf": []any{ref, schemaObj{"type": "array", "items": ref}}}
	if !b.Repeated {
		bodies = ref
	}
	if len(b.Labels) == 0 {
		return withDoc(bodies, b.Doc)
	}
	// KIND: {NAME: body} or [{NAME: body}, ...].
	byLabel := schemaObj{"type": "object", "propertyNames": schemaObj{"pattern": namePattern}, "additionalProperties": bodies}
	return withDoc(schemaObj{"anyOf": []any{byLabel, schemaObj{"type": "array", "items": byLabel}}}, b.Doc)
}

func withDoc(s schemaObj, doc string) schemaObj {
	if doc != "" {
		s["description"] = doc
	}
	return s
}

// attributeSchema is an attribute's value: its type (with bounds or
// enumeration), or an interpolation.
func attributeSchema(a *lang.Attribute) schemaObj {
	var typed schemaObj
	num := func(kind string) schemaObj {
		s := schemaObj{"type": kind}
		if a.Min != nil {
			if a.MinExclusive {
				s["exclusiveMinimum"] = *a.Min
			} else {
				s["minimum"] = *a.Min
			}
		}
		if a.Max != nil {
			s["maximum"] = *a.Max
		}
		return s
	}
	switch a.Type {
	case lang.TypeString:
		typed = schemaObj{"type": "string"}
		if len(a.Values) > 0 && !a.OpenValues {
			typed["enum"] = a.Values
		} else if len(a.Values) > 0 {
			typed["examples"] = a.Values
		}
	case lang.TypeBool:
		typed = schemaObj{"type": "boolean"}
	case lang.TypeNumber, lang.TypeRate:
		typed = num("number")
	case lang.TypeWhole:
		typed = num("integer")
		if len(a.Values) > 0 {
			var vals []any
			for _, v := range a.Values {
				vals = append(vals, json.Number(v))
			}
			typed["enum"] = vals
		}
	case lang.TypeRatio:
		typed = num("number")
		if a.Min == nil {
			typed["minimum"] = 0
		}
		if a.Max == nil {
			typed["maximum"] = 1
		}
	case lang.TypeDuration:
		typed = schemaObj{"type": "string", "pattern": durationPattern}
	case lang.TypeSize:
		typed = schemaObj{"type": "string", "pattern": sizePattern}
	case lang.TypeReference:
		typed = schemaObj{"type": "string", "pattern": referencePattern()}
	case lang.TypeStringList:
		items := schemaObj{"type": "string"}
		if len(a.Values) > 0 && !a.OpenValues {
			items["enum"] = a.Values
		}
		typed = schemaObj{"type": "array", "items": items}
	case lang.TypeNumberList:
		typed = schemaObj{"type": "array", "items": num("number")}
	case lang.TypeStringMap:
		typed = schemaObj{"type": "object", "additionalProperties": schemaObj{"type": "string"}}
	default: // any, type expressions
		return schemaObj{"description": description(a)}
	}
	return schemaObj{"anyOf": []any{typed, interpolation}, "description": description(a)}
}

// description is an attribute's doc with its type, unit and default.
func description(a *lang.Attribute) string {
	s := fmt.Sprintf("%s (%s", a.Doc, a.Type)
	if a.Unit != "" {
		s += ", " + a.Unit
	}
	s += ")"
	if a.Default != "" {
		s += " Default: " + a.Default + "."
	}
	return s
}
