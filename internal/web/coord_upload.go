package web

// This file is the coordination platform's one seam for uploads. It stands in for the shared
// upload package until that lands; swapping it means rewriting receiveUploads and nothing else.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
)

// Upload limits of coordination forms.
const (
	maxUploadFiles     = 10
	maxUploadFileBytes = 20 << 20
	// maxUploadBody bounds a whole multipart request: every file plus the text fields.
	maxUploadBody = maxUploadFiles*maxUploadFileBytes + 1<<20
	// uploadMemory is how much of a multipart form is kept in memory; the rest spills to disk.
	uploadMemory = 8 << 20
)

// uploadType is one accepted kind of file: its extensions, the type stored and served, and the
// check that the bytes really are of that kind.
type uploadType struct {
	contentType string
	matches     func(head []byte) bool
}

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // Word, Excel, PowerPoint 97–2003 and WPS
	zipMagic = []byte("PK\x03\x04")                                   // Office Open XML and OFD are ZIP packages
)

func sniffed(types ...string) func([]byte) bool {
	return func(head []byte) bool {
		got := http.DetectContentType(head)
		for _, t := range types {
			if strings.HasPrefix(got, t) {
				return true
			}
		}
		return false
	}
}

func magic(prefix []byte) func([]byte) bool {
	return func(head []byte) bool { return bytes.HasPrefix(head, prefix) }
}

// uploadTypes is the allowlist, by lower-case extension. Anything else is rejected, whatever
// the browser claims.
var uploadTypes = map[string]uploadType{
	".jpg":  {"image/jpeg", sniffed("image/jpeg")},
	".jpeg": {"image/jpeg", sniffed("image/jpeg")},
	".png":  {"image/png", sniffed("image/png")},
	".gif":  {"image/gif", sniffed("image/gif")},
	".webp": {"image/webp", sniffed("image/webp")},
	".pdf":  {"application/pdf", sniffed("application/pdf")},
	".txt":  {"text/plain; charset=utf-8", sniffed("text/plain")},
	".doc":  {"application/msword", magic(oleMagic)},
	".xls":  {"application/vnd.ms-excel", magic(oleMagic)},
	".ppt":  {"application/vnd.ms-powerpoint", magic(oleMagic)},
	".wps":  {"application/vnd.ms-works", magic(oleMagic)},
	".et":   {"application/vnd.ms-excel", magic(oleMagic)},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", magic(zipMagic)},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic(zipMagic)},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", magic(zipMagic)},
	".ofd":  {"application/ofd", magic(zipMagic)},
}

// uploadAccept is the accept attribute of the file inputs, matching the allowlist.
const uploadAccept = ".jpg,.jpeg,.png,.gif,.webp,.pdf,.txt,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.ofd"

// parseUploadForm bounds the request body and parses a multipart form. A body over the limit
// is a KindInvalid error with a Chinese message.
func parseUploadForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	err := r.ParseMultipartForm(uploadMemory)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return uploadInvalid("上传内容过大：每个文件不超过 20 MB，每次最多 10 个文件。")
	case errors.Is(err, http.ErrNotMultipart):
		// A form without a file input arrives urlencoded; that is fine.
		return r.ParseForm()
	case err != nil:
		return uploadInvalid("上传未完成，请重新选择文件后再提交。")
	}
	return nil
}

func uploadInvalid(msg string) error {
	return &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: map[string]string{"files": msg}}
}

// receivedUploads are files received with a form and already written to storage. The caller
// passes Records to the store, which inserts them in the transaction of the record that owns
// them. When that transaction fails, Discard removes the bytes.
type receivedUploads struct {
	Records []store.FileRecord
	storage files.Storage
}

// Discard removes the stored bytes of uploads whose records were not saved.
func (u *receivedUploads) Discard(ctx context.Context) {
	for _, f := range u.Records {
		u.storage.Delete(context.WithoutCancel(ctx), f.StorageKey)
	}
}

// receiveUploads checks the files of a form field against the allowlist by extension and by
// content, and writes the accepted ones to storage. It stores nothing when any file is
// rejected. Call parseUploadForm first.
// NOTE: unlike internal/upload, this does not decode images under a pixel limit or re-encode
// them (so EXIF location data is kept); moving to internal/upload fixes that.
func (s *Server) receiveUploads(r *http.Request, field string, actor domain.Actor) (*receivedUploads, error) {
	u := &receivedUploads{storage: s.files}
	if r.MultipartForm == nil {
		return u, nil
	}
	var headers []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Filename != "" || fh.Size > 0 {
			headers = append(headers, fh)
		}
	}
	if len(headers) > maxUploadFiles {
		return nil, uploadInvalid("每次最多上传 " + strconv.Itoa(maxUploadFiles) + " 个文件。")
	}
	type checked struct {
		name, contentType string
		data              []byte
	}
	var ok []checked
	for _, fh := range headers {
		name := uploadName(fh.Filename)
		ext := strings.ToLower(path.Ext(name))
		t, allowed := uploadTypes[ext]
		if !allowed {
			return nil, uploadInvalid("“" + name + "”的文件类型不允许上传。可上传图片、PDF、文本和 Word、Excel、PowerPoint、WPS、OFD 文档。")
		}
		if fh.Size == 0 {
			return nil, uploadInvalid("“" + name + "”是空文件。")
		}
		if fh.Size > maxUploadFileBytes {
			return nil, uploadInvalid("“" + name + "”超过 20 MB。")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxUploadFileBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		if !t.matches(data[:min(len(data), 512)]) {
			return nil, uploadInvalid("“" + name + "”的内容与扩展名不符，请检查文件后重新上传。")
		}
		ok = append(ok, checked{name: name, contentType: t.contentType, data: data})
	}
	for _, c := range ok {
		sum := sha256.Sum256(c.data)
		key := files.NewKey(strings.ToLower(path.Ext(c.name)))
		if err := s.files.Put(r.Context(), key, c.data); err != nil {
			u.Discard(r.Context())
			return nil, err
		}
		u.Records = append(u.Records, store.FileRecord{TownID: actor.TownID, StorageKey: key, OriginalName: c.name,
			ContentType: c.contentType, Size: int64(len(c.data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: actor.AccountID})
	}
	return u, nil
}

// uploadName keeps the base name of an uploaded file without control characters, at most 100
// characters with its extension kept.
func uploadName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = domain.CleanLine(path.Base(name))
	if name == "." || name == "/" || name == "" {
		name = "附件"
	}
	if domain.CharCount(name) > domain.MaxAttachmentName {
		ext := path.Ext(name)
		if domain.CharCount(ext) > 10 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = string(r[:domain.MaxAttachmentName-domain.CharCount(ext)]) + ext
	}
	return name
}

// coordAttachment sends an attachment of a coordination record, after the store checked that the
// actor may see the record that owns it. Pictures show in the page; other files download with
// their Chinese names.
func (s *Server) coordAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.db.CoordFile(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	rc, err := s.files.Open(r.Context(), f.StorageKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Cache-Control", "private, no-store")
	if strings.HasPrefix(f.ContentType, "image/") && r.URL.Query().Get("download") == "" {
		w.Header().Set("Content-Disposition", "inline")
	} else {
		setAttachment(w, f.OriginalName)
	}
	_, err = io.Copy(w, rc)
	return err
}
