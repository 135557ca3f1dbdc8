package ingest

import (
	"slices"
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// GB18030 and GBK text is decoded in blocks on the workers that parse it (see csvReader.raw):
// decodeGBK gives the UTF-8 text golang.org/x/text's decoder gives for the same bytes, faster.
//
// Why a file may be cut into blocks before it is decoded: the decoder never takes a byte below
// 0x30 into a character of several bytes (x/text takes 0x30–0x3f as a second byte, 0x40–0xfe
// too, 0x81–0xfe as a third and 0x30–0x39 as a fourth), and every such byte is its own ASCII
// character. So line breaks, quotes, and delimiters among those bytes (comma, tab, space…)
// are where they are in the decoded text, and decoding text cut after a line break, or before
// such a byte, gives what decoding it whole gives (TestDecodeGBKMatchesXText).

// gbkTable holds the UTF-8 of each two-byte character (lead 0x81–0xfe, trail 0x40–0x7e or
// 0x80–0xfe, at (lead-0x81)*256+trail): its bytes in the low three bytes and their count in
// the top one; 0 where the slow path decides (no character, or U+FFFD).
var gbkTable = sync.OnceValue(func() *[126 * 256]uint32 {
	var t [126 * 256]uint32
	dec := simplifiedchinese.GBK.NewDecoder()
	var out [8]byte
	for lead := 0x81; lead <= 0xfe; lead++ {
		for trail := 0x40; trail <= 0xfe; trail++ {
			if trail == 0x7f {
				continue
			}
			nDst, nSrc, err := dec.Transform(out[:], []byte{byte(lead), byte(trail)}, true)
			if err != nil || nSrc != 2 || nDst < 2 || nDst > 3 || string(out[:nDst]) == "\ufffd" {
				continue
			}
			v := uint32(nDst) << 24
			for i := range nDst {
				v |= uint32(out[i]) << (8 * i)
			}
			t[(lead-0x81)*256+trail] = v
		}
	}
	return &t
})

// rawSafe reports whether text in encoding enc with delimiter delim may be cut into records
// before it is decoded (see above): a GB18030 or GBK file with a delimiter of one such byte.
func rawSafe(enc string, delim []byte) bool {
	if enc != "gb18030" && enc != "gbk" || len(delim) != 1 {
		return false
	}
	return hardByte(delim[0])
}

// hardByte reports whether a byte is never taken into a character of several bytes.
func hardByte(b byte) bool { return b < 0x30 }

// decodeGBK appends to dst the UTF-8 of src, GB18030 (gb18030) or GBK text that ends after a
// line break or at the end of its file, as x/text's decoder gives it.
func decodeGBK(dst, src []byte, gb18030 bool) []byte {
	t := gbkTable()
	var slow encoding.Encoding = simplifiedchinese.GBK
	if gb18030 {
		slow = simplifiedchinese.GB18030
	}
	var dec *encoding.Decoder
	i := 0
	for i < len(src) {
		c := src[i]
		if c < 0x80 {
			j := i + 1
			for j < len(src) && src[j] < 0x80 {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			continue
		}
		if c >= 0x81 && c <= 0xfe && i+1 < len(src) {
			if v := t[int(c-0x81)*256+int(src[i+1])]; v != 0 {
				if v>>24 == 3 {
					dst = append(dst, byte(v), byte(v>>8), byte(v>>16))
				} else {
					dst = append(dst, byte(v), byte(v>>8))
				}
				i += 2
				continue
			}
		}
		// Anything else (the euro byte, four-byte characters, bad bytes) x/text decodes, up to
		// the next byte no character takes in, where decoding starts afresh.
		j := i + 1
		for j < len(src) && !hardByte(src[j]) {
			j++
		}
		if dec == nil {
			dec = slow.NewDecoder()
		}
		dst = appendTransformed(dst, dec, src[i:j])
		i = j
	}
	return dst
}

// appendTransformed appends all of src through t, as at the end of its input, to dst.
func appendTransformed(dst []byte, t transform.Transformer, src []byte) []byte {
	t.Reset()
	for {
		dst = slices.Grow(dst, 4*len(src)+8)
		nDst, nSrc, err := t.Transform(dst[len(dst):cap(dst)], src, true)
		dst = dst[:len(dst)+nDst]
		src = src[nSrc:]
		if err != transform.ErrShortDst || len(src) == 0 {
			return dst
		}
	}
}
