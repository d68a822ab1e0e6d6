// Package demo builds the demo town 高桥镇 of 桐乡市, 浙江省: its organization tree, one account
// per role and the site settings, so that a newcomer sees a living system. Feature areas add
// their records through Steps.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/store"
)

// Options configure Load.
type Options struct {
	DataDir string
	// Until is the last day of the demo's six months; its records fall in the half year before.
	Until time.Time
	Out   io.Writer
	// Steps add the records of feature areas, in order, after the organizations and accounts.
	Steps []Step
	// Files stores the bytes of the demo's uploaded files, such as article attachments.
	Files files.Storage
}

// Town is the demo town as Load built it: the ids that the steps of feature areas and tests need.
type Town struct {
	TownID   int64
	CenterID int64
	Orgs     map[string]int64 // by name
	Accounts []Account
	From     time.Time // first day of the period, Beijing time
	Until    time.Time // last day of the period, Beijing time
	// Files stores file bytes; steps write outside the load transaction, so a failed load may
	// leave unreferenced files behind.
	Files files.Storage
}

// Account is a demo account with its password.
type Account struct {
	Username string
	Name     string
	OrgName  string
	Roles    []domain.Role
	Password string
	ID       int64
}

// Step adds one feature area's records to the demo town inside the load transaction.
type Step func(ctx context.Context, tx *sql.Tx, db *store.DB, town *Town) error

// ErrNotEmpty reports that the database already holds data.
var ErrNotEmpty = errors.New("data folder already holds data")

type orgSpec struct {
	name   string
	kind   domain.OrgKind
	parent string // "" for the town
}

// orgTree is the demo town's organization tree, parents before children.
var orgTree = []orgSpec{
	{"高桥镇综治工作中心", domain.OrgCenter, ""},
	{"信访办", domain.OrgDepartment, ""},
	{"司法所", domain.OrgDepartment, ""},
	{"安监站", domain.OrgDepartment, ""},
	{"交管站", domain.OrgDepartment, ""},
	{"禁毒办", domain.OrgDepartment, ""},
	{"新居民事务所", domain.OrgDepartment, ""},
	{"保安队", domain.OrgDepartment, ""},
	{"高桥派出所", domain.OrgDepartment, ""},
	{"生态环境办", domain.OrgDepartment, ""},
	{"越丰村", domain.OrgVillage, ""},
	{"高桥村", domain.OrgVillage, ""},
	{"骑力村", domain.OrgVillage, ""},
	{"南日村", domain.OrgVillage, ""},
	{"三门村", domain.OrgVillage, ""},
	{"亭桥村", domain.OrgVillage, ""},
	{"永丰村", domain.OrgVillage, ""},
	{"新联村", domain.OrgVillage, ""},
	{"高桥社区", domain.OrgVillage, ""},
	{"大桥社区", domain.OrgVillage, ""},
	{"扶国桥组", domain.OrgVillageGroup, "越丰村"},
	{"沈家浜组", domain.OrgVillageGroup, "越丰村"},
	{"越丰村第一网格", domain.OrgGrid, "扶国桥组"},
	{"越丰村第二网格", domain.OrgGrid, "沈家浜组"},
	{"高桥村第一网格", domain.OrgGrid, "高桥村"},
	{"高桥社区第一网格", domain.OrgGrid, "高桥社区"},
	{"越丰村人民调解委员会", domain.OrgMediation, "越丰村"},
	{"高桥村人民调解委员会", domain.OrgMediation, "高桥村"},
	{"高桥镇人民调解委员会", domain.OrgMediation, ""},
	{"桐乡市高桥中学", domain.OrgSchool, ""},
	{"浙江高桥新材料有限公司", domain.OrgEnterprise, ""},
	{"高桥镇平安志愿者服务队", domain.OrgVolunteerTeam, ""},
}

// accountSpecs are one account per role, plus a second unit handler for cases with two units.
var accountSpecs = []struct {
	username, name, org string
	roles               []domain.Role
}{
	{"admin", "陈建国", "高桥镇综治工作中心", []domain.Role{domain.RoleSystemAdmin}},
	{"security", "沈丽华", "高桥镇综治工作中心", []domain.Role{domain.RoleSecurityAdmin}},
	{"auditor", "吴志强", "高桥镇综治工作中心", []domain.Role{domain.RoleAuditAdmin}},
	{"editor", "钱晓燕", "高桥镇综治工作中心", []domain.Role{domain.RoleEditor}},
	{"dispatcher", "周文斌", "高桥镇综治工作中心", []domain.Role{domain.RoleDispatcher}},
	{"coordinator", "朱海英", "高桥镇综治工作中心", []domain.Role{domain.RoleCoordinator}},
	{"moderator", "徐佳琪", "高桥镇综治工作中心", []domain.Role{domain.RoleModerator}},
	{"agent", "孙梦婷", "高桥镇综治工作中心", []domain.Role{domain.RoleAgent}},
	{"police", "李振华", "高桥派出所", []domain.Role{domain.RoleUnitHandler}},
	{"judicial", "王秀英", "司法所", []domain.Role{domain.RoleUnitHandler}},
	{"ecology", "蒋国平", "生态环境办", []domain.Role{domain.RoleUnitHandler}},
	{"yuefeng", "张卫东", "越丰村", []domain.Role{domain.RoleReporter}},
	{"gaoqiao", "沈建明", "高桥村", []domain.Role{domain.RoleReporter}},
	{"grid", "姚春芳", "越丰村第一网格", []domain.Role{domain.RoleGridWorker}},
}

