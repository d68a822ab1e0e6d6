package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFS embed.FS

var staticFiles = func() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}()

// static serves the embedded style sheets, scripts and images. Their names carry no hash, so
// they are cached for a day and revalidated.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	if strings.HasSuffix(r.URL.Path, "/") {
		return errNotFoundPage
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	staticFiles.ServeHTTP(w, r)
	return nil
}
