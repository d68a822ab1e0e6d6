package web

// This file is the one place where the portal accepts uploaded files, and it is a stopgap. The
// shared upload package will check the size before reading, detect the type by content, decode
// images with a pixel limit, apply the EXIF orientation and re-encode. When it lands,
// storeUpload and serveStoredFile become calls to it, and nothing else in the portal changes.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
)

// uploadKind is the kind of file an upload must be.
type uploadKind int

const (
	uploadImage      uploadKind = iota // a picture in an article body or its cover
	uploadAttachment                   // a document attached to an article
)

// Size limits of one uploaded file.
const (
	maxImageBytes      = 10 << 20
	maxAttachmentBytes = 20 << 20
	// maxUploadRequest bounds a whole article form with its cover and attachments.
	maxUploadRequest = 64 << 20
)

// imageTypes are the sniffed types accepted as images, with the extension stored.
var imageTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

// attachmentTypes maps an allowed extension to the sniffed types its content may have and the
// type the download is served with. Office files are ZIP (docx, xlsx, pptx) or OLE2 (doc, xls,
// ppt, wps, et) containers, which http.DetectContentType reports as application/zip and
// application/octet-stream.
var attachmentTypes = map[string]struct {
	sniffed []string
	serve   string
}{
	".pdf":  {[]string{"application/pdf"}, "application/pdf"},
	".docx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".pptx": {[]string{"application/zip"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	".doc":  {[]string{"application/octet-stream"}, "application/msword"},
	".xls":  {[]string{"application/octet-stream"}, "application/vnd.ms-excel"},
	".ppt":  {[]string{"application/octet-stream"}, "application/vnd.ms-powerpoint"},
	".wps":  {[]string{"application/octet-stream"}, "application/vnd.ms-works"},
	".et":   {[]string{"application/octet-stream"}, "application/vnd.ms-excel"},
	".ofd":  {[]string{"application/zip"}, "application/ofd"},
	".zip":  {[]string{"application/zip"}, "application/zip"},
	".txt":  {[]string{"text/plain; charset=utf-8"}, "text/plain; charset=utf-8"},
	".png":  {[]string{"image/png"}, "image/png"},
	".jpg":  {[]string{"image/jpeg"}, "image/jpeg"},
	".jpeg": {[]string{"image/jpeg"}, "image/jpeg"},
}

// ole2Magic starts every OLE2 compound document (the old Office and WPS formats).
var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// storeUpload checks one uploaded file against its kind's size limit and type allowlist, stores
// its bytes and records it, audited. The size in the multipart header is checked before the
// body is read. Errors are KindInvalid with a Chinese message.
// NOTE: unlike internal/upload, this does not decode images under a pixel limit, turn them
// upright or re-encode them (so EXIF location data is kept); moving to internal/upload fixes that.
func (s *Server) storeUpload(ctx context.Context, actor domain.Actor, fh *multipart.FileHeader, kind uploadKind) (store.FileRecord, error) {
	limit := int64(maxImageBytes)
	if kind == uploadAttachment {
		limit = maxAttachmentBytes
	}
	name := portalUploadName(fh.Filename)
	if fh.Size > limit {
		return store.FileRecord{}, domain.Invalid("“" + name + "”超过 " + sizeText(limit) + "，请压缩后再上传。")
	}
	f, err := fh.Open()
	if err != nil {
		return store.FileRecord{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return store.FileRecord{}, err
	}
	if int64(len(data)) > limit {
		return store.FileRecord{}, domain.Invalid("“" + name + "”超过 " + sizeText(limit) + "，请压缩后再上传。")
	}
	return s.storeUploadBytes(ctx, actor, name, data, kind)
}

func (s *Server) storeUploadBytes(ctx context.Context, actor domain.Actor, name string, data []byte, kind uploadKind) (store.FileRecord, error) {
	if len(data) == 0 {
		return store.FileRecord{}, domain.Invalid("“" + name + "”是空文件。")
	}
	sniffed := http.DetectContentType(data)
	ext := strings.ToLower(path.Ext(name))
	var contentType, storeExt string
	switch kind {
	case uploadImage:
		e, ok := imageTypes[sniffed]
		if !ok {
			return store.FileRecord{}, domain.Invalid("“" + name + "”不是 PNG、JPEG、GIF 或 WebP 图片。")
		}
		contentType, storeExt = sniffed, e
	case uploadAttachment:
		t, ok := attachmentTypes[ext]
		matches := ok && containsString(t.sniffed, sniffed)
		if ok && sniffed == "application/octet-stream" && !bytes.HasPrefix(data, ole2Magic) {
			matches = false
		}
		if !matches {
			return store.FileRecord{}, domain.Invalid("“" + name + "”的类型不允许作为附件。可上传 PDF、Word、Excel、PowerPoint、WPS、OFD、ZIP、TXT 和图片。")
		}
		contentType, storeExt = t.serve, ext
	}
	key := files.NewKey(storeExt)
	if err := s.files.Put(ctx, key, data); err != nil {
		return store.FileRecord{}, err
	}
	sum := sha256.Sum256(data)
	rec := store.FileRecord{TownID: actor.TownID, StorageKey: key, OriginalName: name, ContentType: contentType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: actor.AccountID}
	id, err := s.db.InsertFile(ctx, nil, rec)
	if err != nil {
		s.files.Delete(context.WithoutCancel(ctx), key)
		return store.FileRecord{}, err
	}
	rec.ID = id
	if err := s.db.AppendAudit(ctx, store.AuditFor(actor, "file.upload", "file", id, domain.OutcomeSuccess, name)); err != nil {
		return store.FileRecord{}, err
	}
	return rec, nil
}

// portalUploadName keeps the base name of an uploaded file, without control characters, at most 100
// characters, so that the download arrives with the name it was uploaded with.
func portalUploadName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = domain.CleanLine(path.Base(name))
	if name == "" || name == "." || name == "/" {
		name = "未命名文件"
	}
	if domain.CharCount(name) > 100 {
		ext := path.Ext(name)
		if domain.CharCount(ext) > 10 {
			ext = ""
		}
		name = string([]rune(name)[:100-domain.CharCount(ext)]) + ext
	}
	return name
}

