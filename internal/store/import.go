package store

import (
	"context"
	"database/sql"
	"fmt"

	"pingan/internal/domain"
)

// ImportOrg is one organization row of an import sheet; the parent is named, not numbered.
type ImportOrg struct {
	Row        int
	Org        domain.Org
	ParentName string
}

// ImportAccount is one account row of an import sheet; the organization is named.
type ImportAccount struct {
	Row          int
	Account      domain.Account
	OrgName      string
	PasswordHash string
}

// ImportError lists the problems of an import by sheet row; nothing was stored.
type ImportError struct {
	Rows []string
}

func (e *ImportError) Error() string { return fmt.Sprintf("import rejected: %d problems", len(e.Rows)) }

// Import adds organizations (in sheet order, so a parent may come earlier in the same sheet) and
// then accounts, in one transaction: either every row is stored or none is. Names resolve
// within the actor's town and must be unique there.
func (db *DB) Import(ctx context.Context, actor domain.Actor, orgs []ImportOrg, accounts []ImportAccount) (int, int, error) {
	var problems []string
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		existing, err := db.listOrgsTx(ctx, tx, actor)
		if err != nil {
			return err
		}
		byName := map[string][]domain.Org{}
		for _, o := range existing {
			byName[o.Name] = append(byName[o.Name], o)
		}
		resolve := func(row int, sheet, name string) (domain.Org, bool) {
			list := byName[name]
			switch len(list) {
			case 0:
				problems = append(problems, fmt.Sprintf("%s第 %d 行：找不到组织“%s”。", sheet, row, name))
				return domain.Org{}, false
			case 1:
				return list[0], true
			default:
				problems = append(problems, fmt.Sprintf("%s第 %d 行：有多个组织名为“%s”，请先改名区分。", sheet, row, name))
				return domain.Org{}, false
			}
		}
		for _, io := range orgs {
			o := io.Org
			if err := domain.ValidateOrg(&o); err != nil {
				problems = append(problems, rowProblem("组织表", io.Row, err))
				continue
			}
			parent, ok := resolve(io.Row, "组织表", io.ParentName)
			if !ok {
				continue
			}
			if !domain.CanParent(parent.Kind, o.Kind) {
				problems = append(problems, fmt.Sprintf("组织表第 %d 行：%s下不能设%s。", io.Row, parent.Kind.Label(), o.Kind.Label()))
				continue
			}
			if len(byName[o.Name]) > 0 {
				problems = append(problems, fmt.Sprintf("组织表第 %d 行：已有名为“%s”的组织。", io.Row, o.Name))
				continue
			}
			now := db.now()
			id, err := insertID(ctx, tx, `INSERT INTO orgs (town_id, parent_id, kind, name, code, sort_order, contact, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
				parent.TownID, parent.ID, string(o.Kind), o.Name, o.Code, o.SortOrder, o.Contact, now, now)
			if err != nil {
				return err
			}
			o.ID, o.TownID, o.ParentID = id, parent.TownID, parent.ID
			byName[o.Name] = append(byName[o.Name], o)
		}
		seen := map[string]int{}
		for _, ia := range accounts {
			org, ok := resolve(ia.Row, "账号表", ia.OrgName)
			if !ok {
				continue
			}
			a := ia.Account
			a.OrgID = org.ID
			a.Phone = NormalizeMobile(a.Phone)
			if err := domain.ValidateAccount(&a); err != nil {
				problems = append(problems, rowProblem("账号表", ia.Row, err))
				continue
			}
			if prev, dup := seen[a.Username]; dup {
				problems = append(problems, fmt.Sprintf("账号表第 %d 行：用户名“%s”与第 %d 行重复。", ia.Row, a.Username, prev))
				continue
			}
			seen[a.Username] = ia.Row
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE username = $1`, a.Username).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				problems = append(problems, fmt.Sprintf("账号表第 %d 行：用户名“%s”已被占用。", ia.Row, a.Username))
				continue
			}
			if len(problems) > 0 {
				continue // keep checking rows, but write nothing more once something is wrong
			}
			if _, err := db.createAccount(ctx, tx, actor, NewAccount{Account: a, PasswordHash: ia.PasswordHash}); err != nil {
				return err
			}
		}
		if len(problems) > 0 {
			return &ImportError{Rows: problems}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "account.import", "import", 0, domain.OutcomeSuccess,
			fmt.Sprintf("导入组织 %d 个、账号 %d 个", len(orgs), len(accounts))))
	})
	if err != nil {
		return 0, 0, err
	}
	return len(orgs), len(accounts), nil
}

func rowProblem(sheet string, row int, err error) string {
	msg := domain.UserMessage(err)
	for _, m := range domain.FieldErrors(err) {
		msg = m
		break
	}
	return fmt.Sprintf("%s第 %d 行：%s", sheet, row, msg)
}

func (db *DB) listOrgsTx(ctx context.Context, q querier, actor domain.Actor) ([]domain.Org, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE town_id = $1 ORDER BY sort_order, id`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
