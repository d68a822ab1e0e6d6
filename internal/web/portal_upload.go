package web

// This file is where the news portal takes and serves uploaded files. Validation, re-encoding
// of images and storage are internal/upload's; the portal adds the audit record of each upload
// and the caching of published files.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

// maxArticleRequest bounds a whole article form with its cover and attachments.
const maxArticleRequest = 64 << 20

// storeArticleFiles stores validated files of an article form or of the editor, each with its
// audit record.
func (s *Server) storeArticleFiles(ctx context.Context, actor domain.Actor, prepared []upload.Prepared) ([]store.FileRecord, error) {
	var recs []store.FileRecord
	for _, p := range prepared {
		rec, err := s.uploads.Store(ctx, actor, p)
		if err != nil {
			return nil, err
		}
		if err := s.db.AppendAudit(ctx, store.AuditFor(actor, "file.upload", "file", rec.ID, domain.OutcomeSuccess, rec.OriginalName)); err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// serveStoredFile writes a file of the public site. Images show inline when inline is true;
// anything else downloads with its original Chinese name.
func (s *Server) serveStoredFile(w http.ResponseWriter, r *http.Request, f store.FileRecord, inline bool) error {
	// Storage keys never change their bytes, so the file may be cached for long.
	return upload.Serve(w, r, s.files, f, upload.Serving{Inline: inline, CacheControl: "public, max-age=2592000, immutable"})
}

// servePrivateFile serves a file that only signed-in staff may open, so that no shared cache
// keeps it.
func (s *Server) servePrivateFile(w http.ResponseWriter, r *http.Request, f store.FileRecord) error {
	return upload.Serve(w, r, s.files, f, upload.Serving{})
}

// uploadResponse is the JSON response to the editor's image uploads.
type uploadResponse struct {
	ID    int64  `json:"id,omitempty"`
	URL   string `json:"url,omitempty"`
	Name  string `json:"name,omitempty"`
	Error string `json:"error,omitempty"`
}

// editorUpload stores one image (field "file") posted by the rich-text editor and responds with
// JSON: 413 for a request over the size limit, 400 without exactly one file, 422 for a file
// that is not an accepted image.
func (s *Server) editorUpload(w http.ResponseWriter, r *http.Request) error {
	reply := func(status int, v uploadResponse) error {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(v)
	}
	if err := upload.LimitRequest(w, r, upload.ArticleImages, 1<<20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return reply(http.StatusRequestEntityTooLarge, uploadResponse{Error: domain.UserMessage(err)})
		}
		return reply(http.StatusBadRequest, uploadResponse{Error: "没有收到图片，请重新选择。"})
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) != 1 {
		return reply(http.StatusBadRequest, uploadResponse{Error: "请一次上传一张图片。"})
	}
	prepared, err := upload.PrepareField(r, "file", upload.ArticleImages)
	if domain.ErrorKind(err) == domain.KindInvalid {
		return reply(http.StatusUnprocessableEntity, uploadResponse{Error: domain.UserMessage(err)})
	}
	if err != nil {
		return err
	}
	recs, err := s.storeArticleFiles(r.Context(), s.actor(r), prepared)
	if err != nil {
		return err
	}
	rec := recs[0]
	return reply(http.StatusOK, uploadResponse{ID: rec.ID, URL: store.MediaURL(rec.StorageKey), Name: rec.OriginalName})
}
