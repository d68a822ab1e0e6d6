package upload

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"pingan/internal/domain"
	"pingan/internal/upload/uploadtest"
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

func TestPrepareRotatesByExif(t *testing.T) {
	data := uploadtest.OrientedJPEG(40, 20, 6)
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
	gigapixel := uploadtest.PNGHeader(100000, 100000)
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
		{"executable", "a.exe", []byte("MZ\x90\x00"), CoordAttachments, "文件类型不允许上传"},
		{"web page named pdf", "a.pdf", []byte("<html>"), CoordAttachments, "内容与扩展名不符"},
		{"pdf named as a photo", "现场.jpg", []byte("%PDF-1.7\n"), CoordAttachments, "PDF 文档，与扩展名不符"},
		{"pdf named as a word file", "方案.docx", []byte("%PDF-1.7\n"), Attachments, "与扩展名不符"},
		{"broken docx", "a.docx", []byte("PK\x03\x04 not an archive"), CoordAttachments, "内容与扩展名不符"},
		{"gif as article attachment", "a.gif", []byte("GIF89a"), ArticleAttachments, "不能上传GIF 图片"},
		{"zip where cases take files", "a.zip", uploadtest.Zip("a.txt"), Attachments, "不能上传ZIP 压缩包"},
		{"gigapixel article image", "big.png", uploadtest.PNGHeader(20000, 20000), ArticleImages, "过大"},
		{"gigapixel coordination photo", "big.png", uploadtest.PNGHeader(20000, 20000), CoordAttachments, "过大"},
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

func TestPrepareAcceptsOfficeFormats(t *testing.T) {
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}
	cases := []struct {
		file string
		data []byte
		want string
	}{
		{"通知.docx", uploadtest.Zip("[Content_Types].xml", "word/document.xml"), ".docx"},
		{"月报.xlsx", uploadtest.Zip("[Content_Types].xml", "xl/workbook.xml"), ".xlsx"},
		{"文件.ofd", uploadtest.Zip("OFD.xml", "Doc_0/Document.xml"), ".ofd"},
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

func TestPrepareAcceptsPlatformFormats(t *testing.T) {
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}
	cases := []struct {
		file  string
		data  []byte
		rules Rules
		want  string
	}{
		{"汇报.ppt", ole, CoordAttachments, "application/vnd.ms-powerpoint"},
		{"汇报.ppt", ole, ArticleAttachments, "application/vnd.ms-powerpoint"},
		{"材料汇编.zip", uploadtest.Zip("一.pdf", "二.docx"), ArticleAttachments, "application/zip"},
		{"说明.txt", []byte("通知正文\r\n"), CoordAttachments, "text/plain; charset=utf-8"},
		{"旧说明.txt", []byte{0xcd, 0xa8, 0xd6, 0xaa, 0xcb, 0xb5, 0xc3, 0xf7, 0x0d, 0x0a}, ArticleAttachments, "text/plain"}, // 通知说明 in GB 18030
		{"排查表.docx", uploadtest.DOCX(), CoordAttachments, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"封面.jpeg", uploadtest.OrientedJPEG(8, 8, 1), ArticleImages, "image/jpeg"},
	}
	for _, c := range cases {
		p, err := Prepare("f", c.file, c.data, c.rules)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if p.Type.ContentType != c.want {
			t.Errorf("%s: content type %q, want %q", c.file, p.Type.ContentType, c.want)
		}
		if p.Name != c.file {
			t.Errorf("%s: stored name %q, want the original name", c.file, p.Name)
		}
	}
	png, err := Prepare("f", "截图.jpg", pngBytes(t, 4, 4), Photos)
	if err != nil || png.Name != "截图.png" {
		t.Errorf("PNG named .jpg: name %q, error %v, want it stored as 截图.png", png.Name, err)
	}
	if _, err := Prepare("f", "汇报.ppt", ole, Attachments); err == nil {
		t.Error("case attachments accept PowerPoint 97–2003, which only coordination and the portal allow")
	}
}

func TestAcceptAttrListsAllowlist(t *testing.T) {
	got := CoordAttachments.AcceptAttr()
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".ofd"} {
		if !strings.Contains(got+",", ext+",") {
			t.Errorf("accept attribute %q lacks %s", got, ext)
		}
	}
	if strings.Contains(got, ".zip") {
		t.Errorf("accept attribute %q offers .zip, which coordination does not take", got)
	}
}

func TestAcceptLabelNamesFormats(t *testing.T) {
	cases := map[string]struct {
		rules Rules
		want  string
	}{
		"photos":              {Photos, "请上传 JPG、PNG、GIF、WebP 格式的图片。"},
		"article attachments": {ArticleAttachments, "可上传图片（PNG、JPG）和 PDF、Word、Excel、PowerPoint、WPS、OFD、ZIP、TXT 文件。"},
	}
	for name, c := range cases {
		if got := c.rules.acceptLabel(); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
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
