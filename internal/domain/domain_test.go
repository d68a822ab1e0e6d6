package domain

import (
	"strings"
	"testing"
	"time"
)

func TestValidateRoles(t *testing.T) {
	cases := []struct {
		roles []Role
		ok    bool
	}{
		{nil, true},
		{[]Role{RoleSystemAdmin}, true},
		{[]Role{RoleEditor, RoleDispatcher, RoleModerator}, true},
		{[]Role{RoleSystemAdmin, RoleSecurityAdmin}, false},
		{[]Role{RoleSecurityAdmin, RoleAuditAdmin}, false},
		{[]Role{RoleAuditAdmin, RoleEditor}, false},
		{[]Role{"king"}, false},
	}
	for _, c := range cases {
		err := ValidateRoles(c.roles)
		if (err == nil) != c.ok {
			t.Errorf("ValidateRoles(%v) = %v, want ok=%v", c.roles, err, c.ok)
		}
	}
}

// TestAdministratorsAreNotSuperUsers checks that each administrator role holds only its own
// duties: none of them may do the others' work or any working role's work.
func TestAdministratorsAreNotSuperUsers(t *testing.T) {
	own := map[Role][]Permission{
		RoleSystemAdmin:   {PermOrgsManage, PermAccountsManage, PermSettingsManage},
		RoleSecurityAdmin: {PermRolesAssign, PermSecurityPolicy},
		RoleAuditAdmin:    {PermAuditRead},
	}
	for admin, perms := range own {
		for other, otherPerms := range own {
			if other == admin {
				continue
			}
			for _, p := range otherPerms {
				if RoleHas(admin, p) {
					t.Errorf("%s holds %s, a duty of %s", admin, p, other)
				}
			}
		}
		for _, p := range []Permission{PermArticlesReview, PermCasesDispatch, PermPersonalInfo, PermNoticesIssue, PermBoardModerate} {
			if RoleHas(admin, p) {
				t.Errorf("%s holds working permission %s", admin, p)
			}
		}
		for _, p := range perms {
			if !RoleHas(admin, p) {
				t.Errorf("%s lacks %s", admin, p)
			}
		}
	}
}

func TestEveryPermissionHasLabelAndRole(t *testing.T) {
	for _, p := range AllPermissions {
		if p.Label() == string(p) {
			t.Errorf("permission %s has no Chinese label", p)
		}
		held := false
		for _, r := range AllRoles {
			held = held || RoleHas(r, p)
		}
		if !held {
			t.Errorf("no role holds %s", p)
		}
	}
	for _, r := range AllRoles {
		if r.Label() == string(r) {
			t.Errorf("role %s has no Chinese label", r)
		}
	}
}

func TestCanParent(t *testing.T) {
	cases := []struct {
		parent, child OrgKind
		ok            bool
	}{
		{OrgCounty, OrgTown, true},
		{OrgTown, OrgVillage, true},
		{OrgVillage, OrgVillageGroup, true},
		{OrgVillageGroup, OrgGrid, true},
		{OrgVillage, OrgMediation, true},
		{OrgGrid, OrgVillage, false},
		{OrgVillage, OrgTown, false},
		{OrgTown, OrgCounty, false},
		{OrgMediation, OrgGrid, false},
	}
	for _, c := range cases {
		if got := CanParent(c.parent, c.child); got != c.ok {
			t.Errorf("CanParent(%s, %s) = %v, want %v", c.parent, c.child, got, c.ok)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	p := DefaultSecurityPolicy
	cases := []struct {
		pw, user string
		ok       bool
	}{
		{"Pingan-2026!", "editor", true},
		{"短密码Aa1", "editor", false},
		{"alllowercase1", "editor", false},
		{"ALLUPPER-123", "editor", true},
		{"Xeditor-2026", "editor", false},
		{"EDITOR-secure-1", "editor", false},
		{"长长的中文密码加数字123", "editor", false},
		{"中文密码也可以Aa1!", "editor", true},
		{strings.Repeat("Aa1!", 33), "editor", false},
	}
	for _, c := range cases {
		msg := p.CheckPassword(c.pw, c.user)
		if (msg == "") != c.ok {
			t.Errorf("CheckPassword(%q) = %q, want ok=%v", c.pw, msg, c.ok)
		}
	}
}

func TestLengthsCountCharacters(t *testing.T) {
	p := Problems{}
	p.CheckLength("name", "名称", strings.Repeat("镇", 60), true, 60)
	if len(p) != 0 {
		t.Errorf("60 Chinese characters rejected at a limit of 60: %v", p)
	}
	p.CheckLength("name", "名称", strings.Repeat("镇", 61), true, 60)
	if !strings.Contains(p["name"], "不能超过60个字符") {
		t.Errorf("61 characters: %q", p["name"])
	}
	if got := TruncateChars("平安高桥网欢迎您", 4); got != "平安高桥…" {
		t.Errorf("TruncateChars = %q", got)
	}
}

func TestCleanTextDropsControlCharacters(t *testing.T) {
	in := "\ufeff 标题\x00\x0b带有\u200b控制字符\r\n第二行\x07 "
	if got, want := CleanText(in), "标题带有控制字符\n第二行"; got != want {
		t.Errorf("CleanText = %q, want %q", got, want)
	}
	if got := CleanLine("一\n二\t三"); got != "一 二 三" {
		t.Errorf("CleanLine = %q", got)
	}
}

func TestFormatTimeShowsBeijingTime(t *testing.T) {
	utc := time.Date(2026, 6, 30, 17, 5, 0, 0, time.UTC)
	if got := FormatTime(utc); got != "2026-07-01 01:05" {
		t.Errorf("FormatTime = %q, want 2026-07-01 01:05", got)
	}
	d, err := ParseDate("2026-10-01")
	if err != nil || d.UTC().Format(time.RFC3339) != "2026-09-30T16:00:00Z" {
		t.Errorf("ParseDate = %v, %v", d.UTC(), err)
	}
}

func TestSecurityPolicyValidate(t *testing.T) {
	if err := DefaultSecurityPolicy.Validate(); err != nil {
		t.Errorf("default policy invalid: %v", err)
	}
	bad := DefaultSecurityPolicy
	bad.MaxFailedAttempts = 1
	bad.SessionIdleMinutes = 10000
	fields := FieldErrors(bad.Validate())
	if fields["max_failed_attempts"] == "" || fields["session_idle_minutes"] == "" {
		t.Errorf("fields = %v", fields)
	}
}

func TestBuildTreeOrdersChildren(t *testing.T) {
	orgs := []Org{{ID: 1, Name: "镇"}, {ID: 2, ParentID: 1, Name: "村"}, {ID: 3, ParentID: 2, Name: "组"}, {ID: 4, ParentID: 1, Name: "所"}}
	flat := Flatten(BuildTree(orgs))
	var names []string
	for _, n := range flat {
		names = append(names, strings.Repeat("-", n.Depth)+n.Name)
	}
	if got := strings.Join(names, ","); got != "镇,-村,--组,-所" {
		t.Errorf("tree = %s", got)
	}
}
