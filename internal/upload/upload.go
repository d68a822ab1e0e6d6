package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/webp"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
)

// Kind is a set of accepted file families.
type Kind int

const (
	Images    Kind = 1 << iota // JPEG, PNG, GIF, WebP (WebP is converted)
	Documents                  // PDF, OFD, Word, Excel, PowerPoint, WPS, plain text
)

// Rules limit one upload field.
type Rules struct {
	Accept    Kind
	MaxBytes  int64 // per file
	MaxFiles  int
	MaxPixels int // width × height of an image, checked before it is decoded
}

// Photos are the rules for photos attached by citizens and staff.
var Photos = Rules{Accept: Images, MaxBytes: 10 << 20, MaxFiles: 6, MaxPixels: 40_000_000}

// Attachments are the rules for documents and photos attached to notices, reports and articles.
var Attachments = Rules{Accept: Images | Documents, MaxBytes: 20 << 20, MaxFiles: 10, MaxPixels: 40_000_000}

// Service stores validated uploads. It is safe for concurrent use.
type Service struct {
	DB    *store.DB
	Files files.Storage
}

func invalid(field, msg string) error {
	return &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// DisplayName keeps only the last element of a path a browser sent (some send C:\Users\…\a.doc)
// and drops control characters, so the name is safe to show and to offer on download.
func DisplayName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = domain.CleanLine(name)
	name = strings.Trim(name, ". ")
	if name == "" {
		name = "未命名文件"
	}
	if utf8.RuneCountInString(name) > 100 {
		r := []rune(name)
		name = string(r[len(r)-100:])
	}
	return name
}

// Prepared is a validated file ready to store: images are already re-encoded.
type Prepared struct {
	Name   string
	Type   Type
	Data   []byte
	Width  int
	Height int
}

// Prepare validates one file's content against rules and returns what to store. Errors are
// KindInvalid with a Chinese message naming the file; field names the form field.
func Prepare(field, name string, data []byte, rules Rules) (Prepared, error) {
	name = DisplayName(name)
	if int64(len(data)) > rules.MaxBytes {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”超过 %s 的上限。", name, sizeLabel(rules.MaxBytes)))
	}
	if len(data) == 0 {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”是空的。", name))
	}
	d := detect(name, data)
	if d.heic {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”是 HEIC 格式（苹果手机默认照片格式），暂不支持。请在手机“设置 → 相机 → 格式”中选择“兼容性最佳”，或把照片转为 JPG 后再上传。", name))
	}
	if !d.ok {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”的格式不在允许范围内，或文件内容与扩展名不符。%s", name, acceptLabel(rules.Accept)))
	}
	if d.t.Image && rules.Accept&Images == 0 || !d.t.Image && rules.Accept&Documents == 0 {
		return Prepared{}, invalid(field, fmt.Sprintf("这里不能上传%s“%s”。%s", d.t.Label, name, acceptLabel(rules.Accept)))
	}
	p := Prepared{Name: name, Type: d.t, Data: data}
	if d.t.Image {
		if err := reencode(&p, rules.MaxPixels); err != nil {
			return Prepared{}, invalid(field, fmt.Sprintf("图片“%s”：%s", name, err.Error()))
		}
	}
	if !strings.EqualFold(extOf(p.Name), p.Type.Ext) && !(p.Type == typeJPEG && strings.EqualFold(extOf(p.Name), ".jpeg")) {
		p.Name = strings.TrimSuffix(p.Name, extOf(p.Name)) + p.Type.Ext
	}
	return p, nil
}

func extOf(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i:]
	}
	return ""
}

// reencode decodes an image under the pixel limit, turns it upright and encodes it again:
// JPEG stays JPEG, PNG and GIF become PNG, WebP becomes JPEG (or PNG when it has transparency).
func reencode(p *Prepared, maxPixels int) error {
	var cfg image.Config
	var err error
	switch p.Type {
	case typeWebP:
		cfg, err = webp.DecodeConfig(bytes.NewReader(p.Data))
	default:
		cfg, _, err = image.DecodeConfig(bytes.NewReader(p.Data))
	}
	if err != nil {
		return errors.New("无法识别图片内容，文件可能已损坏。")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels || cfg.Width > 30000 || cfg.Height > 30000 {
		return fmt.Errorf("尺寸 %d×%d 过大，最多 %d 万像素。", cfg.Width, cfg.Height, maxPixels/10000)
	}
	var img image.Image
	switch p.Type {
	case typeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(p.Data))
	case typePNG:
		img, err = png.Decode(bytes.NewReader(p.Data))
	case typeGIF:
		img, err = gif.Decode(bytes.NewReader(p.Data))
	case typeWebP:
		img, err = webp.Decode(bytes.NewReader(p.Data))
	}
	if err != nil {
		return errors.New("无法读取图片内容，文件可能已损坏。")
	}
	if p.Type == typeJPEG {
		img = orient(img, jpegOrientation(p.Data))
	}
	var buf bytes.Buffer
	if p.Type == typeJPEG || (p.Type == typeWebP && opaque(img)) {
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Over)
		err = jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: 88})
		p.Type = typeJPEG
	} else {
		err = png.Encode(&buf, img)
		p.Type = typePNG
	}
	if err != nil {
		return errors.New("图片处理失败。")
	}
	p.Data = buf.Bytes()
	p.Width, p.Height = img.Bounds().Dx(), img.Bounds().Dy()
	return nil
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func sizeLabel(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n>>10, 10) + " KB"
}

