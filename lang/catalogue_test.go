package lang

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCatalogueComplete checks that every block and attribute of the
// catalogue says what it is: a doc, a type, and for an enumeration distinct
// values.
func TestCatalogueComplete(t *testing.T) {
	walkCatalogue(Catalogue(), nil, func(path []string, b *Block) {
		where := strings.Join(path, ".")
		if b.Doc == "" {
			t.Errorf("block %s has no doc", where)
		}
		seen := map[string]bool{}
		for _, a := range b.Attributes {
			if seen[a.Name] {
				t.Errorf("block %s lists attribute %s twice", where, a.Name)
			}
			seen[a.Name] = true
			if a.Doc == "" || a.Type == "" || a.Type.Doc() == "" {
				t.Errorf("attribute %s.%s lacks a doc or a documented type", where, a.Name)
			}
			for i, v := range a.Values {
				if slices.Index(a.Values, v) != i {
					t.Errorf("attribute %s.%s lists the value %q twice", where, a.Name, v)
				}
			}
			if a.Required && a.Default != "" {
				t.Errorf("attribute %s.%s is required and has a default", where, a.Name)
			}
		}
		for _, nb := range b.Blocks {
			if seen[nb.Type] {
				t.Errorf("block %s takes %s both as an attribute and as a block", where, nb.Type)
			}
		}
	})
	for _, k := range Kinds {
		if ComponentBlock(k) == nil {
			t.Errorf("no catalogue block for kind %s", k)
		}
	}
}

func walkCatalogue(b *Block, path []string, fn func([]string, *Block)) {
	fn(path, b)
	for _, nb := range b.Blocks {
		walkCatalogue(nb, append(slices.Clone(path), nb.Type), fn)
	}
}

// TestCatalogueDecoded sets every attribute of every block of the catalogue,
// to every allowed value of an enumeration, in an otherwise valid design, and
// checks that the decoder takes it without an error and records where it
// was written in the design (an attribute the schema accepts but the decoder
// drops fails here). Closed enumerations must refuse a value outside them.
func TestCatalogueDecoded(t *testing.T) {
	n := 0
	walkCatalogue(Catalogue(), nil, func(path []string, b *Block) {
		if len(path) == 0 || b.AnyAttributes {
			return
		}
		for _, a := range b.Attributes {
			if path[0] == string(KindDatabase) && len(path) == 1 && a.Name == "replicas" {
				continue // an error by design: a database's instances come from its replication
			}
			values := []string{sampleValue(path, a)}
			if a.Values != nil {
				values = nil
				for _, v := range a.Values {
					values = append(values, valueLiteral(a, v))
				}
			}
			for _, v := range values {
				n++
				name := strings.Join(append(slices.Clone(path), a.Name), ".") + "=" + v
				src := catalogueDesign(path, a, v)
				d, diags := LoadFiles(map[string][]byte{"t.arch.hcl": []byte(src)}, Options{})
				if diags.HasErrors() {
					t.Errorf("%s: %s\n%s", name, diags.Error(), src)
					continue
				}
				if !recorded(d, path, a.Name) {
					t.Errorf("%s: decoded without an error, but the design does not record it\n%s", name, src)
				}
			}
			if a.Values != nil && !a.OpenValues {
				src := catalogueDesign(path, a, valueLiteral(a, "9"))
				if _, diags := LoadFiles(map[string][]byte{"t.arch.hcl": []byte(src)}, Options{}); !diags.HasErrors() {
					t.Errorf("%s.%s accepts a value outside %v", strings.Join(path, "."), a.Name, a.Values)
				}
			}
		}
	})
	if n < 150 {
		t.Errorf("only %d attribute values tried", n)
	}
}

func valueLiteral(a *Attribute, v string) string {
	switch a.Type {
	case TypeWhole, TypeNumber:
		return v
	case TypeStringList:
		return fmt.Sprintf("[%q]", v)
	}
	return fmt.Sprintf("%q", v)
}

// sampleValue is a valid value of a in the design catalogueDesign writes.
func sampleValue(path []string, a *Attribute) string {
	switch a.Name {
	case "zones":
		return `["a"]`
	case "regions":
		return `["r"]`
	case "secrets":
		return `{ A = "credentials/password" }`
	case "from", "dead_letter", "through":
		return "queue.q"
	case "entry":
		return "client.c"
	case "host_ip":
		return `"127.0.0.1"`
	}
	if a.Name == "name" && len(path) == 2 && path[1] == "volume" {
		return `"data"`
	}
	if a.Values != nil {
		return valueLiteral(a, a.Values[0])
	}
	switch a.Type {
	case TypeString:
		return `"/x"`
	case TypeBool:
		return "true"
	case TypeNumber, TypeRate, TypeWhole:
		if a.Min != nil && *a.Min > 1 {
			return fmt.Sprint(*a.Min)
		}
		return "1"
	case TypeRatio:
		return "0.5"
	case TypeDuration:
		return `"1s"`
	case TypeSize:
		return `"1Gi"`
	case TypeReference:
		return "service.target"
	case TypeStringList:
		return `["x"]`
	case TypeNumberList:
		return "[80]"
	case TypeStringMap:
		return `{ A = "b" }`
	case TypeNumberMap:
		return `{ dc = 1 }`
	case TypeAny:
		return "1"
	case TypeTypeExpr:
		return "number"
	}
	panic("no sample value for type " + a.Type)
}

