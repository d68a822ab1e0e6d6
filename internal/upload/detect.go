// Package upload validates uploaded files and stores them: the size limit is checked before the
// body is read, the type is decided by the content against an allowlist (photos and the office
// formats towns use), images are decoded under a pixel limit, turned upright by their EXIF
// orientation and re-encoded (which drops location and other metadata), and every file is
// stored under a generated name and downloaded with its original name.
package upload

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// Type is a detected file type.
type Type struct {
	Ext         string // with the dot, as stored
	ContentType string
	Image       bool
	Label       string // Chinese name for messages
	Family      string // Chinese or product name in the list of accepted formats; types of one family are listed once
}

var (
	typeJPEG = Type{".jpg", "image/jpeg", true, "JPEG 图片", "JPG"}
	typePNG  = Type{".png", "image/png", true, "PNG 图片", "PNG"}
	typeGIF  = Type{".gif", "image/gif", true, "GIF 图片", "GIF"}
	typeWebP = Type{".webp", "image/webp", true, "WebP 图片", "WebP"}
	typePDF  = Type{".pdf", "application/pdf", false, "PDF 文档", "PDF"}
	typeOFD  = Type{".ofd", "application/ofd", false, "OFD 版式文档", "OFD"}
	typeDOCX = Type{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false, "Word 文档", "Word"}
	typeXLSX = Type{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "Excel 表格", "Excel"}
	typePPTX = Type{".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", false, "PowerPoint 演示文稿", "PowerPoint"}
	typeDOC  = Type{".doc", "application/msword", false, "Word 文档", "Word"}
	typeXLS  = Type{".xls", "application/vnd.ms-excel", false, "Excel 表格", "Excel"}
	typePPT  = Type{".ppt", "application/vnd.ms-powerpoint", false, "PowerPoint 演示文稿", "PowerPoint"}
	typeWPS  = Type{".wps", "application/vnd.ms-works", false, "WPS 文字文档", "WPS"}
	typeET   = Type{".et", "application/vnd.ms-excel", false, "WPS 表格", "WPS"}
	typeZIP  = Type{".zip", "application/zip", false, "ZIP 压缩包", "ZIP"}
	typeTXT  = Type{".txt", "text/plain; charset=utf-8", false, "文本文件", "TXT"}
	// typeLegacyText is a text file in another encoding than UTF-8, usually GB 18030 from an
	// older Windows Notepad. It is served without a charset, so the reader's program guesses.
	typeLegacyText = Type{".txt", "text/plain", false, "文本文件", "TXT"}
)

// detectResult is what detect found: a type, a HEIC/HEIF photo (which the server cannot decode
// in pure Go), or neither.
type detectResult struct {
	t    Type
	heic bool
	ok   bool
}

// detect decides the type of data from its content. The name's extension only separates
// formats that share a container (the OLE2 compound file holds .doc, .xls, .ppt, .wps and .et;
// a ZIP archive named .zip stays a ZIP archive) and marks plain text.
func detect(name string, data []byte) detectResult {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return detectResult{t: typeJPEG, ok: true}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return detectResult{t: typePNG, ok: true}
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return detectResult{t: typeGIF, ok: true}
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return detectResult{t: typeWebP, ok: true}
	case len(data) >= 12 && string(data[4:8]) == "ftyp" && isHEICBrand(string(data[8:12])):
		return detectResult{heic: true}
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return detectResult{t: typePDF, ok: true}
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		switch ext {
		case ".doc":
			return detectResult{t: typeDOC, ok: true}
		case ".xls":
			return detectResult{t: typeXLS, ok: true}
		case ".ppt":
			return detectResult{t: typePPT, ok: true}
		case ".wps":
			return detectResult{t: typeWPS, ok: true}
		case ".et":
			return detectResult{t: typeET, ok: true}
		}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return detectZip(data, ext == ".zip")
	case ext == ".txt" && isText(data):
		if utf8.Valid(data) {
			return detectResult{t: typeTXT, ok: true}
		}
		return detectResult{t: typeLegacyText, ok: true}
	}
	return detectResult{}
}

func isHEICBrand(b string) bool {
	switch b {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif":
		return true
	}
	return false
}

// detectZip tells OOXML documents and OFD files apart by the entries of the archive. Only the
// central directory is read, so a ZIP bomb is never expanded. An archive named .zip is a ZIP
// archive whatever it contains.
func detectZip(data []byte, namedZip bool) detectResult {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return detectResult{}
	}
	if namedZip {
		return detectResult{t: typeZIP, ok: true}
	}
	var contentTypes, word, xl, ppt, ofd bool
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		case strings.HasPrefix(f.Name, "ppt/"):
			ppt = true
		case f.Name == "OFD.xml":
			ofd = true
		}
	}
	switch {
	case ofd:
		return detectResult{t: typeOFD, ok: true}
	case contentTypes && word:
		return detectResult{t: typeDOCX, ok: true}
	case contentTypes && xl:
		return detectResult{t: typeXLSX, ok: true}
	case contentTypes && ppt:
		return detectResult{t: typePPTX, ok: true}
	}
	return detectResult{}
}

// isText reports whether data has none of the control bytes that mark a binary file. Bytes
// from 0x80 up are allowed, so text in GB 18030 passes as well as UTF-8.
func isText(data []byte) bool {
	for _, b := range data {
		if b < 0x09 || (b > 0x0d && b < 0x20 && b != 0x1b) {
			return false
		}
	}
	return true
}
