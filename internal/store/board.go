package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/pii"
)

// Rate limits of the message board. They hold for every deployment; there is no switch.
const (
	PostsPerAddressPer10Min = 5
	PostsPerAddressPerDay   = 30
	PostsPerMobilePerDay    = 5
)

// SettingSensitiveWords is the settings key of a town's sensitive-word list.
const SettingSensitiveWords = "board.sensitive_words"

// NewPost is a validated post with what the server adds.
type NewPost struct {
	board.Post
	SubmitToken string // the form's one-time token: a second submit returns the first receipt
	IPHash      string
	Source      string // "board", or "chat" for a message left outside duty hours
	Flagged     []string
	FileIDs     []int64
	// CaptchaHash and CaptchaAnswer, when set, use the captcha in the transaction that stores
	// the post, so a post costs one write transaction.
	CaptchaHash   string
	CaptchaAnswer string
}

// PostReceipt is the confirmation a visitor receives after posting.
type PostReceipt struct {
	PostID    int64
	QueryCode string
	Title     string
	Kind      board.Kind
	Held      bool // a sensitive word held it for closer moderation
	CreatedAt time.Time
}

// BoardMessage is a unit's public reply or the citizen's follow-up question.
type BoardMessage struct {
	ID         int64
	AuthorKind string // "unit" or "citizen"
	OrgName    string
	Body       string
	CreatedAt  time.Time
}

// CitizenNotice is a notice shown to the citizen behind the query code.
type CitizenNotice struct {
	Body      string
	CreatedAt time.Time
}

// BoardPost is a post as one reader may see it: Name, Phone, Address and IDNumber are masked
// unless the reader was allowed and asked to see them in full.
type BoardPost struct {
	ID             int64
	TownID         int64
	Kind           board.Kind
	Title          string
	Body           string
	Name           string
	Phone          string
	Address        string
	IDNumber       string
	Revealed       bool
	Public         bool
	Status         board.Status
	Flagged        []string
	Source         string
	ModerationNote string
	ModeratedAt    time.Time
	ResolvedAt     time.Time
	Rating         casework.Rating
	RatingReason   string
	RatedAt        time.Time
	CreatedAt      time.Time
	CaseID         int64
	CaseNumber     string
	CaseState      casework.State
	CaseOutcome    casework.Outcome
	Files          []FileRecord
	Messages       []BoardMessage
	Notices        []CitizenNotice
}

