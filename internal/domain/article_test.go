package domain

import "testing"

func TestArticleTransitions(t *testing.T) {
	editor := Actor{Roles: []Role{RoleEditor}}
	reporter := Actor{Roles: []Role{RoleReporter}}
	tests := []struct {
		actor  Actor
		from   ArticleStatus
		action ArticleAction
		to     ArticleStatus
		kind   Kind
	}{
		{reporter, StatusDraft, ActionSubmit, StatusSubmitted, 0},
		{reporter, StatusReturned, ActionSubmit, StatusSubmitted, 0},
		{reporter, StatusSubmitted, ActionSubmit, "", KindConflict},
		{reporter, StatusSubmitted, ActionPublish, "", KindForbidden},
		{reporter, StatusSubmitted, ActionReturn, "", KindForbidden},
		{editor, StatusDraft, ActionSubmit, StatusSubmitted, 0},
		{editor, StatusSubmitted, ActionReturn, StatusReturned, 0},
		{editor, StatusReturned, ActionReturn, "", KindConflict},
		{editor, StatusSubmitted, ActionPublish, StatusPublished, 0},
		{editor, StatusDraft, ActionPublish, StatusPublished, 0},
		{editor, StatusWithdrawn, ActionPublish, StatusPublished, 0},
		{editor, StatusReturned, ActionPublish, "", KindConflict},
		{editor, StatusPublished, ActionWithdraw, StatusWithdrawn, 0},
		{editor, StatusDraft, ActionWithdraw, "", KindConflict},
		{editor, StatusDraft, "delete", "", KindInvalid},
	}
	for _, tt := range tests {
		got, err := Transition(tt.actor, tt.from, tt.action)
		if got != tt.to || ErrorKind(err) != tt.kind {
			t.Errorf("%v %s from %s: got %q, kind %d; want %q, kind %d", tt.actor.Roles, tt.action, tt.from, got, ErrorKind(err), tt.to, tt.kind)
		}
	}
}

func TestDeriveSummaryCutsCharacters(t *testing.T) {
	body := ""
	for range 200 {
		body += "禁"
	}
	got := DeriveSummary("", body)
	if CharCount(got) != SummaryLength+1 {
		t.Errorf("summary has %d characters, want %d and an ellipsis", CharCount(got), SummaryLength)
	}
	if got := DeriveSummary("  自填摘要 ", body); got != "自填摘要" {
		t.Errorf("typed summary = %q", got)
	}
}
