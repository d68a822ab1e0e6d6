package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"pingan/internal/store"
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

type homePage struct {
	Page
	// Replies are the latest public replies of the message board.
	Replies []store.PublicReply
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	data := &homePage{Page: Page{Title: "首页"}}
	if town, err := s.db.FirstTown(r.Context()); err == nil {
		if data.Replies, err = s.db.LatestPublicReplies(r.Context(), town.ID, 8); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "home", data)
}
