package web

import (
	"testing"

	"pingan/internal/casework"
	"pingan/internal/store"
)

func TestQueryPageCanRate(t *testing.T) {
	cases := []struct {
		name string
		page queryPage
		want bool
	}{
		{"post without reply", queryPage{Post: &store.BoardPost{}}, false},
		{"post with own follow-up only", queryPage{Post: &store.BoardPost{Messages: []store.BoardMessage{{AuthorKind: "citizen"}}}}, false},
		{"post with a unit's reply", queryPage{Post: &store.BoardPost{Messages: []store.BoardMessage{{AuthorKind: "unit"}}}}, true},
		{"post whose case is dispatched", queryPage{Post: &store.BoardPost{CaseState: casework.Dispatched}}, false},
		{"post whose case is resolved", queryPage{Post: &store.BoardPost{CaseState: casework.Resolved}}, true},
		{"case in progress", queryPage{Case: &store.CitizenCaseView{State: casework.InProgress}}, false},
		{"case replied", queryPage{Case: &store.CitizenCaseView{State: casework.Replied}}, true},
		{"case closed", queryPage{Case: &store.CitizenCaseView{State: casework.Closed}}, true},
		{"case rated", queryPage{Case: &store.CitizenCaseView{State: casework.FollowedUp, Rating: casework.Satisfied}}, false},
		{"case rated, reopened and resolved", queryPage{Case: &store.CitizenCaseView{State: casework.Resolved, Rating: casework.Satisfied}}, true},
		{"rated post without case", queryPage{Post: &store.BoardPost{Rating: casework.Satisfied, Messages: []store.BoardMessage{{AuthorKind: "unit"}}}}, false},
		{"rated post whose case is closed", queryPage{Post: &store.BoardPost{Rating: casework.Satisfied, CaseID: 1, CaseState: casework.Closed}}, false},
		{"rated post whose case is resolved again", queryPage{Post: &store.BoardPost{Rating: casework.Satisfied, CaseID: 1, CaseState: casework.Resolved}}, true},
	}
	for _, c := range cases {
		if got := c.page.CanRate(); got != c.want {
			t.Errorf("%s: CanRate() = %v, want %v", c.name, got, c.want)
		}
	}
}
