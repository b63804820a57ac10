package render

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image/png"
	"testing"
)

// TestPNGSoftwareChunk checks that PNG marks its output as archform's: a
// tEXt chunk "Software" = PNGSoftware right after IHDR, with a correct CRC,
// and that the picture still decodes (image/png checks every chunk's CRC).
func TestPNGSoftwareChunk(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="20pt" height="10pt" viewBox="0 0 20 10">` +
		`<polygon fill="black" points="0,0 20,0 20,10 0,10"/></svg>`)
	var buf bytes.Buffer
	if err := PNG(&buf, svg, 1); err != nil {
		t.Fatal(err)
	}
	img := buf.Bytes()
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	var chunks []string
	for at := 8; at+12 <= len(img); {
		n := int(binary.BigEndian.Uint32(img[at:]))
		if at+12+n > len(img) {
			t.Fatalf("chunk at %d overruns the file", at)
		}
		typ, data := string(img[at+4:at+8]), img[at+8:at+8+n]
		crc := binary.BigEndian.Uint32(img[at+8+n:])
		if want := crc32.ChecksumIEEE(img[at+4 : at+8+n]); crc != want {
			t.Errorf("%s chunk: CRC %08x, want %08x", typ, crc, want)
		}
		if typ == "tEXt" && string(data) != "Software\x00"+PNGSoftware {
			t.Errorf("tEXt chunk %q, want %q", data, "Software\x00"+PNGSoftware)
		}
		chunks = append(chunks, typ)
		at += 12 + n
	}
	if len(chunks) < 3 || chunks[0] != "IHDR" || chunks[1] != "tEXt" || chunks[len(chunks)-1] != "IEND" {
		t.Fatalf("chunks %v, want IHDR, tEXt, ..., IEND", chunks)
	}
}
