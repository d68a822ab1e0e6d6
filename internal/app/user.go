package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/store"
)

const userUsage = `Usage:
  pingan user add --username NAME --name 姓名 --org 组织名称 [--role ROLE,...] [--phone 手机] [--data DIR]
  pingan user passwd USERNAME [--data DIR]
  pingan user unlock USERNAME [--data DIR]

add and passwd read the password from standard input (one line); the account must change it at
its next sign-in. Roles: ` + "system_admin, security_admin, audit_admin, editor, dispatcher, coordinator,\nmoderator, agent, unit_handler, reporter, grid_worker.\n"

// cliActor is the actor recorded in the audit trail for changes made from the shell.
func cliActor(townID int64) domain.Actor {
	return domain.Actor{TownID: townID, Name: "命令行（服务器本机）", IP: "local"}
}

func runUser(ctx context.Context, args []string, cio IO) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(cio.Stderr, userUsage)
		return usageError{"user: missing action: add, passwd or unlock"}
	}
	action, args := args[0], args[1:]
	fs := newFlags("user "+action, cio)
	finish := config.Flags(fs, cio.Env)
	var username, name, orgName, roles, phone string
	if action == "add" {
		fs.StringVar(&username, "username", "", "user name: 3–32 lower-case letters, digits, _ . -")
		fs.StringVar(&name, "name", "", "display name (姓名)")
		fs.StringVar(&orgName, "org", "", "name of the organization the account belongs to")
		fs.StringVar(&roles, "role", "", "comma-separated roles")
		fs.StringVar(&phone, "phone", "", "mobile number")
	}
	// Accept the username before or after the flags.
	var positional []string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		positional, args = args[:1], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	positional = append(positional, fs.Args()...)
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	if action != "add" {
		if len(positional) != 1 {
			fmt.Fprint(cio.Stderr, userUsage)
			return usageError{"user " + action + ": give exactly one username"}
		}
		username = positional[0]
	}
	switch action {
	case "add", "passwd", "unlock":
	default:
		fmt.Fprint(cio.Stderr, userUsage)
		return usageError{fmt.Sprintf("user: unknown action %q", action)}
	}

	e, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()

	switch action {
	case "add":
		return userAdd(ctx, e, cio, username, name, orgName, roles, phone)
	case "passwd":
		id, town, err := e.db.AccountIDByUsername(ctx, username)
		if err != nil {
			return usageError{domain.UserMessage(err)}
		}
		pw, err := readPassword(cio, e, town, username)
		if err != nil {
			return err
		}
		hash, err := e.hasher.Hash(ctx, pw)
		if err != nil {
			return err
		}
		if err := e.db.ResetPassword(ctx, cliActor(town), id, hash); err != nil {
			return err
		}
		fmt.Fprintf(cio.Stdout, "已为 %s 设置新密码，并解除锁定；该账号下次登录须修改密码。\n", username)
	case "unlock":
		id, town, err := e.db.AccountIDByUsername(ctx, username)
		if err != nil {
			return usageError{domain.UserMessage(err)}
		}
		if err := e.db.Unlock(ctx, cliActor(town), id); err != nil {
			return err
		}
		fmt.Fprintf(cio.Stdout, "已解锁 %s。\n", username)
	}
	return nil
}

func userAdd(ctx context.Context, e *env, cio IO, username, name, orgName, roleList, phone string) error {
	towns, err := e.db.Towns(ctx)
	if err != nil {
		return err
	}
	var org domain.Org
	found := 0
	for _, t := range towns {
		orgs, err := e.db.TownOrgs(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.Name == orgName {
				org = o
				found++
			}
		}
	}
	switch found {
	case 0:
		return usageError{fmt.Sprintf("找不到组织“%s”，请用 --org 给出已有组织的完整名称", orgName)}
	case 1:
	default:
		return usageError{fmt.Sprintf("有 %d 个组织名为“%s”，请先在后台改名区分", found, orgName)}
	}
	var roles []domain.Role
	for _, s := range strings.Split(roleList, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		r, ok := domain.ParseRole(s)
		if !ok {
			return usageError{fmt.Sprintf("未知的角色 %q", s)}
		}
		roles = append(roles, r)
	}
	pw, err := readPassword(cio, e, org.TownID, username)
	if err != nil {
		return err
	}
	hash, err := e.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	_, err = e.db.CreateAccount(ctx, cliActor(org.TownID), store.NewAccount{PasswordHash: hash, Account: domain.Account{
		OrgID: org.ID, Username: username, DisplayName: name, Phone: phone, Roles: roles, MustChangePassword: true,
	}})
	if k := domain.ErrorKind(err); k == domain.KindInvalid || k == domain.KindConflict {
		return usageError{domain.UserMessage(err) + " " + fieldList(domain.FieldErrors(err))}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cio.Stdout, "已建立账号 %s（%s，%s）；首次登录须修改密码。\n", username, name, org.Name)
	return nil
}

func fieldList(m map[string]string) string {
	var parts []string
	for _, v := range m {
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

// readPassword reads one line from standard input and checks it against the town's policy.
func readPassword(cio IO, e *env, townID int64, username string) (string, error) {
	line, err := bufio.NewReader(cio.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{"请从标准输入提供密码，例如：echo '新密码' | pingan user passwd 用户名"}
	}
	policy, err := e.db.SecurityPolicy(context.Background(), townID)
	if err != nil {
		return "", err
	}
	if msg := policy.CheckPassword(pw, username); msg != "" {
		return "", usageError{msg}
	}
	return pw, nil
}
