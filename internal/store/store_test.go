package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := store.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i, lite[i].Name, pg[i].Name)
		}
		if lite[i].Version != i+1 {
			t.Errorf("migration %s: want version %d", lite[i].Name, i+1)
		}
	}
}

// seedTown creates a town with a center and returns an actor of the town.
func seedTown(t *testing.T, db *store.DB, name string) (domain.Actor, int64) {
	t.Helper()
	ctx := context.Background()
	town, err := db.CreateRootOrg(ctx, nil, domain.Org{Kind: domain.OrgTown, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	actor := domain.Actor{TownID: town, Name: "tester", IP: "127.0.0.1"}
	center, err := db.CreateOrg(ctx, actor, domain.Org{ParentID: town, Kind: domain.OrgCenter, Name: "综治工作中心"})
	if err != nil {
		t.Fatal(err)
	}
	return actor, center
}

func TestOrgTreeScopedToTown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, _ := seedTown(t, db, "高桥镇")
		b, _ := seedTown(t, db, "石门镇")
		village, err := db.CreateOrg(ctx, a, domain.Org{ParentID: a.TownID, Kind: domain.OrgVillage, Name: "越丰村"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateOrg(ctx, a, domain.Org{ParentID: village, Kind: domain.OrgVillageGroup, Name: "扶国桥组"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetOrg(ctx, b, village); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("other town reads village: err = %v, want not found", err)
		}
		if _, err := db.CreateOrg(ctx, a, domain.Org{ParentID: a.TownID, Kind: domain.OrgVillage, Name: "越丰村"}); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("duplicate sibling name: err = %v, want conflict", err)
		}
		if _, err := db.CreateOrg(ctx, a, domain.Org{ParentID: village, Kind: domain.OrgTown, Name: "错层"}); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("town under village: err = %v, want invalid", err)
		}
		if _, err := db.CreateOrg(ctx, b, domain.Org{ParentID: village, Kind: domain.OrgGrid, Name: "越界网格"}); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("child under other town's org: err = %v, want invalid", err)
		}
		orgs, err := db.ListOrgs(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if len(orgs) != 4 {
			t.Errorf("town a has %d orgs, want 4", len(orgs))
		}
		if err := db.DeleteOrg(ctx, a, village); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("delete village with a group: err = %v, want conflict", err)
		}
	})
}

func TestAccountPhoneEncryptedAndSearchable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		actor, center := seedTown(t, db, "高桥镇")
		id, err := db.CreateAccount(ctx, actor, store.NewAccount{
			Account:      domain.Account{OrgID: center, Username: "editor1", DisplayName: "王编辑", Phone: "138 0000 1234", Roles: []domain.Role{domain.RoleEditor}},
			PasswordHash: "x",
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.GetAccount(ctx, actor, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Phone != "13800001234" || len(a.Roles) != 1 || a.Roles[0] != domain.RoleEditor {
			t.Errorf("account = %+v", a)
		}
		var raw string
		if err := db.SQL().QueryRowContext(ctx, `SELECT phone_enc FROM accounts WHERE id = $1`, id).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "13800001234") || !strings.HasPrefix(raw, "pii1.a256gcm.k1.") {
			t.Errorf("stored phone = %q, want an envelope", raw)
		}
		list, total, err := db.ListAccounts(ctx, actor, store.AccountFilter{Query: "王"})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("search 王: %d accounts, total %d, err %v", len(list), total, err)
		}
		for _, q := range []string{"%", "_"} {
			if _, total, err := db.ListAccounts(ctx, actor, store.AccountFilter{Query: q}); err != nil || total != 0 {
				t.Errorf("search %q: total %d, err %v; wildcards must match literally", q, total, err)
			}
		}
		if _, err := db.CreateAccount(ctx, actor, store.NewAccount{
			Account: domain.Account{OrgID: center, Username: "editor1", DisplayName: "重名", Roles: []domain.Role{domain.RoleEditor}}, PasswordHash: "x",
		}); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("duplicate username: err = %v, want conflict", err)
		}
	})
}