func sizeText(n int64) string { return itoa64(n>>20) + " MB" }

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// serveStoredFile writes a stored file. Images show inline; anything else downloads with its
// original Chinese name.
func (s *Server) serveStoredFile(w http.ResponseWriter, r *http.Request, f store.FileRecord, inline bool) error {
	// Storage keys never change their bytes, so the file may be cached for long.
	return s.serveFileCached(w, r, f, inline, "public, max-age=2592000, immutable")
}

// servePrivateFile serves a file that only signed-in staff may open, so that no shared cache
// keeps it.
func (s *Server) servePrivateFile(w http.ResponseWriter, r *http.Request, f store.FileRecord) error {
	return s.serveFileCached(w, r, f, false, "private, no-store")
}

func (s *Server) serveFileCached(w http.ResponseWriter, r *http.Request, f store.FileRecord, inline bool, cacheControl string) error {
	rc, err := s.files.Open(r.Context(), f.StorageKey)
	if err != nil {
		return domain.NotFound("文件不存在。")
	}
	defer rc.Close()
	if !inline || !strings.HasPrefix(f.ContentType, "image/") {
		setAttachment(w, f.OriginalName)
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", cacheControl)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = io.Copy(w, rc)
	return err
}

// uploadResponse is the JSON response to the editor's image uploads.
type uploadResponse struct {
	ID    int64  `json:"id,omitempty"`
	URL   string `json:"url,omitempty"`
	Name  string `json:"name,omitempty"`
	Error string `json:"error,omitempty"`
}

// editorUpload stores one image (field "file") posted by the rich-text editor and responds with JSON.
func (s *Server) editorUpload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImageBytes+1<<20)
	reply := func(status int, v uploadResponse) error {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(v)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return reply(http.StatusRequestEntityTooLarge, uploadResponse{Error: "图片超过 " + sizeText(maxImageBytes) + "，请压缩后再上传。"})
		}
		return reply(http.StatusBadRequest, uploadResponse{Error: "没有收到图片，请重新选择。"})
	}
	defer r.MultipartForm.RemoveAll()
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return reply(http.StatusBadRequest, uploadResponse{Error: "请一次上传一张图片。"})
	}
	rec, err := s.storeUpload(r.Context(), s.actor(r), fhs[0], uploadImage)
	if domain.ErrorKind(err) == domain.KindInvalid {
		return reply(http.StatusUnprocessableEntity, uploadResponse{Error: domain.UserMessage(err)})
	}
	if err != nil {
		return err
	}
	return reply(http.StatusOK, uploadResponse{ID: rec.ID, URL: store.MediaURL(rec.StorageKey), Name: rec.OriginalName})
}