// CreatePost stores a post with a new query code, unless a post with the same submit token
// exists, whose receipt it returns instead (created is then false). The address and mobile
// number limits are checked in the same transaction; a breach is KindTooMany.
func (db *DB) CreatePost(ctx context.Context, townID int64, in NewPost) (rec PostReceipt, created bool, err error) {
	if in.SubmitToken == "" || len(in.SubmitToken) > 100 {
		return rec, false, domain.Invalid("表单已失效，请刷新页面后重新填写。")
	}
	if in.Source == "" {
		in.Source = "board"
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if r, err := db.receiptByToken(ctx, tx, townID, in.SubmitToken); err == nil {
			rec = r
			return nil
		} else if domain.ErrorKind(err) != domain.KindNotFound {
			return err
		}
		if in.CaptchaHash != "" {
			if err := db.useCaptcha(ctx, tx, in.CaptchaHash, in.CaptchaAnswer); err != nil {
				return err
			}
		}
		now := db.now()
		phoneHash := db.keys.Hash(in.Phone)
		if err := db.checkPostLimits(ctx, tx, in.IPHash, phoneHash, now); err != nil {
			return err
		}
		enc := func(v string) (string, error) { return db.keys.Encrypt(v) }
		nameEnc, err := enc(in.Name)
		if err != nil {
			return err
		}
		phoneEnc, err := enc(in.Phone)
		if err != nil {
			return err
		}
		addrEnc, err := enc(in.Address)
		if err != nil {
			return err
		}
		idEnc, err := enc(in.IDNumber)
		if err != nil {
			return err
		}
		code := casework.NewQueryCode()
		codeEnc, err := enc(code)
		if err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO board_posts (town_id, kind, title, body, name_enc, phone_enc, phone_hash, address_enc,
			id_number_enc, wants_public, status, flagged_words, source, query_code_hash, query_code_enc, submit_token, ip_hash,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
			townID, string(in.Kind), in.Title, in.Body, nameEnc, phoneEnc, phoneHash, addrEnc, idEnc, in.Public, string(board.Pending),
			strings.Join(in.Flagged, "\n"), in.Source, db.keys.Hash(code), codeEnc, in.SubmitToken, in.IPHash, now)
		if err != nil {
			return fmt.Errorf("insert post: %w", err)
		}
		for i, f := range in.FileIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO board_post_files (post_id, file_id, sort_order) VALUES ($1, $2, $3)`, id, f, i); err != nil {
				return err
			}
		}
		detail := in.Kind.Label() + "：" + domain.TruncateChars(in.Title, 40)
		if len(in.Flagged) > 0 {
			detail += "（命中敏感词 " + strings.Join(in.Flagged, "、") + "）"
		}
		if err := db.appendAudit(ctx, tx, domain.AuditEntry{TownID: townID, ActorName: "访客", IP: in.IPHash[:min(12, len(in.IPHash))],
			Action: "board.post", ObjectType: "board_post", ObjectID: idString(id), Outcome: domain.OutcomeSuccess, Detail: detail}); err != nil {
			return err
		}
		rec = PostReceipt{PostID: id, QueryCode: code, Title: in.Title, Kind: in.Kind, Held: len(in.Flagged) > 0, CreatedAt: now}
		created = true
		return nil
	})
	return rec, created, err
}

var errTooManyPosts = &domain.Error{Kind: domain.KindTooMany, Message: "提交过于频繁：同一网络地址 10 分钟内最多留言 " +
	fmt.Sprint(PostsPerAddressPer10Min) + " 条、每天最多 " + fmt.Sprint(PostsPerAddressPerDay) + " 条。请稍后再试，紧急情况请拨打 110。"}

var errTooManyPostsMobile = &domain.Error{Kind: domain.KindTooMany, Message: "同一手机号码每天最多留言 " +
	fmt.Sprint(PostsPerMobilePerDay) + " 条。您之前的留言可以用查询码查看进展；紧急情况请拨打 110。"}

func (db *DB) checkPostLimits(ctx context.Context, q querier, ipHash, phoneHash string, now time.Time) error {
	var recent, daily, mobile int
	if err := q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN created_at > $2 THEN 1 ELSE 0 END), 0), COUNT(*)
		FROM board_posts WHERE ip_hash = $1 AND created_at > $3`, ipHash, now.Add(-10*time.Minute), now.Add(-24*time.Hour)).Scan(&recent, &daily); err != nil {
		return err
	}
	if recent >= PostsPerAddressPer10Min || daily >= PostsPerAddressPerDay {
		return errTooManyPosts
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM board_posts WHERE phone_hash = $1 AND created_at > $2`,
		phoneHash, now.Add(-24*time.Hour)).Scan(&mobile); err != nil {
		return err
	}
	if mobile >= PostsPerMobilePerDay {
		return errTooManyPostsMobile
	}
	return nil
}

func (db *DB) receiptByToken(ctx context.Context, q querier, townID int64, token string) (PostReceipt, error) {
	var r PostReceipt
	var codeEnc, kind, flagged string
	err := q.QueryRowContext(ctx, `SELECT id, query_code_enc, title, kind, flagged_words, created_at FROM board_posts
		WHERE submit_token = $1 AND town_id = $2`, token, townID).Scan(&r.PostID, &codeEnc, &r.Title, &kind, &flagged, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.NotFound("留言不存在。")
	}
	if err != nil {
		return r, err
	}
	r.Kind, r.Held = board.Kind(kind), flagged != ""
	r.QueryCode, err = db.keys.Decrypt(codeEnc)
	return r, err
}

const postColumns = `p.id, p.town_id, p.kind, p.title, p.body, p.name_enc, p.phone_enc, p.address_enc, p.id_number_enc,
	p.wants_public, p.status, p.flagged_words, p.source, p.moderation_note, p.moderated_at, p.resolved_at, p.rating,
	p.rating_reason, p.rated_at, p.created_at,
	COALESCE(c.id, 0), COALESCE(c.number, ''), COALESCE(c.state, ''), COALESCE(c.outcome, '')`

const postFrom = ` FROM board_posts p LEFT JOIN cases c ON c.post_id = p.id AND c.merged_into IS NULL `

// scanPost reads a post row and decrypts its personal information, masking it unless reveal.
func (db *DB) scanPost(row interface{ Scan(...any) error }, reveal bool) (BoardPost, error) {
	var p BoardPost
	var kind, status, flagged, rating, caseState, outcome string
	var nameEnc, phoneEnc, addrEnc, idEnc string
	var moderated, resolved, rated sql.NullTime
	err := row.Scan(&p.ID, &p.TownID, &kind, &p.Title, &p.Body, &nameEnc, &phoneEnc, &addrEnc, &idEnc, &p.Public, &status, &flagged,
		&p.Source, &p.ModerationNote, &moderated, &resolved, &rating, &p.RatingReason, &rated, &p.CreatedAt,
		&p.CaseID, &p.CaseNumber, &caseState, &outcome)
	if err != nil {
		return p, err
	}
	p.Kind, p.Status, p.Rating = board.Kind(kind), board.Status(status), casework.Rating(rating)
	p.CaseState, p.CaseOutcome = casework.State(caseState), casework.Outcome(outcome)
	p.ModeratedAt, p.ResolvedAt, p.RatedAt = moderated.Time, resolved.Time, rated.Time
	if flagged != "" {
		p.Flagged = strings.Split(flagged, "\n")
	}
	if p.Name, err = db.keys.Decrypt(nameEnc); err != nil {
		return p, fmt.Errorf("post %d name: %w", p.ID, err)
	}
	if p.Phone, err = db.keys.Decrypt(phoneEnc); err != nil {
		return p, fmt.Errorf("post %d phone: %w", p.ID, err)
	}
	if p.Address, err = db.keys.Decrypt(addrEnc); err != nil {
		return p, fmt.Errorf("post %d address: %w", p.ID, err)
	}
	if p.IDNumber, err = db.keys.Decrypt(idEnc); err != nil {
		return p, fmt.Errorf("post %d id number: %w", p.ID, err)
	}
	p.Revealed = reveal
	if !reveal {
		p.Name, p.Phone = pii.MaskName(p.Name), pii.MaskPhone(p.Phone)
		p.Address, p.IDNumber = pii.MaskAddress(p.Address), pii.MaskIDNumber(p.IDNumber)
	}
	return p, nil
}

// PostFilter selects posts for a list.
type PostFilter struct {
	Kind   board.Kind
	Status board.Status
	// Unanswered keeps the accepted posts that no unit had answered at AsOf (now when zero), as
	// UnansweredPosts.
	Unanswered bool
	AsOf       time.Time
	// From and To limit the time the post was sent to [From, To) when set (staff list only).
	From, To time.Time
	// IDs keeps only these posts when not nil, so an empty slice keeps none (staff list only).
	IDs  []int64
	Page Page
}

// ListPublicPosts returns one page of a town's published posts, newest first, with the name
// and mobile number masked, and the total.
func (db *DB) ListPublicPosts(ctx context.Context, townID int64, f PostFilter) ([]BoardPost, int, error) {
	where := ` WHERE p.town_id = $1 AND p.status = 'published'`
	args := []any{townID}
	if f.Kind.Valid() {
		args = append(args, string(f.Kind))
		where += fmt.Sprintf(` AND p.kind = $%d`, len(args))
	}
	return db.listPosts(ctx, where, args, f.Page, false)
}

func (db *DB) listPosts(ctx context.Context, where string, args []any, page Page, reveal bool) ([]BoardPost, int, error) {
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM board_posts p`+where, args, &page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+postColumns+postFrom+where+
		` ORDER BY p.created_at DESC, p.id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []BoardPost
	for rows.Next() {
		p, err := db.scanPost(rows, reveal)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// PublicPost loads a published post with its photos and unit replies; other posts are not found.
func (db *DB) PublicPost(ctx context.Context, townID, id int64) (BoardPost, error) {
	p, err := db.scanPost(db.sql.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = $1 AND p.town_id = $2 AND p.status = 'published'`, id, townID), false)
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.NotFound("留言不存在或未公开。")
	}
	if err != nil {
		return p, err
	}
	return p, db.loadPostExtras(ctx, &p, true)
}

