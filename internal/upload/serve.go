package upload

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
)

// Serving sets how Serve sends a file.
type Serving struct {
	// Inline shows images and PDFs in the browser; other files always download.
	Inline bool
	// CacheControl is the Cache-Control header; empty means "private, no-store", for files that
	// only signed-in people or the uploader may open.
	CacheControl string
}

// Serve writes a stored file under its original name, in the Content-Disposition header.
// A HEAD request gets the headers only. Callers check first that the actor may see the file.
// Missing bytes are a not-found error.
func Serve(w http.ResponseWriter, r *http.Request, fs files.Storage, rec store.FileRecord, serving Serving) error {
	rc, err := fs.Open(r.Context(), rec.StorageKey)
	if err != nil {
		return domain.NotFound("文件不存在或已被删除。")
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("Content-Length", strconv.FormatInt(rec.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	cacheControl := serving.CacheControl
	if cacheControl == "" {
		cacheControl = "private, no-store"
	}
	h.Set("Cache-Control", cacheControl)
	disposition := "attachment"
	if serving.Inline && (strings.HasPrefix(rec.ContentType, "image/") || rec.ContentType == "application/pdf") {
		disposition = "inline"
	}
	h.Set("Content-Disposition", ContentDisposition(disposition, rec.OriginalName))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = io.Copy(w, rc)
	return err
}

// ContentDisposition returns a Content-Disposition header value ("attachment" or "inline")
// that names the file: an ASCII fallback for old clients and the UTF-8 name (RFC 6266).
func ContentDisposition(disposition, name string) string {
	return disposition + `; filename="` + asciiFallback(name) + `"; filename*=UTF-8''` + url.PathEscape(name)
}

func asciiFallback(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}