// catalogueDesign is a valid design in which the block at path sets a = v
// (and the block's required attributes, and what v needs).
func catalogueDesign(path []string, a *Attribute, v string) string {
	var sb strings.Builder
	sb.WriteString("region \"r\" {\n  zones = [\"a\"]\n}\nservice \"target\" {}\nqueue \"q\" {}\n")
	if path[0] != "system" {
		sb.WriteString("system \"s\" {}\n")
	}
	switch {
	case path[0] == "flow" && a.Name == "through":
		// A flow follows a queue its path writes to and something consumes.
		sb.WriteString("client \"c\" {\n  call {\n    to = queue.q\n  }\n}\nservice \"w\" {\n  consume {\n    from = queue.q\n  }\n}\n")
	case path[0] != string(KindClient):
		sb.WriteString("client \"c\" {}\n")
	}
	name := path[0] + ` "x" `
	switch path[0] {
	case "system":
		name = `system "s" `
	case "region":
		name = `region "r2" `
	case "client":
		name = `client "c" `
	}
	b := Catalogue()
	sb.WriteString(name + "{\n")
	for i, typ := range path {
		b = b.Block(typ)
		if i > 0 {
			sb.WriteString(typ + " {\n")
		}
		for _, req := range b.Attributes {
			if req.Required && (i < len(path)-1 || req.Name != a.Name) {
				val := sampleValue(path[:i+1], req)
				if req.Name == "zones" && path[0] == "region" {
					val = `["b"]`
				}
				fmt.Fprintf(&sb, "%s = %s\n", req.Name, val)
			}
		}
	}
	val := v
	if a.Name == "zones" && path[0] == "region" {
		val = `["b"]`
	}
	fmt.Fprintf(&sb, "%s = %s\n", a.Name, val)
	if path[0] == "variable" && a.Name != "default" {
		sb.WriteString("default = 1\n") // a variable needs a value
	}
	switch {
	case a.Name == "consistency" && v == `"bounded_staleness"`:
		sb.WriteString("max_staleness = \"1s\"\n")
	case a.Name == "max_staleness":
		sb.WriteString("consistency = \"bounded_staleness\"\n")
	case a.Name == "session" && v == `"primary_after_write"`:
		sb.WriteString("session_window = \"1s\"\n")
	case a.Name == "type" && len(path) == 2 && path[1] == "mount" && v == `"bind"`:
		sb.WriteString("source = \"/x\"\n")
	case a.Name == "host_ip":
		sb.WriteString("host_port = 8080\n")
	case a.Name == "session_window":
		sb.WriteString("session = \"primary_after_write\"\n")
	case a.Name == "mode" && len(path) == 2 && path[1] == "transaction" && v != `"saga"`:
		sb.WriteString("") // compensate blocks are for sagas; none is written here
	}
	for range path {
		sb.WriteString("}\n")
	}
	return sb.String()
}

// recorded reports whether the design records the attribute name of the
// block at path.
func recorded(d *Design, path []string, name string) bool {
	nested := strings.Join(append(slices.Clone(path[1:]), name), ".")
	switch path[0] {
	case "system":
		if len(path) == 2 && path[1] == "slo" {
			return d.System.SLO.Ranges.Has(name)
		}
		return d.System.Ranges.Has(nested)
	case "region":
		for _, r := range d.Regions {
			if r.Name == "r2" {
				return r.Ranges.Has(name)
			}
		}
		return false
	case "variable":
		return true // variables are values, not part of the design
	case "flow":
		f := d.Flow("x")
		if f == nil {
			return false
		}
		switch {
		case len(path) == 3 && path[2] == "compensate":
			return f.Transaction != nil && len(f.Transaction.Compensations) == 1 && f.Transaction.Compensations[0].Ranges.Has(name)
		case len(path) == 2 && path[1] == "data":
			return f.Data != nil && f.Ranges.Has("data."+name)
		case len(path) == 2 && path[1] == "transaction":
			return f.Transaction != nil && f.Transaction.Ranges.Has(name)
		case len(path) == 2:
			return f.SLO.Ranges.Has(name)
		}
		return f.Ranges.Has(name)
	}
	addr := path[0] + ".x"
	if path[0] == "client" {
		addr = "client.c"
	}
	c := d.Component(addr)
	if c == nil {
		return false
	}
	if len(path) == 2 {
		switch path[1] {
		case "call":
			return len(c.Calls) == 1 && c.Calls[0].Ranges.Has(name)
		case "consume":
			return len(c.Consumes) == 1 && c.Consumes[0].Ranges.Has(name)
		case "port":
			return len(c.PortSpecs) == 1 && c.PortSpecs[0].Ranges.Has(name)
		case "mount":
			return len(c.Mounts) == 1 && c.Mounts[0].Ranges.Has(name)
		}
	}
	return c.Ranges.Has(nested)
}