func (db *DB) loadPostExtras(ctx context.Context, p *BoardPost, public bool) error {
	files, err := db.postFiles(ctx, p.ID)
	if err != nil {
		return err
	}
	p.Files = files
	rows, err := db.sql.QueryContext(ctx, `SELECT id, author_kind, org_name, body, created_at FROM board_messages WHERE post_id = $1 ORDER BY created_at, id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m BoardMessage
		if err := rows.Scan(&m.ID, &m.AuthorKind, &m.OrgName, &m.Body, &m.CreatedAt); err != nil {
			return err
		}
		if public && m.AuthorKind != "unit" {
			continue
		}
		p.Messages = append(p.Messages, m)
	}
	return rows.Err()
}

func (db *DB) postFiles(ctx context.Context, postID int64) ([]FileRecord, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT f.id, f.town_id, f.storage_key, f.original_name, f.content_type, f.size, f.sha256, f.created_at
		FROM board_post_files bf JOIN files f ON f.id = bf.file_id WHERE bf.post_id = $1 ORDER BY bf.sort_order, f.id`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FileRecord
	for rows.Next() {
		var f FileRecord
		if err := rows.Scan(&f.ID, &f.TownID, &f.StorageKey, &f.OriginalName, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PostFile returns a photo of a post when the post is published (public is true) or always for
// staff; other files are not found.
func (db *DB) PostFile(ctx context.Context, townID, postID, fileID int64, public bool) (FileRecord, error) {
	cond := ``
	if public {
		cond = ` AND p.status = 'published'`
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM board_post_files bf JOIN board_posts p ON p.id = bf.post_id
		WHERE bf.post_id = $1 AND bf.file_id = $2 AND p.town_id = $3`+cond, postID, fileID, townID).Scan(&n); err != nil {
		return FileRecord{}, err
	}
	if n == 0 {
		return FileRecord{}, domain.NotFound("文件不存在。")
	}
	return db.GetFile(ctx, townID, fileID)
}

// PublicReply is one line of the home page's list of latest replies.
type PublicReply struct {
	PostID    int64
	Title     string
	Kind      board.Kind
	OrgName   string
	RepliedAt time.Time
}

// LatestPublicReplies returns the latest unit replies to a town's published posts, one per post.
func (db *DB) LatestPublicReplies(ctx context.Context, townID int64, limit int) ([]PublicReply, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, p.title, p.kind, m.org_name, m.created_at FROM board_messages m
		JOIN board_posts p ON p.id = m.post_id
		WHERE p.town_id = $1 AND p.status = 'published' AND m.author_kind = 'unit'
		AND m.id = (SELECT MAX(m2.id) FROM board_messages m2 WHERE m2.post_id = p.id AND m2.author_kind = 'unit')
		ORDER BY m.created_at DESC, m.id DESC LIMIT $2`, townID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicReply
	for rows.Next() {
		var r PublicReply
		var kind string
		if err := rows.Scan(&r.PostID, &r.Title, &kind, &r.OrgName, &r.RepliedAt); err != nil {
			return nil, err
		}
		r.Kind = board.Kind(kind)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListPostsForStaff returns one page of the actor's town's posts for moderation, oldest pending
// first when the filter is the pending queue, newest first otherwise. Personal information is
// masked. Only moderators and dispatchers call it.
func (db *DB) ListPostsForStaff(ctx context.Context, actor domain.Actor, f PostFilter) ([]BoardPost, int, error) {
	where := ` WHERE p.town_id = $1`
	args := []any{actor.TownID}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where += fmt.Sprintf(` AND p.status = $%d`, len(args))
	}
	if f.Kind.Valid() {
		args = append(args, string(f.Kind))
		where += fmt.Sprintf(` AND p.kind = $%d`, len(args))
	}
	if f.Unanswered {
		asOf := f.AsOf
		if asOf.IsZero() {
			asOf = db.now()
		}
		args = append(args, asOf.UTC())
		where += ` AND ` + unansweredWhere(len(args))
	}
	if f.IDs != nil {
		ids := []string{"0"}
		for _, id := range f.IDs {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		where += ` AND p.id IN (` + strings.Join(ids, ", ") + `)`
	}
	if !f.From.IsZero() {
		args = append(args, f.From.UTC())
		where += fmt.Sprintf(` AND p.created_at >= $%d`, len(args))
	}
	if !f.To.IsZero() {
		args = append(args, f.To.UTC())
		where += fmt.Sprintf(` AND p.created_at < $%d`, len(args))
	}
	return db.listPosts(ctx, where, args, f.Page, false)
}

// PostForStaff loads a post of the actor's town with its files, replies and follow-ups. The
// personal information is shown in full only when reveal is set and the actor holds
// PermPersonalInfo; that view is audited.
func (db *DB) PostForStaff(ctx context.Context, actor domain.Actor, id int64, reveal bool) (BoardPost, error) {
	reveal = reveal && actor.Can(domain.PermPersonalInfo)
	p, err := db.scanPost(db.sql.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = $1 AND p.town_id = $2`, id, actor.TownID), reveal)
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.NotFound("留言不存在。")
	}
	if err != nil {
		return p, err
	}
	if reveal {
		if err := db.appendAudit(ctx, db.sql, auditFor(actor, "pii.view", "board_post", id, domain.OutcomeSuccess, "查看留言人完整个人信息")); err != nil {
			return p, err
		}
	}
	if err := db.loadPostExtras(ctx, &p, false); err != nil {
		return p, err
	}
	p.Notices, err = db.citizenNotices(ctx, "post_id", id)
	return p, err
}

// Moderation decisions.
const (
	DecisionPublish = "publish" // 公开（only when the visitor allowed it）
	DecisionPrivate = "private" // 受理但不公开
	DecisionReject  = "reject"  // 不通过
)

// ModeratePost decides a pending or held post: publish it (only when the visitor allowed it to
// be public), accept it without publishing, or reject it with a reason. A published or private
// post may also be withdrawn from the public list (DecisionPrivate). Audited.
func (db *DB) ModeratePost(ctx context.Context, actor domain.Actor, id int64, decision, note string) error {
	note = domain.CleanText(note)
	if domain.CharCount(note) > board.MaxReason {
		return domain.Invalid(fmt.Sprintf("审核意见不能超过 %d 个字符。", board.MaxReason))
	}
	if board.HasMarkup(note) {
		return domain.Invalid("审核意见不能包含网页代码或脚本。")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		var public bool
		err := tx.QueryRowContext(ctx, `SELECT status, wants_public FROM board_posts WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&status, &public)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("留言不存在。")
		}
		if err != nil {
			return err
		}
		var to board.Status
		switch decision {
		case DecisionPublish:
			if !public {
				return domain.Conflict("留言人未同意公开这条留言，只能受理，不能公开。")
			}
			to = board.Published
		case DecisionPrivate:
			to = board.Private
		case DecisionReject:
			if note == "" {
				return &domain.Error{Kind: domain.KindInvalid, Message: "不通过审核时请填写理由。", Fields: map[string]string{"note": "请填写理由。"}}
			}
			to = board.Rejected
		default:
			return domain.Invalid("请选择审核结果。")
		}
		if board.Status(status) == to {
			return domain.Conflict("留言已是“" + to.Label() + "”。")
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE board_posts SET status = $1, moderation_note = $2, moderated_by = $3, moderated_at = $4, updated_at = $4
			WHERE id = $5`, string(to), note, nullInt(actor.AccountID), now, id); err != nil {
			return err
		}
		if to == board.Rejected {
			if err := db.addCitizenNotice(ctx, tx, actor.TownID, id, 0, "您的留言未通过审核："+note); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "board.moderate", "board_post", id, domain.OutcomeSuccess,
			board.Status(status).Label()+" → "+to.Label()+optional("，", note)))
	})
}

func optional(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

// ReplyToPost publishes a reply to a post in the name of the actor's organization, without a
// case: the usual answer to a consultation or suggestion. A reply marks a consultation or help
// request resolved. Audited; the citizen sees a notice behind the query code.
func (db *DB) ReplyToPost(ctx context.Context, actor domain.Actor, id int64, body string) (CitizenMessage, error) {
	body = domain.CleanText(body)
	p := domain.Problems{}
	board.CheckText(p, "reply", "答复内容", body, true, board.MaxReply)
	if err := p.Err(); err != nil {
		return CitizenMessage{}, err
	}
	var msg CitizenMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var status, kind, phoneEnc string
		err := tx.QueryRowContext(ctx, `SELECT status, kind, phone_enc FROM board_posts WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&status, &kind, &phoneEnc)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("留言不存在。")
		}
		if err != nil {
			return err
		}
		if board.Status(status) == board.Pending || board.Status(status) == board.Rejected {
			return domain.Conflict("请先审核通过留言，再答复。")
		}
		orgName, err := db.orgName(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO board_messages (post_id, author_kind, org_id, org_name, account_id, body, created_at)
			VALUES ($1, 'unit', $2, $3, $4, $5, $6)`, id, nullInt(actor.OrgID), orgName, nullInt(actor.AccountID), body, now); err != nil {
			return err
		}
		if k := board.Kind(kind); k == board.Consultation || k == board.HelpRequest || k == board.Suggestion {
			if _, err := tx.ExecContext(ctx, `UPDATE board_posts SET resolved_at = COALESCE(resolved_at, $1), updated_at = $1 WHERE id = $2`, now, id); err != nil {
				return err
			}
		}
		text := orgName + "已答复您的留言，请凭查询码查看。"
		if err := db.addCitizenNotice(ctx, tx, actor.TownID, id, 0, text); err != nil {
			return err
		}
		phone, err := db.keys.Decrypt(phoneEnc)
		if err != nil {
			return err
		}
		msg = CitizenMessage{Mobile: phone, Text: text}
		return db.appendAudit(ctx, tx, auditFor(actor, "board.reply", "board_post", id, domain.OutcomeSuccess, domain.TruncateChars(body, 60)))
	})
	return msg, err
}

func (db *DB) orgName(ctx context.Context, q querier, id int64) (string, error) {
	var n string
	err := q.QueryRowContext(ctx, `SELECT name FROM orgs WHERE id = $1`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return n, err
}

// CitizenMessage is a text to send to a citizen's mobile through the message gateway after the
// transaction that produced it has committed.
type CitizenMessage struct {
	Mobile string
	Text   string
}

func (db *DB) addCitizenNotice(ctx context.Context, q querier, townID, postID, caseID int64, body string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO citizen_notices (town_id, post_id, case_id, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
		townID, nullInt(postID), nullInt(caseID), body, db.now())
	return err
}

func (db *DB) citizenNotices(ctx context.Context, column string, id int64) ([]CitizenNotice, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT body, created_at FROM citizen_notices WHERE `+column+` = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CitizenNotice
	for rows.Next() {
		var n CitizenNotice
		if err := rows.Scan(&n.Body, &n.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

var errNoSuchCode = domain.NotFound("查询码或手机号码不正确，请核对后重新输入。")

// CitizenPost opens a post with its query code and mobile number, for the citizen who wrote it:
// the name and number are masked, every unit reply and the citizen's own follow-ups are shown,
// and so are the notices. A wrong code or number is not found, with one message for both.
func (db *DB) CitizenPost(ctx context.Context, townID int64, code, mobile string) (BoardPost, error) {
	id, err := db.postIDByCode(ctx, db.sql, townID, code, mobile)
	if err != nil {
		return BoardPost{}, err
	}
	p, err := db.scanPost(db.sql.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = $1`, id), false)
	if err != nil {
		return p, err
	}
	if err := db.loadPostExtras(ctx, &p, false); err != nil {
		return p, err
	}
	p.Notices, err = db.citizenNotices(ctx, "post_id", id)
	return p, err
}

func (db *DB) postIDByCode(ctx context.Context, q querier, townID int64, code, mobile string) (int64, error) {
	code = casework.NormalizeQueryCode(code)
	mobile = board.NormalizeMobile(mobile)
	if !casework.ValidQueryCode(code) || !domain.ValidMobile(mobile) {
		return 0, errNoSuchCode
	}
	var id int64
	var phoneHash string
	err := q.QueryRowContext(ctx, `SELECT id, phone_hash FROM board_posts WHERE query_code_hash = $1 AND town_id = $2`,
		db.keys.Hash(code), townID).Scan(&id, &phoneHash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && phoneHash != db.keys.Hash(mobile)) {
		return 0, errNoSuchCode
	}
	return id, err
}

// CitizenFollowUp adds the citizen's follow-up question to their post.
func (db *DB) CitizenFollowUp(ctx context.Context, townID int64, code, mobile, body string) error {
	body = domain.CleanText(body)
	p := domain.Problems{}
	board.CheckText(p, "question", "追问内容", body, true, 500)
	if err := p.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := db.postIDByCode(ctx, tx, townID, code, mobile)
		if err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO board_messages (post_id, author_kind, body, created_at) VALUES ($1, 'citizen', $2, $3)`,
			id, body, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, domain.AuditEntry{TownID: townID, ActorName: "留言人", Action: "board.follow_up",
			ObjectType: "board_post", ObjectID: idString(id), Outcome: domain.OutcomeSuccess, Detail: domain.TruncateChars(body, 60)})
	})
}

// CitizenRating is the citizen's rating of how a post or case was handled.
type CitizenRating struct {
	Rating casework.Rating
	Reason string
	// NotSolved requests reopening the case because the problem is still there.
	NotSolved bool
}

// Validate checks the rating and the reason's length; a dissatisfied rating needs a reason.
func (r *CitizenRating) Validate() error {
	r.Reason = domain.CleanText(r.Reason)
	p := domain.Problems{}
	if !r.Rating.Valid() {
		p.Add("rating", "请选择满意、基本满意或不满意。")
	}
	board.CheckText(p, "reason", "评价理由", r.Reason, r.Rating == casework.Dissatisfied || r.NotSolved, board.MaxReason)
	return p.Err()
}

// errAlreadyRated rejects a second rating. A citizen rates a post or case once for each time it is
// resolved: only a case reopened and resolved again takes a new rating.
var errAlreadyRated = domain.Conflict("您已评价过，感谢您的反馈。")

// CitizenRatePost records the citizen's rating of their post. When the post became a case that
// is resolved, the rating is the case's follow-up, and "not solved" reopens the case. A post
// already rated is KindConflict unless its case was resolved again since.
func (db *DB) CitizenRatePost(ctx context.Context, townID int64, code, mobile string, r CitizenRating) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := db.postIDByCode(ctx, tx, townID, code, mobile)
		if err != nil {
			return err
		}
		var caseID int64
		var caseState string
		err = tx.QueryRowContext(ctx, `SELECT id, state FROM cases WHERE post_id = $1 AND merged_into IS NULL ORDER BY id DESC LIMIT 1`, id).Scan(&caseID, &caseState)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var previous string
		if err := tx.QueryRowContext(ctx, `SELECT rating FROM board_posts WHERE id = $1`, id).Scan(&previous); err != nil {
			return err
		}
		if previous != "" && (caseID == 0 || casework.State(caseState) != casework.Resolved) {
			return errAlreadyRated
		}
		citizen := domain.Actor{TownID: townID, Name: "留言人（凭查询码）"}
		if caseID != 0 {
			if err := db.citizenRateCase(ctx, tx, citizen, caseID, casework.State(caseState), r); err != nil {
				return err
			}
		} else {
			var replied int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM board_messages WHERE post_id = $1 AND author_kind = 'unit'`, id).Scan(&replied); err != nil {
				return err
			}
			if replied == 0 {
				return domain.Conflict("您的留言还没有答复，答复后才能评价。")
			}
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE board_posts SET rating = $1, rating_reason = $2, rated_at = $3, updated_at = $3 WHERE id = $4`,
			string(r.Rating), r.Reason, now, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, domain.AuditEntry{TownID: townID, ActorName: citizen.Name, Action: "board.rate",
			ObjectType: "board_post", ObjectID: idString(id), Outcome: domain.OutcomeSuccess, Detail: r.Rating.Label() + optional("：", r.Reason)})
	})
}

// SensitiveWords returns a town's sensitive-word list, or the starter list when none is saved.
func (db *DB) SensitiveWords(ctx context.Context, townID int64) (string, error) {
	return db.Setting(ctx, townID, SettingSensitiveWords, board.StarterWords())
}

// SaveSensitiveWords stores a town's sensitive-word list and audits the change.
func (db *DB) SaveSensitiveWords(ctx context.Context, actor domain.Actor, list string) error {
	list = domain.CleanText(list)
	if domain.CharCount(list) > 20000 {
		return domain.Invalid("敏感词表不能超过 20000 个字符。")
	}
	words := board.ParseWords(list)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.putSetting(ctx, tx, actor.TownID, SettingSensitiveWords, list); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "board.sensitive_words", "settings", actor.TownID, domain.OutcomeSuccess,
			fmt.Sprintf("敏感词 %d 个", len(words))))
	})
}

// PostReceiptByToken returns the receipt of the post created with a form token, so that a form
// submitted twice shows the same receipt. It is KindNotFound when no post has that token.
func (db *DB) PostReceiptByToken(ctx context.Context, townID int64, token string) (PostReceipt, error) {
	return db.receiptByToken(ctx, db.sql, townID, token)
}

// CheckPostLimits reports KindTooMany when an address or mobile number reached the board's
// limits, so that a handler can refuse before it stores any photo. CreatePost checks again.
func (db *DB) CheckPostLimits(ctx context.Context, ipHash, mobile string) error {
	return db.checkPostLimits(ctx, db.sql, ipHash, db.keys.Hash(mobile), db.now())
}