func acceptLabel(k Kind) string {
	switch k {
	case Images:
		return "请上传 JPG、PNG、GIF 或 WebP 格式的照片。"
	case Documents:
		return "可上传 PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、WPS（wps/et）、PowerPoint（pptx）或文本文件。"
	default:
		return "可上传照片（JPG、PNG、GIF、WebP）和 PDF、OFD、Word、Excel、WPS、PowerPoint、文本文件。"
	}
}

// Store saves a prepared file's bytes and records its metadata for the actor's town.
func (s *Service) Store(ctx context.Context, actor domain.Actor, p Prepared) (store.FileRecord, error) {
	key := files.NewKey(p.Type.Ext)
	if err := s.Files.Put(ctx, key, p.Data); err != nil {
		return store.FileRecord{}, fmt.Errorf("store upload: %w", err)
	}
	sum := sha256.Sum256(p.Data)
	rec := store.FileRecord{TownID: actor.TownID, StorageKey: key, OriginalName: p.Name, ContentType: p.Type.ContentType,
		Size: int64(len(p.Data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: actor.AccountID}
	id, err := s.DB.InsertFile(ctx, nil, rec)
	if err != nil {
		s.Files.Delete(context.WithoutCancel(ctx), key)
		return store.FileRecord{}, fmt.Errorf("record upload: %w", err)
	}
	rec.ID = id
	return rec, nil
}

// LimitRequest rejects a request whose declared size exceeds what rules allow for the field,
// before any of the body is read, and caps the body at that size for the rest of the handler.
// Call it first in a handler that takes uploads; extra covers the other form fields.
func LimitRequest(w http.ResponseWriter, r *http.Request, rules Rules, extra int64) error {
	limit := rules.MaxBytes*int64(max(rules.MaxFiles, 1)) + extra
	if r.ContentLength > limit {
		return &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("上传的内容超过 %s 的上限。", sizeLabel(limit))}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	// Parts larger than 1 MB go to temporary files, which ParseMultipartForm removes later.
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("上传的内容超过 %s 的上限。", sizeLabel(limit))}
		}
		return &domain.Error{Kind: domain.KindInvalid, Message: "上传未完成，请重新选择文件后提交。", Err: err}
	}
	return nil
}

// PrepareField validates every file of a multipart field of a request that LimitRequest parsed.
// Nothing is stored, so a form that fails validation elsewhere leaves no file behind.
func PrepareField(r *http.Request, field string, rules Rules) ([]Prepared, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	headers := r.MultipartForm.File[field]
	var nonEmpty []*multipart.FileHeader
	for _, h := range headers {
		if h.Size > 0 || h.Filename != "" {
			nonEmpty = append(nonEmpty, h)
		}
	}
	if len(nonEmpty) > rules.MaxFiles {
		return nil, invalid(field, fmt.Sprintf("最多上传 %d 个文件。", rules.MaxFiles))
	}
	var out []Prepared
	for _, h := range nonEmpty {
		if h.Size > rules.MaxBytes {
			return nil, invalid(field, fmt.Sprintf("文件“%s”超过 %s 的上限。", DisplayName(h.Filename), sizeLabel(rules.MaxBytes)))
		}
		f, err := h.Open()
		if err != nil {
			return nil, invalid(field, "无法读取上传的文件，请重新选择。")
		}
		data, err := io.ReadAll(io.LimitReader(f, rules.MaxBytes+1))
		f.Close()
		if err != nil {
			return nil, invalid(field, "无法读取上传的文件，请重新选择。")
		}
		p, err := Prepare(field, h.Filename, data, rules)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Serve writes a stored file. Images and PDFs open in the browser when inline is true; other
// files download under their original name. Callers check first that the actor may see it.
func Serve(ctx context.Context, w http.ResponseWriter, fs files.Storage, rec store.FileRecord, inline bool) error {
	rc, err := fs.Open(ctx, rec.StorageKey)
	if err != nil {
		return domain.NotFound("文件不存在或已被删除。")
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("Content-Length", strconv.FormatInt(rec.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	disposition := "attachment"
	if inline && (strings.HasPrefix(rec.ContentType, "image/") || rec.ContentType == "application/pdf") {
		disposition = "inline"
	}
	h.Set("Content-Disposition", disposition+`; filename="`+asciiFallback(rec.OriginalName)+`"; filename*=UTF-8''`+url.PathEscape(rec.OriginalName))
	_, err = io.Copy(w, rc)
	return err
}

func asciiFallback(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}
