package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"pingan/internal/domain"
)

// Setting returns the value of a town's setting, or def when it is not set.
func (db *DB) Setting(ctx context.Context, townID int64, key, def string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE town_id = $1 AND key = $2`, townID, key).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, err
}

// Settings returns every setting of a town.
func (db *DB) Settings(ctx context.Context, townID int64) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT key, value FROM settings WHERE town_id = $1`, townID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (db *DB) putSetting(ctx context.Context, q querier, townID int64, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (town_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (town_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		townID, key, value, db.now())
	return err
}

// PutSettingTx stores one setting of a town inside a caller's transaction.
func (db *DB) PutSettingTx(ctx context.Context, q querier, townID int64, key, value string) error {
	return db.putSetting(ctx, q, townID, key, value)
}

// SiteSettings returns the site settings of a town, with defaults for what is not set.
func (db *DB) SiteSettings(ctx context.Context, townID int64) (domain.SiteSettings, error) {
	m, err := db.Settings(ctx, townID)
	if err != nil {
		return domain.SiteSettings{}, err
	}
	s := domain.SiteSettings{
		SiteName:       m[domain.SettingSiteName],
		Motto:          m[domain.SettingMotto],
		Contact:        m[domain.SettingContact],
		ICPNumber:      m[domain.SettingICP],
		PublicSecurity: m[domain.SettingPublicSecurity],
		SiteCode:       m[domain.SettingSiteCode],
		Copyright:      m[domain.SettingCopyright],
		Mourning:       m[domain.SettingMourning] == "1",
	}
	if s.SiteName == "" {
		s.SiteName = "平安网"
	}
	return s, nil
}

// SaveSiteSettings validates and stores the site settings of the actor's town and audits it.
func (db *DB) SaveSiteSettings(ctx context.Context, actor domain.Actor, s domain.SiteSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	mourning := "0"
	if s.Mourning {
		mourning = "1"
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{
			domain.SettingSiteName: s.SiteName, domain.SettingMotto: s.Motto, domain.SettingContact: s.Contact,
			domain.SettingICP: s.ICPNumber, domain.SettingPublicSecurity: s.PublicSecurity, domain.SettingSiteCode: s.SiteCode,
			domain.SettingCopyright: s.Copyright, domain.SettingMourning: mourning,
		} {
			if err := db.putSetting(ctx, tx, actor.TownID, k, v); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "settings.update", "settings", actor.TownID, domain.OutcomeSuccess, s.SiteName))
	})
}

const settingSecurityPolicy = "security_policy"

// SecurityPolicy returns the security policy of a town, or the default when none is stored.
func (db *DB) SecurityPolicy(ctx context.Context, townID int64) (domain.SecurityPolicy, error) {
	v, err := db.Setting(ctx, townID, settingSecurityPolicy, "")
	if err != nil || v == "" {
		return domain.DefaultSecurityPolicy, err
	}
	p := domain.DefaultSecurityPolicy
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return domain.DefaultSecurityPolicy, nil
	}
	return p, nil
}

// SaveSecurityPolicy validates and stores the security policy of the actor's town and audits it.
func (db *DB) SaveSecurityPolicy(ctx context.Context, actor domain.Actor, p domain.SecurityPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(p)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.putSetting(ctx, tx, actor.TownID, settingSecurityPolicy, string(b)); err != nil {
			return err
		}
		detail := "密码最短 " + strconv.Itoa(p.MinPasswordLength) + " 位，有效期 " + strconv.Itoa(p.PasswordMaxAgeDays) +
			" 天，失败 " + strconv.Itoa(p.MaxFailedAttempts) + " 次锁定 " + strconv.Itoa(p.LockoutMinutes) + " 分钟"
		return db.appendAudit(ctx, tx, auditFor(actor, "security.policy", "settings", actor.TownID, domain.OutcomeSuccess, detail))
	})
}
