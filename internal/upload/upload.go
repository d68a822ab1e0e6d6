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
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/webp"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
)

// Rules limit one upload field.
type Rules struct {
	Types     []Type // the allowlist, checked against the type detected from the content
	MaxBytes  int64  // per file
	MaxFiles  int
	MaxPixels int // width × height of an image, checked before it is decoded
}

var (
	imageTypes = []Type{typeJPEG, typePNG, typeGIF, typeWebP}
	// officeTypes are the document formats towns exchange. Text in GB 18030 counts as .txt.
	officeTypes = []Type{typePDF, typeOFD, typeDOCX, typeXLSX, typePPTX, typeDOC, typeXLS, typeWPS, typeET, typeTXT}
)

// knownTypes are all the types detect returns. A file named with one of their extensions must
// have content of that type, except that one image format may be named as another: the image
// is re-encoded anyway, and phones and browsers often name a PNG .jpg.
var knownTypes = join(imageTypes, officeTypes, []Type{typePPT, typeZIP})

func join(lists ...[]Type) []Type {
	var out []Type
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// The rules of each upload field of the three platforms. Every image is decoded under
// MaxPixels, turned upright and re-encoded, whichever rules accept it.
var (
	// Photos are photos attached to message-board posts by citizens (public-service platform).
	Photos = Rules{Types: imageTypes, MaxBytes: 10 << 20, MaxFiles: 6, MaxPixels: 40_000_000}
	// Attachments are documents and photos attached to case steps (public-service platform).
	Attachments = Rules{Types: join(imageTypes, officeTypes), MaxBytes: 20 << 20, MaxFiles: 10, MaxPixels: 40_000_000}
	// CoordAttachments are the files of notices, notice feedback, information reports and work
	// group messages (coordination platform): the case attachments and PowerPoint 97–2003.
	CoordAttachments = Rules{Types: join(imageTypes, officeTypes, []Type{typePPT}), MaxBytes: 20 << 20, MaxFiles: 10, MaxPixels: 40_000_000}
	// ArticleImages are an article's cover and the pictures of its body (news portal), one per
	// field or editor request.
	ArticleImages = Rules{Types: imageTypes, MaxBytes: 10 << 20, MaxFiles: 1, MaxPixels: 40_000_000}
	// ArticleAttachments are the files attached to an article or contribution (news portal).
	ArticleAttachments = Rules{Types: []Type{typePDF, typeDOCX, typeXLSX, typePPTX, typeDOC, typeXLS, typePPT, typeWPS, typeET,
		typeOFD, typeZIP, typeTXT, typePNG, typeJPEG}, MaxBytes: 20 << 20, MaxFiles: 20, MaxPixels: 40_000_000}
)

// typeOfName returns the known type whose extension a file name has (.jpeg counts as .jpg).
func typeOfName(name string) (Type, bool) {
	ext := strings.ToLower(extOf(name))
	if ext == ".jpeg" {
		ext = ".jpg"
	}
	for _, t := range knownTypes {
		if t.Ext == ext {
			return t, true
		}
	}
	return Type{}, false
}

// allows reports whether t is on the allowlist. Types are compared by extension, so the two
// text encodings count as one format.
func (r Rules) allows(t Type) bool {
	for _, a := range r.Types {
		if a.Ext == t.Ext {
			return true
		}
	}
	return false
}

// allowsName reports whether a file name's extension is one of an allowed type. It only
// chooses the message for content that matches no known type.
func (r Rules) allowsName(name string) bool {
	t, ok := typeOfName(name)
	return ok && r.allows(t)
}

// AcceptAttr returns the accept attribute of a file input for these rules, such as
// ".jpg,.jpeg,.png,.pdf".
func (r Rules) AcceptAttr() string {
	var exts []string
	for _, t := range r.Types {
		exts = append(exts, t.Ext)
		if t == typeJPEG {
			exts = append(exts, ".jpeg")
		}
	}
	return strings.Join(exts, ",")
}

// acceptLabel lists the accepted formats in a sentence for error messages.
func (r Rules) acceptLabel() string {
	var images, documents []string
	seen := map[string]bool{}
	for _, t := range r.Types {
		if seen[t.Family] {
			continue
		}
		seen[t.Family] = true
		if t.Image {
			images = append(images, t.Family)
		} else {
			documents = append(documents, t.Family)
		}
	}
	switch {
	case len(documents) == 0:
		return "请上传 " + strings.Join(images, "、") + " 格式的图片。"
	case len(images) == 0:
		return "可上传 " + strings.Join(documents, "、") + " 文件。"
	default:
		return "可上传图片（" + strings.Join(images, "、") + "）和 " + strings.Join(documents, "、") + " 文件。"
	}
}

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
	if !d.ok && rules.allowsName(name) {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”的格式不在允许范围内，或文件内容与扩展名不符。%s", name, rules.acceptLabel()))
	}
	if !d.ok {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”的格式不在允许范围内，此文件类型不允许上传。%s", name, rules.acceptLabel()))
	}
	if claimed, ok := typeOfName(name); ok && claimed.Ext != d.t.Ext && !(claimed.Image && d.t.Image) {
		return Prepared{}, invalid(field, fmt.Sprintf("文件“%s”的内容是%s，与扩展名不符。请检查文件后重新上传。", name, d.t.Label))
	}
	if !rules.allows(d.t) {
		return Prepared{}, invalid(field, fmt.Sprintf("这里不能上传%s“%s”。%s", d.t.Label, name, rules.acceptLabel()))
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

// Put writes the bytes of prepared files to storage and returns their records, not yet
// inserted: the caller inserts them in the transaction of the record that owns them and calls
// Discard when that transaction fails. When a write fails, the files already written are
// removed.
func (s *Service) Put(ctx context.Context, actor domain.Actor, list []Prepared) ([]store.FileRecord, error) {
	var recs []store.FileRecord
	for _, p := range list {
		key := files.NewKey(p.Type.Ext)
		if err := s.Files.Put(ctx, key, p.Data); err != nil {
			s.Discard(ctx, recs)
			return nil, fmt.Errorf("store upload: %w", err)
		}
		sum := sha256.Sum256(p.Data)
		recs = append(recs, store.FileRecord{TownID: actor.TownID, StorageKey: key, OriginalName: p.Name, ContentType: p.Type.ContentType,
			Size: int64(len(p.Data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: actor.AccountID})
	}
	return recs, nil
}

// Discard removes the bytes of files whose records were not saved. It runs even when ctx is
// cancelled, because it cleans up after a failed request.
func (s *Service) Discard(ctx context.Context, recs []store.FileRecord) {
	for _, rec := range recs {
		s.Files.Delete(context.WithoutCancel(ctx), rec.StorageKey)
	}
}

// Receive validates every file of a multipart field of a request that LimitRequest parsed and
// writes the accepted ones to storage, as Put does. It writes nothing when any file is
// rejected; the error is then KindInvalid with a Chinese message.
func (s *Service) Receive(r *http.Request, field string, rules Rules, actor domain.Actor) ([]store.FileRecord, error) {
	prepared, err := PrepareField(r, field, rules)
	if err != nil {
		return nil, err
	}
	return s.Put(r.Context(), actor, prepared)
}

// Store saves a prepared file's bytes and records its metadata for the actor's town.
func (s *Service) Store(ctx context.Context, actor domain.Actor, p Prepared) (store.FileRecord, error) {
	recs, err := s.Put(ctx, actor, []Prepared{p})
	if err != nil {
		return store.FileRecord{}, err
	}
	rec := recs[0]
	id, err := s.DB.InsertFile(ctx, nil, rec)
	if err != nil {
		s.Discard(ctx, recs)
		return store.FileRecord{}, fmt.Errorf("record upload: %w", err)
	}
	rec.ID = id
	return rec, nil
}

// LimitRequest rejects a request whose declared size exceeds what rules allow for the field,
// before any of the body is read, and caps the body at that size for the rest of the handler.
// Call it first in a handler that takes uploads; extra covers the other form fields.
func LimitRequest(w http.ResponseWriter, r *http.Request, rules Rules, extra int64) error {
	return ParseForm(w, r, rules.MaxBytes*int64(max(rules.MaxFiles, 1))+extra)
}

// ParseForm rejects a request whose declared size exceeds limit bytes, caps the body at limit
// and parses the form, multipart or not. A body over the limit is a KindInvalid error that
// wraps *http.MaxBytesError, so a handler may answer it with 413.
func ParseForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	tooLarge := func() error {
		return &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("上传的内容超过 %s 的上限。", sizeLabel(limit)),
			Err: &http.MaxBytesError{Limit: limit}}
	}
	if r.ContentLength > limit {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	// Parts larger than 1 MB go to temporary files, which ParseMultipartForm removes later.
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge()
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
