package store_test

import (
	"context"
	"testing"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCitizenRatesPostOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		post := board.Post{Kind: board.Suggestion, Title: "路灯不亮", Body: "村口路灯坏了一个月。", Name: "李四", Phone: "13812345678", Public: true, Consent: true}
		if err := post.Validate(db.Now()); err != nil {
			t.Fatal(err)
		}
		rec, _, err := db.CreatePost(ctx, town, store.NewPost{Post: post, SubmitToken: "tok-rate", IPHash: "ip1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ModeratePost(ctx, st.dispatcher, rec.PostID, store.DecisionPublish, ""); err != nil {
			t.Fatal(err)
		}
		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
			Title: post.Title, Body: post.Body, PostID: rec.PostID})
		if err != nil {
			t.Fatal(err)
		}
		step := func(a domain.Actor, in store.CaseInput) {
			t.Helper()
			if _, err := db.CaseAction(ctx, a, reg.ID, in); err != nil {
				t.Fatalf("%s: %v", in.Action, err)
			}
		}
		step(st.dispatcher, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.ecologyOrg})
		step(st.ecology, store.CaseInput{Action: casework.ActAcknowledge})
		step(st.ecology, store.CaseInput{Action: casework.ActResolve, Note: "已更换灯泡。"})

		rate := func(r store.CitizenRating) error {
			return db.CitizenRatePost(ctx, town, rec.QueryCode, "13812345678", r)
		}
		audits := func() int {
			return countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'board.rate' AND object_id = $1`, idStr(rec.PostID))
		}
		if err := rate(store.CitizenRating{Rating: casework.Satisfied}); err != nil {
			t.Fatal(err)
		}
		if got := audits(); got != 1 {
			t.Fatalf("rating audit records after first rating = %d, want 1", got)
		}
		err = rate(store.CitizenRating{Rating: casework.Dissatisfied, Reason: "再评一次"})
		if domain.ErrorKind(err) != domain.KindConflict || domain.UserMessage(err) != "您已评价过，感谢您的反馈。" {
			t.Fatalf("second rating: %v, want conflict 您已评价过", err)
		}
		err = rate(store.CitizenRating{Rating: casework.Dissatisfied, Reason: "还是不亮", NotSolved: true})
		if domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("second rating asking to reopen: %v, want conflict", err)
		}
		if got := audits(); got != 1 {
			t.Errorf("rating audit records after rejected ratings = %d, want 1", got)
		}
		c, err := db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != casework.FollowedUp || c.Rating != casework.Satisfied {
			t.Errorf("case after rejected ratings: state %s rating %s, want followed_up satisfied", c.State, c.Rating)
		}
		p, err := db.CitizenPost(ctx, town, rec.QueryCode, "13812345678")
		if err != nil {
			t.Fatal(err)
		}
		if p.Rating != casework.Satisfied || p.RatingReason != "" {
			t.Errorf("post rating %s %q, want the first rating", p.Rating, p.RatingReason)
		}
	})
}

func TestCitizenRatesAgainAfterReopen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		post := board.Post{Kind: board.Complaint, Title: "噪音扰民", Body: "工地夜间施工噪音很大，影响休息。", Name: "王五", Phone: "13912345678", Public: true, Consent: true}
		if err := post.Validate(db.Now()); err != nil {
			t.Fatal(err)
		}
		rec, _, err := db.CreatePost(ctx, town, store.NewPost{Post: post, SubmitToken: "tok-reopen", IPHash: "ip2"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ModeratePost(ctx, st.dispatcher, rec.PostID, store.DecisionPublish, ""); err != nil {
			t.Fatal(err)
		}
		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
			Title: post.Title, Body: post.Body, PostID: rec.PostID})
		if err != nil {
			t.Fatal(err)
		}
		step := func(a domain.Actor, in store.CaseInput) {
			t.Helper()
			if _, err := db.CaseAction(ctx, a, reg.ID, in); err != nil {
				t.Fatalf("%s: %v", in.Action, err)
			}
		}
		step(st.dispatcher, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.ecologyOrg})
		step(st.ecology, store.CaseInput{Action: casework.ActAcknowledge})
		step(st.ecology, store.CaseInput{Action: casework.ActResolve, Note: "已责令停止夜间施工。"})
		rate := func(r store.CitizenRating) error {
			return db.CitizenRatePost(ctx, town, rec.QueryCode, "13912345678", r)
		}
		if err := rate(store.CitizenRating{Rating: casework.Dissatisfied, Reason: "仍在施工", NotSolved: true}); err != nil {
			t.Fatal(err)
		}
		c, err := db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.State == casework.Resolved || c.State == casework.FollowedUp {
			t.Fatalf("case state after 'not solved' = %s, want reopened", c.State)
		}
		if err := rate(store.CitizenRating{Rating: casework.Satisfied}); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("rating a reopened case in progress: %v, want conflict", err)
		}
		c, _ = db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if c.State == casework.Dispatched {
			step(st.ecology, store.CaseInput{Action: casework.ActAcknowledge})
		}
		step(st.ecology, store.CaseInput{Action: casework.ActResolve, Note: "施工队已撤场。"})
		if err := rate(store.CitizenRating{Rating: casework.Satisfied}); err != nil {
			t.Fatalf("rating the case resolved again: %v", err)
		}
		if err := rate(store.CitizenRating{Rating: casework.Satisfied}); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("third rating: %v, want conflict", err)
		}
	})
}

func TestVisitorRatesChatOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		chat, err := db.CreateChat(ctx, st.center.TownID, store.NewChat{Topic: "低保申请材料", TokenHash: "chat-token-hash", IPHash: "ip3"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RateChat(ctx, "chat-token-hash", store.CitizenRating{Rating: casework.Satisfied}); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("rating a waiting chat: %v, want conflict", err)
		}
		if _, err := db.SQL().ExecContext(ctx, `UPDATE chats SET state = 'ended' WHERE id = $1`, chat.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RateChat(ctx, "chat-token-hash", store.CitizenRating{Rating: casework.Satisfied}); err != nil {
			t.Fatal(err)
		}
		err = db.RateChat(ctx, "chat-token-hash", store.CitizenRating{Rating: casework.Dissatisfied, Reason: "改成不满意"})
		if domain.ErrorKind(err) != domain.KindConflict || domain.UserMessage(err) != "您已评价过，感谢您的反馈。" {
			t.Fatalf("second chat rating: %v, want conflict 您已评价过", err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM chats WHERE id = $1 AND rating = 'satisfied' AND rating_reason = ''`, chat.ID); n != 1 {
			t.Errorf("chat rating changed by the rejected second rating")
		}
	})
}
