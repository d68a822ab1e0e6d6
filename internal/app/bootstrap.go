package app

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"time"

	"pingan/internal/domain"
	"pingan/internal/jobs"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/web"
)

// bootstrapAdmins are the three administrators a new installation starts with.
var bootstrapAdmins = []struct {
	username, name string
	role           domain.Role
}{
	{"sysadmin", "系统管理员", domain.RoleSystemAdmin},
	{"secadmin", "安全管理员", domain.RoleSecurityAdmin},
	{"auditadmin", "审计管理员", domain.RoleAuditAdmin},
}

// bootstrap creates a town with its governance center and the three administrators, each with
// a random one-time password that is printed once and must be changed at the first sign-in.
// There is no fixed default password.
func bootstrap(ctx context.Context, e *env, out io.Writer) error {
	type issued struct{ username, name, password string }
	var list []issued
	actor := domain.Actor{Name: "系统初始化", IP: "local"}
	err := e.db.Tx(ctx, func(tx *sql.Tx) error {
		town, err := e.db.CreateRootOrg(ctx, tx, domain.Org{Kind: domain.OrgTown, Name: "本镇"})
		if err != nil {
			return err
		}
		actor.TownID = town
		now := time.Now().UTC()
		center, err := insertChildOrg(ctx, e.db, tx, town, domain.OrgCenter, "综治工作中心", now)
		if err != nil {
			return err
		}
		for _, a := range bootstrapAdmins {
			pw := password.Generate(16)
			hash, err := e.hasher.Hash(ctx, pw)
			if err != nil {
				return err
			}
			if _, err := e.db.CreateAccountTx(ctx, tx, actor, store.NewAccount{PasswordHash: hash, Account: domain.Account{
				OrgID: center, Username: a.username, DisplayName: a.name, Roles: []domain.Role{a.role}, MustChangePassword: true,
			}}); err != nil {
				return err
			}
			list = append(list, issued{a.username, a.name, pw})
		}
		return e.db.AppendAuditTx(ctx, tx, store.AuditFor(actor, "system.init", "org", town, domain.OutcomeSuccess, "新建镇（街道）和三位管理员"))
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "首次启动：已建立三位管理员账号。以下一次性密码只显示这一次，请立即登录并修改：")
	for _, a := range list {
		fmt.Fprintf(out, "  %-12s %-8s 一次性密码：%s\n", a.username, a.name, a.password)
	}
	fmt.Fprintln(out, "系统管理员登录后，请在“组织机构”中把“本镇”改为本镇（街道）的名称，并在“站点设置”中填写站点名称和备案号。")
	return nil
}

func insertChildOrg(ctx context.Context, db *store.DB, tx *sql.Tx, parent int64, kind domain.OrgKind, name string, _ time.Time) (int64, error) {
	return db.CreateOrgTx(ctx, tx, domain.Actor{TownID: parent, Name: "系统初始化"}, domain.Org{ParentID: parent, Kind: kind, Name: name})
}

// registerJobs adds the scheduled work of the foundation (expired sessions, old audit records)
// and of public service (overdue case reminders, used captchas). The job publishes the
// reminders to the bells of open browsers.
func registerJobs(r *jobs.Runner, e *env, srv *web.Server, log *slog.Logger) {
	r.Add(jobs.Job{Name: "cases.remind_overdue", Every: time.Hour, Run: func(ctx context.Context) error {
		list, err := e.db.RemindOverdue(ctx)
		for _, o := range list {
			srv.PublishNotifications(ctx, o.Notifications)
		}
		if err == nil && len(list) > 0 {
			log.Info("overdue case reminders recorded", "count", len(list))
		}
		return err
	}})
	r.Add(jobs.Job{Name: "captchas.purge", Every: 6 * time.Hour, Run: func(ctx context.Context) error {
		_, err := e.db.PurgeCaptchas(ctx)
		return err
	}})
	r.Add(jobs.Job{Name: "sessions.cleanup", Every: time.Hour, Run: func(ctx context.Context) error {
		n, err := e.db.DeleteExpiredSessions(ctx, 8*time.Hour)
		if err == nil && n > 0 {
			log.Info("expired sessions deleted", "count", n)
		}
		return err
	}})
	r.Add(jobs.Job{Name: "audit.purge", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		n, err := e.db.PurgeAudit(ctx, e.cfg.AuditRetentionDays)
		if err == nil && n > 0 {
			log.Info("old audit records purged", "count", n, "retention_days", e.cfg.AuditRetentionDays)
		}
		return err
	}})
}
