package lsp

import (
	"encoding/json"

	"github.com/archform/archform/lang/format"
)

// formatting is `archform fmt` on the buffer: one edit replacing the whole
// text when it changes, none when the file does not parse (the formatter
// never rewrites what it does not understand; the diagnostics say why).
func (s *Server) formatting(params json.RawMessage) (any, *rpcError) {
	var p DocumentFormattingParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	doc, ok := s.docs[p.TextDocument.URI]
	if !ok {
		return nil, errorf("the document is not open: %s", p.TextDocument.URI)
	}
	name := doc.path
	if name == "" {
		name = doc.uri
	}
	out, diags := format.Source([]byte(doc.text.s), name)
	if diags.HasErrors() || out == nil {
		return []TextEdit{}, nil
	}
	if string(out) == doc.text.s {
		return []TextEdit{}, nil
	}
	whole := Range{End: doc.text.position(len(doc.text.s))}
	return []TextEdit{{Range: whole, NewText: string(out)}}, nil
}
