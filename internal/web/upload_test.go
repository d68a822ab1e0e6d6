package web

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pingan/internal/domain"
	"pingan/internal/upload/uploadtest"
)

// These tests send files through the real HTTP server to the news portal and the coordination
// platform, which both validate uploads with internal/upload.

// pixelBomb is a PNG that declares 20000×20000 pixels, ten times the pixel limit, in a few
// dozen bytes.
var pixelBomb = uploadtest.PNGHeader(20000, 20000)

// countRows counts the rows of table.
func (h *coordHarness) countRows(table string) int {
	h.t.Helper()
	var n int
	if err := h.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// articleColumn creates a list column for the editor's articles and returns its id.
func (h *coordHarness) articleColumn() int64 {
	h.t.Helper()
	id, err := h.db.CreateColumn(context.Background(), h.actor("editor"),
		domain.Column{Name: "工作动态", Slug: "work-news", Kind: domain.ColumnList, Visible: true})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// articleForm returns the fields of a valid article in column.
func articleForm(column int64) url.Values {
	return url.Values{"column_id": {strconv.FormatInt(column, 10)}, "title": {"越丰村完成汛前隐患排查"},
		"source_kind": {string(domain.SourceOriginal)}, "body": {"<p>越丰村完成了汛前隐患排查。</p>"}}
}

// editorUpload posts one image to the rich-text editor's upload endpoint.
func (c *coordClient) editorUpload(name string, data []byte) (coordResponse, uploadResponse) {
	c.h.t.Helper()
	res := c.postMultipart("/admin/articles/uploads", nil, coordUpload{"file", name, data})
	var body uploadResponse
	if err := json.Unmarshal([]byte(res.body), &body); err != nil {
		c.h.t.Fatalf("editor upload response %q: %v", res.body, err)
	}
	return res, body
}

// checkUpright decodes a served JPEG made from uploadtest.OrientedJPEG(40, 20, 6) and checks
// that it was turned upright: 20×40, the red corner now top-right, no Exif segment left.
func checkUpright(t *testing.T, res coordResponse) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("download: status %d", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != "image/jpeg" {
		t.Errorf("Content-Type %q, want image/jpeg", ct)
	}
	img, err := jpeg.Decode(strings.NewReader(res.body))
	if err != nil {
		t.Fatalf("stored image is not a JPEG: %v", err)
	}
	if got := img.Bounds().Size(); got != (image.Point{20, 40}) {
		t.Errorf("stored size %v, want 20×40 after turning upright", got)
	}
	r, _, b, _ := img.At(18, 1).RGBA()
	if r < b {
		t.Errorf("top-right pixel is not red: r=%d b=%d", r, b)
	}
	if strings.Contains(res.body, "Exif\x00\x00") {
		t.Error("stored JPEG still carries its Exif segment")
	}
}

// checkNamedDownload checks that a download carries the original file name and the uploaded
// bytes.
func checkNamedDownload(t *testing.T, res coordResponse, name string, data []byte) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("download %s: status %d", name, res.status)
	}
	cd := res.header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(name)) {
		t.Errorf("Content-Disposition %q, want an attachment named %s", cd, name)
	}
	if !bytes.Equal([]byte(res.body), data) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(res.body), len(data))
	}
}

func TestPortalUploadRejectsPixelBomb(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		editor := h.signIn("editor")
		column := h.articleColumn()

		res, body := editor.editorUpload("大图.png", pixelBomb)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(body.Error, "过大") {
			t.Errorf("editor image upload: status %d, error %q, want 422 with 过大", res.status, body.Error)
		}
		res, body = editor.editorUpload("照片.png", []byte("这不是图片，只是改了扩展名的文字。"))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(body.Error, "内容与扩展名不符") {
			t.Errorf("text named .png: status %d, error %q, want 422 with 内容与扩展名不符", res.status, body.Error)
		}

		res = editor.postMultipart("/admin/articles", articleForm(column), coordUpload{"cover", "封面.png", pixelBomb})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "过大") {
			t.Errorf("article with a bomb cover: status %d, want 422 with 过大", res.status)
		}
		res = editor.postMultipart("/admin/articles", articleForm(column), coordUpload{"attachments", "示意图.png", pixelBomb})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "过大") {
			t.Errorf("article with a bomb attachment: status %d, want 422 with 过大", res.status)
		}

		if n := h.countRows("files"); n != 0 {
			t.Errorf("%d files stored after rejected uploads, want 0", n)
		}
		if n := h.countRows("articles"); n != 0 {
			t.Errorf("%d articles stored after rejected forms, want 0", n)
		}
	})
}

