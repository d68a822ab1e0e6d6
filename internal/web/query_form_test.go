package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestQueryFormRequiresBothFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("")
		cases := []struct {
			name      string
			form      url.Values
			want      []string
			wantUnset []string
		}{
			{"both missing", url.Values{}, []string{"请填写查询码", "请填写手机号码"}, nil},
			{"code missing", url.Values{"mobile": {"13812345678"}}, []string{"请填写查询码"}, []string{"请填写手机号码"}},
			{"mobile missing", url.Values{"code": {"ABCD2345"}}, []string{"请填写手机号码"}, []string{"请填写查询码"}},
		}
		for _, tc := range cases {
			status, body := h.post(c, "/query", tc.form)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.name, status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: page lacks %q", tc.name, w)
				}
			}
			for _, w := range tc.wantUnset {
				if strings.Contains(body, w) {
					t.Errorf("%s: page shows %q for a filled field", tc.name, w)
				}
			}
			if !strings.Contains(body, `form method="post" action="/query"`) {
				t.Errorf("%s: the query form is not shown again", tc.name)
			}
		}
		if status, _ := h.post(c, "/query", url.Values{"code": {"ABCD2345"}, "mobile": {"13812345678"}}); status != http.StatusNotFound {
			t.Errorf("unknown code: status %d, want 404", status)
		}
	})
}

func TestCaseSheetRejectsUnknownKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		list, _, err := h.db.ListCases(context.Background(), h.actorOf("dispatcher"), store.CaseFilter{Search: "卤水"})
		if err != nil || len(list) != 1 {
			t.Fatalf("brine case: %d found, %v", len(list), err)
		}
		c := h.client("dispatcher")
		base := "/admin/cases/" + itoa(list[0].ID) + "/sheet"
		for _, kind := range []string{"bogus", "", "DISPATCH"} {
			status, body := h.get(c, base+"?kind="+url.QueryEscape(kind))
			if status != http.StatusBadRequest {
				t.Errorf("kind %q: status %d, want 400", kind, status)
			}
			if !strings.Contains(body, "单据类型无效") {
				t.Errorf("kind %q: page lacks the message", kind)
			}
		}
		if status, body := h.get(c, base+"?kind=dispatch"); status != http.StatusOK || !strings.Contains(body, "交办单") {
			t.Errorf("kind dispatch: status %d", status)
		}
	})
}

func TestQueryRateOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		ctx := context.Background()
		town := h.town.TownID
		post := board.Post{Kind: board.Complaint, Title: "村道积水", Body: "下雨后村道积水很深，无法通行。", Name: "赵六", Phone: "13712345678", Public: true, Consent: true}
		if err := post.Validate(h.db.Now()); err != nil {
			t.Fatal(err)
		}
		rec, _, err := h.db.CreatePost(ctx, town, store.NewPost{Post: post, SubmitToken: "tok-query-rate", IPHash: "ip-rate"})
		if err != nil {
			t.Fatal(err)
		}
		dispatcher, ecology := h.actorOf("dispatcher"), h.actorOf("ecology")
		if err := h.db.ModeratePost(ctx, dispatcher, rec.PostID, store.DecisionPublish, ""); err != nil {
			t.Fatal(err)
		}
		reg, err := h.db.RegisterCase(ctx, dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
			Title: post.Title, Body: post.Body, PostID: rec.PostID})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			by string
			in store.CaseInput
		}{
			{"dispatcher", store.CaseInput{Action: casework.ActDispatch, LeadOrgID: ecology.OrgID}},
			{"ecology", store.CaseInput{Action: casework.ActAcknowledge}},
			{"ecology", store.CaseInput{Action: casework.ActResolve, Note: "已疏通排水沟。"}},
		} {
			if _, err := h.db.CaseAction(ctx, h.actorOf(step.by), reg.ID, step.in); err != nil {
				t.Fatalf("%s: %v", step.in.Action, err)
			}
		}
		audits := func() int {
			var n int
			if err := h.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'board.rate' AND object_id = $1`, itoa(rec.PostID)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		c := h.client("")
		form := url.Values{"code": {rec.QueryCode}, "mobile": {"13712345678"}, "rating": {"satisfied"}}
		if status, body := h.post(c, "/query/rate", form); status != http.StatusOK || !strings.Contains(body, "感谢您的评价。") {
			t.Fatalf("first rating: status %d", status)
		}
		form.Set("rating", "dissatisfied")
		form.Set("reason", "换个评价")
		status, body := h.post(c, "/query/rate", form)
		if status != http.StatusConflict {
			t.Errorf("second rating: status %d, want 409", status)
		}
		if !strings.Contains(body, "您已评价过，感谢您的反馈。") {
			t.Errorf("second rating: page lacks the message")
		}
		if got := audits(); got != 1 {
			t.Errorf("rating audit records = %d, want 1", got)
		}
	})
}