// Load builds the demo town in an empty database, in one transaction, prints the accounts with
// their passwords and writes them to demo-accounts.txt (mode 0600) in the data folder. It returns
// ErrNotEmpty, wrapped with a Chinese message, when the database already holds data.
func Load(ctx context.Context, db *store.DB, hasher *password.Hasher, opt Options) (*Town, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, fmt.Errorf("%w: 数据目录 %s 中已有数据，演示数据只能载入空的数据目录；请换一个新的目录，例如 --data ./demo-data", ErrNotEmpty, opt.DataDir)
	}
	if opt.Until.IsZero() {
		opt.Until = time.Now()
	}
	until := opt.Until.In(domain.Shanghai)
	until = time.Date(until.Year(), until.Month(), until.Day(), 0, 0, 0, 0, domain.Shanghai)
	town := &Town{Orgs: map[string]int64{}, Until: until, From: until.AddDate(0, -6, 1), Files: opt.Files}

	// Hash outside the transaction: each hash takes tens of milliseconds.
	type prepared struct {
		pw, hash string
	}
	hashes := make([]prepared, len(accountSpecs))
	for i := range accountSpecs {
		pw := password.Generate(12)
		h, err := hasher.Hash(ctx, pw)
		if err != nil {
			return nil, err
		}
		hashes[i] = prepared{pw, h}
	}

	err = db.Tx(ctx, func(tx *sql.Tx) error {
		county, err := db.CreateRootOrg(ctx, tx, domain.Org{Kind: domain.OrgCounty, Name: "桐乡市"})
		if err != nil {
			return err
		}
		townID, err := db.CreateRootOrg(ctx, tx, domain.Org{Kind: domain.OrgTown, Name: "高桥镇", ParentID: county})
		if err != nil {
			return err
		}
		town.TownID = townID
		town.Orgs["高桥镇"] = townID
		actor := domain.Actor{TownID: townID, Name: "演示数据", IP: "local"}
		for i, o := range orgTree {
			parent := townID
			if o.parent != "" {
				parent = town.Orgs[o.parent]
			}
			id, err := db.CreateOrgTx(ctx, tx, actor, domain.Org{ParentID: parent, Kind: o.kind, Name: o.name, SortOrder: (i + 1) * 10})
			if err != nil {
				return fmt.Errorf("org %s: %w", o.name, err)
			}
			town.Orgs[o.name] = id
		}
		town.CenterID = town.Orgs["高桥镇综治工作中心"]
		for i, a := range accountSpecs {
			id, err := db.CreateAccountTx(ctx, tx, actor, store.NewAccount{PasswordHash: hashes[i].hash, Account: domain.Account{
				OrgID: town.Orgs[a.org], Username: a.username, DisplayName: a.name, Roles: a.roles,
				Phone: fmt.Sprintf("1390573%04d", 1001+i),
			}})
			if err != nil {
				return fmt.Errorf("account %s: %w", a.username, err)
			}
			town.Accounts = append(town.Accounts, Account{Username: a.username, Name: a.name, OrgName: a.org, Roles: a.roles, Password: hashes[i].pw, ID: id})
		}
		settings := map[string]string{
			domain.SettingSiteName: "平安高桥网", domain.SettingMotto: "联接大众，共创平安",
			domain.SettingContact: "高桥镇综治工作中心 0573-8800 0000（演示号码）",
			domain.SettingICP:     "浙ICP备00000000号-1（演示）", domain.SettingPublicSecurity: "浙公网安备 33048302000000号（演示）",
			domain.SettingSiteCode: "3304830000", domain.SettingCopyright: "版权所有：桐乡市高桥镇综治工作中心（演示站点）",
		}
		for k, v := range settings {
			if err := db.PutSettingTx(ctx, tx, townID, k, v); err != nil {
				return err
			}
		}
		for _, step := range opt.Steps {
			if err := step(ctx, tx, db, town); err != nil {
				return err
			}
		}
		if err := db.SetMeta(ctx, tx, "demo_until", domain.FormatDate(until)); err != nil {
			return err
		}
		return db.AppendAuditTx(ctx, tx, store.AuditFor(actor, "demo.load", "org", townID, domain.OutcomeSuccess, "载入演示镇：高桥镇"))
	})
	if err != nil {
		return nil, err
	}
	if err := writeAccounts(opt, town); err != nil {
		return nil, err
	}
	return town, nil
}

func writeAccounts(opt Options, town *Town) error {
	var b strings.Builder
	fmt.Fprintln(&b, "演示镇“高桥镇”已载入。演示账号（每次载入随机生成密码）：")
	fmt.Fprintf(&b, "  %-12s %-16s %-8s %-20s %s\n", "用户名", "密码", "姓名", "所属组织", "角色")
	for _, a := range town.Accounts {
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = r.Label()
		}
		fmt.Fprintf(&b, "  %-12s %-16s %-8s %-20s %s\n", a.Username, a.Password, a.Name, a.OrgName, strings.Join(roles, "、"))
	}
	path := filepath.Join(opt.DataDir, "demo-accounts.txt")
	fmt.Fprintf(&b, "演示数据的统计期间：%s 至 %s。查看统计：\n  pingan stats --data %s --from %s --to %s --json\n",
		domain.FormatDate(town.From), domain.FormatDate(town.Until), opt.DataDir, domain.FormatDate(town.From), domain.FormatDate(town.Until))
	if opt.Out != nil {
		fmt.Fprint(opt.Out, b.String())
		fmt.Fprintf(opt.Out, "以上账号和密码也已写入 %s（仅本机管理员可读）。\n", path)
	}
	if opt.DataDir == "" {
		return nil
	}
	if err := os.MkdirAll(opt.DataDir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}