func TestPortalUploadTurnsJPEGUpright(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		editor := h.signIn("editor")
		res, body := editor.editorUpload("现场.jpg", uploadtest.OrientedJPEG(40, 20, 6))
		if res.status != http.StatusOK || body.URL == "" {
			t.Fatalf("editor image upload: status %d, error %q", res.status, body.Error)
		}
		checkUpright(t, editor.get(body.URL))

		column := h.articleColumn()
		res = editor.postMultipart("/admin/articles", articleForm(column), coordUpload{"cover", "封面.jpg", uploadtest.OrientedJPEG(40, 20, 6)})
		if res.status != http.StatusSeeOther {
			t.Fatalf("article with a cover: status %d: %s", res.status, between(res.body, `class="error-summary"`, "</p>"))
		}
		id, _ := strconv.ParseInt(regexp.MustCompile(`/admin/articles/(\d+)$`).FindStringSubmatch(res.location)[1], 10, 64)
		a, err := h.db.GetArticle(context.Background(), h.actor("editor"), id)
		if err != nil {
			t.Fatal(err)
		}
		cover, err := h.db.GetFile(context.Background(), h.town, a.CoverFileID)
		if err != nil {
			t.Fatal(err)
		}
		checkUpright(t, editor.get("/media/"+cover.StorageKey))
	})
}

func TestPortalAttachmentUploadKeepsName(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		editor := h.signIn("editor")
		column := h.articleColumn()
		docx := uploadtest.DOCX()
		res := editor.postMultipart("/admin/articles", articleForm(column), coordUpload{"attachments", "防汛工作方案.docx", docx})
		if res.status != http.StatusSeeOther {
			t.Fatalf("article with an attachment: status %d: %s", res.status, between(res.body, `class="error-summary"`, "</p>"))
		}
		id := regexp.MustCompile(`/admin/articles/(\d+)$`).FindStringSubmatch(res.location)[1]
		page := editor.get("/admin/articles/" + id)
		file := between(page.body, "/admin/articles/"+id+"/attachments/", `"`)
		if file == "" {
			t.Fatal("the article page does not link its attachment")
		}
		checkNamedDownload(t, editor.get("/admin/articles/"+id+"/attachments/"+file), "防汛工作方案.docx", docx)
	})
}

func TestCoordUploadRejectsPixelBomb(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		village := h.signIn("yuefeng")
		form := url.Values{"category": {"work_news"}, "title": {"越丰村开展防汛应急演练"}, "body": {"演练照片见附件。"}}
		res := village.postMultipart("/admin/my-info-reports", form, coordUpload{"files", "演练.png", pixelBomb})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "过大") {
			t.Errorf("information report with a bomb: status %d, want 422 with 过大", res.status)
		}
		res = village.postMultipart("/admin/my-info-reports", form, coordUpload{"files", "演练.jpg", []byte("%PDF-1.4 只是声称是照片")})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "与扩展名不符") {
			t.Errorf("PDF named .jpg: status %d, want 422 with 与扩展名不符", res.status)
		}
		center := h.signIn("coordinator")
		res = center.postMultipart("/admin/notices", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "kind_all": {"village"}},
			coordUpload{"files", "现场.png", pixelBomb})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "过大") {
			t.Errorf("notice with a bomb: status %d, want 422 with 过大", res.status)
		}

		if n := h.countRows("files"); n != 0 {
			t.Errorf("%d files stored after rejected uploads, want 0", n)
		}
		if n := h.countRows("info_reports") + h.countRows("notices"); n != 0 {
			t.Errorf("%d records stored after rejected forms, want 0", n)
		}
	})
}

func TestCoordUploadTurnsJPEGUpright(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		village := h.signIn("yuefeng")
		res := village.postMultipart("/admin/my-info-reports", url.Values{"category": {"work_news"}, "title": {"越丰村开展防汛应急演练"},
			"body": {"演练照片见附件。"}}, coordUpload{"files", "演练.jpg", uploadtest.OrientedJPEG(40, 20, 6)})
		if res.status != http.StatusSeeOther {
			t.Fatalf("information report: status %d: %s", res.status, between(res.body, `class="error-summary"`, "</p>"))
		}
		page := village.get(res.location)
		file := between(page.body, `<a href="/admin/attachments/`, `"`)
		if file == "" {
			t.Fatal("the report page does not link its photo")
		}
		checkUpright(t, village.get("/admin/attachments/"+strings.TrimSuffix(file, "?download=1")))
	})
}

func TestCoordAttachmentUploadKeepsName(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		center := h.signIn("coordinator")
		id := h.issueNotice(center, "关于开展汛期安全隐患排查的通知", false)
		receipts := center.get("/admin/notices/" + id)
		file := between(receipts.body, `/admin/attachments/`, `?download=1">排查表.docx`)
		if file == "" {
			t.Fatal("the notice page does not link its attachment")
		}
		checkNamedDownload(t, center.get("/admin/attachments/"+file+"?download=1"), "排查表.docx", uploadtest.DOCX())
		checkNamedDownload(t, h.signIn("yuefeng").get("/admin/attachments/"+file), "排查表.docx", uploadtest.DOCX())
	})
}
