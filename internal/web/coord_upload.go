package web

// This file is where the coordination platform serves attachments. Notices, notice feedback,
// information reports and work group messages take their files through internal/upload with
// the rules upload.CoordAttachments.

import (
	"net/http"

	"pingan/internal/upload"
)

// coordUploadExtra covers the text fields of a coordination form next to its files.
const coordUploadExtra = 1 << 20

// coordAccept is the accept attribute of the coordination forms' file inputs.
var coordAccept = upload.CoordAttachments.AcceptAttr()

// parseCoordForm bounds the request body by the coordination upload rules and parses the
// form, multipart or not. A body over the limit is a KindInvalid error with a Chinese message.
func parseCoordForm(w http.ResponseWriter, r *http.Request) error {
	return upload.LimitRequest(w, r, upload.CoordAttachments, coordUploadExtra)
}

// coordAttachment sends an attachment of a coordination record, after the store checked that the
// actor may see the record that owns it. Pictures show in the page unless ?download is set;
// other files download with their Chinese names.
func (s *Server) coordAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.db.CoordFile(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return upload.Serve(w, r, s.files, f, upload.Serving{Inline: r.URL.Query().Get("download") == ""})
}