func TestRolesSeparationOfDuties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		actor, center := seedTown(t, db, "高桥镇")
		id, err := db.CreateAccount(ctx, actor, store.NewAccount{
			Account: domain.Account{OrgID: center, Username: "sec1", DisplayName: "安全员", Roles: []domain.Role{domain.RoleSecurityAdmin}}, PasswordHash: "x",
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.SetRoles(ctx, actor, id, []domain.Role{domain.RoleSecurityAdmin, domain.RoleAuditAdmin})
		if domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("two admin roles: err = %v, want invalid", err)
		}
		err = db.SetRoles(ctx, actor, id, []domain.Role{domain.RoleSystemAdmin, domain.RoleEditor})
		if domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("admin with working role: err = %v, want invalid", err)
		}
		if err := db.SetRoles(ctx, actor, id, []domain.Role{domain.RoleEditor, domain.RoleDispatcher}); err != nil {
			t.Errorf("two working roles: %v", err)
		}
		a, _ := db.GetAccount(ctx, actor, id)
		if len(a.Roles) != 2 {
			t.Errorf("roles = %v, want 2", a.Roles)
		}
	})
}

func TestLockoutAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		actor, center := seedTown(t, db, "高桥镇")
		id, _ := db.CreateAccount(ctx, actor, store.NewAccount{
			Account: domain.Account{OrgID: center, Username: "user1", DisplayName: "甲", Roles: []domain.Role{domain.RoleEditor}}, PasswordHash: "x",
		})
		c, err := db.CredentialsByUsername(ctx, "user1")
		if err != nil || c.Account.ID != id {
			t.Fatalf("credentials: %v", err)
		}
		var locked bool
		for i := 0; i < 3; i++ {
			locked, err = db.RecordSignInFailure(ctx, c.Account, "10.0.0.1", 3, 15*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
		}
		if !locked {
			t.Error("third failure did not lock the account")
		}
		c, _ = db.CredentialsByUsername(ctx, "user1")
		if !c.Account.LockedAt(db.Now()) {
			t.Errorf("locked_until = %v, want in the future", c.Account.LockedUntil)
		}
		entries, total, err := db.ListAudit(ctx, actor, domain.AuditFilter{ObjectType: "account", ObjectID: idStr(id)}, store.Page{Number: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var failed, lockedEntries int
		for _, e := range entries {
			switch e.Action {
			case "auth.sign_in_failed":
				failed++
			case "auth.locked":
				lockedEntries++
			}
		}
		if failed != 3 || lockedEntries != 1 || total != 5 {
			t.Errorf("audit: %d failures, %d locks, %d in all; want 3, 1, 5", failed, lockedEntries, total)
		}
	})
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func TestAuditAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		actor, _ := seedTown(t, db, "高桥镇")
		if err := db.AppendAudit(ctx, store.AuditFor(actor, "test.action", "x", 1, domain.OutcomeSuccess, "")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, `UPDATE audit_log SET detail = 'changed'`); err == nil {
			t.Error("update of audit_log succeeded; want it refused")
		}
		if _, err := db.SQL().ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
			t.Error("delete of a fresh audit record succeeded; want it refused")
		}
		if n, err := db.PurgeAudit(ctx, 190); err != nil || n != 0 {
			t.Errorf("purge: %d rows, err %v; want 0 rows", n, err)
		}
	})
}

func TestJobClaimedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.EnsureJob(ctx, "j", time.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		results := make(chan bool, 8)
		for i := 0; i < 8; i++ {
			go func(i int) {
				ok, err := db.ClaimJob(ctx, "j", "owner"+string(rune('a'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				results <- ok
			}(i)
		}
		won := 0
		for i := 0; i < 8; i++ {
			if <-results {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d claims succeeded, want exactly 1", won)
		}
	})
}

func TestSQLiteFileHasNoPlainPhone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pingan.db")
	db, err := store.Open(context.Background(), store.Options{SQLitePath: path, Keys: storetest.Keys(t)})
	if err != nil {
		t.Fatal(err)
	}
	actor, center := seedTown(t, db, "高桥镇")
	if _, err := db.CreateAccount(context.Background(), actor, store.NewAccount{
		Account: domain.Account{OrgID: center, Username: "agent1", DisplayName: "乙", Phone: "13912345678", Roles: []domain.Role{domain.RoleAgent}}, PasswordHash: "x",
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, name := range []string{"pingan.db", "pingan.db-wal"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if strings.Contains(string(data), "13912345678") {
			t.Errorf("%s contains the mobile number in plain text", name)
		}
	}
}
