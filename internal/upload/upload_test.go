package upload

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"pingan/internal/domain"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegWithOrientation encodes a w×h JPEG whose top-left pixel is red and inserts an Exif APP1
// segment carrying orientation o.
func jpegWithOrientation(t *testing.T, w, h, o int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{0, 0, 255, 255})
		}
	}
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	ifd := make([]byte, 2+12+4)
	binary.BigEndian.PutUint16(ifd[0:], 1)
	binary.BigEndian.PutUint16(ifd[2:], 0x0112)
	binary.BigEndian.PutUint16(ifd[4:], 3)
	binary.BigEndian.PutUint32(ifd[6:], 1)
	binary.BigEndian.PutUint16(ifd[10:], uint16(o))
	payload := append([]byte("Exif\x00\x00"), append(tiff, ifd...)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	raw := buf.Bytes()
	return append(append(append([]byte{}, raw[:2]...), seg...), raw[2:]...)
}

func TestPrepareRotatesByExif(t *testing.T) {
	data := jpegWithOrientation(t, 40, 20, 6)
	if got := jpegOrientation(data); got != 6 {
		t.Fatalf("orientation = %d, want 6", got)
	}
	p, err := Prepare("photos", "现场.jpg", data, Photos)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 20 || p.Height != 40 {
		t.Errorf("size = %d×%d, want 20×40 after turning upright", p.Width, p.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Rotating 90° clockwise moves the red top-left corner to the top-right.
	r, _, b, _ := img.At(p.Width-2, 1).RGBA()
	if r < b {
		t.Errorf("top-right pixel is not red after rotation: r=%d b=%d", r, b)
	}
	if jpegOrientation(p.Data) != 1 {
		t.Error("re-encoded JPEG still carries an orientation")
	}
}

func TestPrepareRejectsBadFiles(t *testing.T) {
	gigapixel := pngHeader(100000, 100000)
	heic := append([]byte{0, 0, 0, 24}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...)
	cases := []struct {
		name, file string
		data       []byte
		rules      Rules
		want       string
	}{
		{"text claiming to be a photo", "photo.jpg", []byte("not an image at all"), Photos, "格式不在允许范围内"},
		{"damaged jpeg", "photo.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, Photos, "图片"},
		{"gigapixel png", "big.png", gigapixel, Photos, "过大"},
		{"heic photo", "IMG_0001.HEIC", heic, Photos, "HEIC"},
		{"document where photos go", "a.pdf", []byte("%PDF-1.7\n"), Photos, "不能上传"},
		{"empty file", "a.pdf", nil, Attachments, "空的"},
		{"too large", "a.txt", bytes.Repeat([]byte("a"), 11<<20), Photos, "上限"},
		{"ole file with unknown extension", "a.bin", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, Attachments, "格式不在允许范围内"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Prepare("f", c.file, c.data, c.rules)
			if domain.ErrorKind(err) != domain.KindInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			if !strings.Contains(domain.UserMessage(err), c.want) {
				t.Errorf("message %q does not contain %q", domain.UserMessage(err), c.want)
			}
		})
	}
}

// pngHeader returns a PNG signature and an IHDR chunk declaring w×h: enough for DecodeConfig,
// tiny on disk, and a decompression bomb if decoded.
func pngHeader(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return buf.Bytes()
}

func TestPrepareAcceptsOfficeFormats(t *testing.T) {
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}
	cases := []struct {
		file string
		data []byte
		want string
	}{
		{"通知.docx", zipWith(t, "[Content_Types].xml", "word/document.xml"), ".docx"},
		{"月报.xlsx", zipWith(t, "[Content_Types].xml", "xl/workbook.xml"), ".xlsx"},
		{"文件.ofd", zipWith(t, "OFD.xml", "Doc_0/Document.xml"), ".ofd"},
		{"旧文档.doc", ole, ".doc"},
		{"旧表格.xls", ole, ".xls"},
		{"材料.wps", ole, ".wps"},
		{"报表.et", ole, ".et"},
		{"方案.pdf", []byte("%PDF-1.4\n"), ".pdf"},
		{"照片.png", pngBytes(t, 8, 8), ".png"},
	}
	for _, c := range cases {
		p, err := Prepare("f", c.file, c.data, Attachments)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if p.Type.Ext != c.want || p.Name != c.file {
			t.Errorf("%s: type %s name %s, want %s and the original name", c.file, p.Type.Ext, p.Name, c.want)
		}
	}
}

func TestDisplayNameKeepsLastPart(t *testing.T) {
	cases := map[string]string{
		"../../etc/passwd":              "passwd",
		`C:\Users\张三\Desktop\情况说明.docx`: "情况说明.docx",
		"a/b/现场照片.jpg":                  "现场照片.jpg",
		"..":                            "未命名文件",
		"normal name.pdf":               "normal name.pdf",
		"bad\x00name\r\n.txt":           "badname .txt",
	}
	for in, want := range cases {
		if got := DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}
