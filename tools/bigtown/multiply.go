package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// copiedTables are the record tables that the generator copies, parents before children. The
// organizations, accounts, columns, topics, templates, channels, settings and files of the demo
// town are not copied: every copy points at the same ones. Notifications (per-account bells
// numbered per account), captchas, sessions and coord_attachments (whose owner is a type and
// an id without a foreign key) are not copied either.
var copiedTables = []tableSpec{
	{name: "articles"},
	{name: "article_topics"},
	{name: "article_events"},
	{name: "article_views_daily"},
	{name: "article_attachments"},
	{name: "notices"},
	{name: "notice_recipients"},
	{name: "notice_reads"},
	{name: "notice_feedback"},
	{name: "report_assignments"},
	{name: "report_assignment_orgs"},
	{name: "report_submissions"},
	{name: "report_values"},
	{name: "report_events"},
	{name: "info_reports"},
	{name: "pending_articles"},
	{name: "inquiries"},
	{name: "wg_messages", seq: "seq"},
	{name: "wg_mentions"},
	{name: "board_posts", unique: []string{"query_code_hash", "submit_token"}},
	{name: "board_post_files"},
	{name: "board_messages"},
	{name: "chats", unique: []string{"token_hash"}},
	{name: "chat_messages"},
	{name: "cases", unique: []string{"number"}},
	{name: "case_assignments"},
	{name: "case_steps"},
	{name: "case_step_files"},
	{name: "citizen_notices"},
	{name: "audit_log"},
}

// tableSpec says how to copy one table beyond shifting its times and renumbering its ids.
type tableSpec struct {
	name string
	// unique are text columns with a unique index; each copy appends "-<copy number>".
	unique []string
	// seq is a per-parent sequence number column with a unique index; each copy adds an offset.
	seq string
}

// table is a copied table as read from the database: its columns, foreign keys and the rows
// of the demo town.
type table struct {
	tableSpec
	columns []string
	hasID   bool
	refs    map[int]string // column index → referenced table
	rows    [][]any
	stride  int64 // largest id of the demo's rows; copy c adds c×stride to ids
	maxSeq  int64
}

// Plan sets how many copies the generator makes of the demo's half year.
type Plan struct {
	// Scale is the number of copies in each half year, the demo's included.
	Scale int
	// Years is how far back the copies reach; each half year is shifted back 182 days.
	Years int
	Out   io.Writer
}

// Copies returns the number of copies of the demo's half year, the demo itself included.
func (p Plan) Copies() int { return p.Scale * p.Years * 2 }

// Shift returns how far back copy c is moved: 182 days per half year, plus one day per copy
// within the half year so that the copies of one half year do not share their times.
func (p Plan) Shift(c int) time.Duration {
	days := (c/p.Scale)*182 + c%p.Scale
	return time.Duration(days) * 24 * time.Hour
}

// Multiply copies the demo town's records plan.Copies()−1 times, each shifted back in time by
// plan.Shift, with new ids. It writes rows of the same shape as the store's methods write, one
// transaction per copy, rebuilds the article search entries of the copies the same way, and
// refreshes the query planner's statistics at the end.
func Multiply(ctx context.Context, db *store.DB, plan Plan) error {
	if plan.Scale < 1 || plan.Years < 1 {
		return fmt.Errorf("invalid plan: scale %d and years %d must both be at least 1", plan.Scale, plan.Years)
	}
	if plan.Out == nil {
		plan.Out = io.Discard
	}
	conn := db.SQL()
	postgres := db.Dialect() == "postgres"
	tables := make([]*table, len(copiedTables))
	strides := map[string]int64{}
	var demoRows int
	for i, spec := range copiedTables {
		t, err := readTable(ctx, conn, postgres, spec)
		if err != nil {
			return err
		}
		tables[i] = t
		if t.hasID {
			strides[t.name] = t.stride
		}
		demoRows += len(t.rows)
	}
	var searchStride int64
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&searchStride); err != nil {
		return err
	}
	fmt.Fprintf(plan.Out, "demo town: %d rows in %d tables; making %d copies\n", demoRows, len(tables), plan.Copies()-1)

	start := time.Now()
	for c := 1; c < plan.Copies(); c++ {
		shift := plan.Shift(c)
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			for _, t := range tables {
				if err := insertCopy(ctx, tx, t, strides, c, shift); err != nil {
					return fmt.Errorf("copy %d of %s: %w", c, t.name, err)
				}
			}
			return copySearch(ctx, tx, postgres, searchStride, c, shift)
		})
		if err != nil {
			return err
		}
		if c%10 == 0 || c == plan.Copies()-1 {
			fmt.Fprintf(plan.Out, "copy %d of %d (shifted %d days back), %.0f s\n", c, plan.Copies()-1,
				int(shift.Hours()/24), time.Since(start).Seconds())
		}
	}
	return finish(ctx, conn, postgres, tables, plan.Out)
}

// readTable reads the columns, foreign keys and rows of one table.
func readTable(ctx context.Context, conn *sql.DB, postgres bool, spec tableSpec) (*table, error) {
	t := &table{tableSpec: spec, refs: map[int]string{}}
	rows, err := conn.QueryContext(ctx, `SELECT * FROM `+spec.name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", spec.name, err)
	}
	defer rows.Close()
	if t.columns, err = rows.Columns(); err != nil {
		return nil, err
	}
	for rows.Next() {
		vals := make([]any, len(t.columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read %s: %w", spec.name, err)
		}
		t.rows = append(t.rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	refs, err := foreignKeys(ctx, conn, postgres, spec.name)
	if err != nil {
		return nil, err
	}
	for i, col := range t.columns {
		if ref, ok := refs[col]; ok {
			t.refs[i] = ref
		}
		switch col {
		case "id":
			t.hasID = true
			for _, r := range t.rows {
				t.stride = max(t.stride, asInt(r[i]))
			}
		case spec.seq:
			for _, r := range t.rows {
				t.maxSeq = max(t.maxSeq, asInt(r[i]))
			}
		}
	}
	return t, nil
}

// foreignKeys returns the referenced table of each foreign-key column of a table.
func foreignKeys(ctx context.Context, conn *sql.DB, postgres bool, name string) (map[string]string, error) {
	query := `SELECT "from", "table" FROM pragma_foreign_key_list($1)`
	if postgres {
		query = `SELECT kcu.column_name, ccu.table_name FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = $1 AND tc.table_schema = current_schema()`
	}
	rows, err := conn.QueryContext(ctx, query, name)
	if err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var col, ref string
		if err := rows.Scan(&col, &ref); err != nil {
			return nil, err
		}
		out[col] = ref
	}
	return out, rows.Err()
}

// insertCopy writes copy c of a table's demo rows in multi-row INSERTs.
func insertCopy(ctx context.Context, tx *sql.Tx, t *table, strides map[string]int64, c int, shift time.Duration) error {
	if len(t.rows) == 0 {
		return nil
	}
	// About a thousand parameters per statement: the SQLite driver binds numbered parameters
	// in time that grows faster than their count, so larger statements are slower per row.
	perStatement := max(1, 1000/len(t.columns))
	head := `INSERT INTO ` + t.name + ` (` + strings.Join(t.columns, ", ") + `) VALUES `
	for start := 0; start < len(t.rows); start += perStatement {
		chunk := t.rows[start:min(start+perStatement, len(t.rows))]
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(t.columns))
		for ri, r := range chunk {
			if ri > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for i, v := range r {
				if i > 0 {
					b.WriteString(", ")
				}
				args = append(args, copyValue(t, i, v, strides, c, shift))
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// copyValue returns column i's value in copy c: ids and references to copied tables moved by
// c strides, times and days shifted back, unique texts suffixed and sequence numbers offset.
func copyValue(t *table, i int, v any, strides map[string]int64, c int, shift time.Duration) any {
	if v == nil {
		return nil
	}
	col := t.columns[i]
	switch {
	case col == "id" && t.hasID:
		return asInt(v) + int64(c)*t.stride
	case t.refs[i] != "":
		if stride, ok := strides[t.refs[i]]; ok {
			return asInt(v) + int64(c)*stride
		}
		return v
	case col == t.seq:
		return asInt(v) + int64(c)*t.maxSeq
	}
	for _, u := range t.unique {
		if col == u {
			return fmt.Sprintf("%s-%d", asString(v), c)
		}
	}
	switch x := v.(type) {
	case time.Time:
		return x.Add(-shift).UTC()
	case string:
		return shiftDay(col, x, shift)
	case []byte:
		return shiftDay(col, string(x), shift)
	}
	return v
}

// shiftDay shifts the day columns that hold Beijing dates as text: the daily view counts'
// day (2006-01-02) and a monthly report's period key (2006-01).
func shiftDay(col, s string, shift time.Duration) string {
	days := int(shift.Hours() / 24)
	switch col {
	case "day":
		if d, err := domain.ParseDate(s); err == nil {
			return domain.FormatDate(d.AddDate(0, 0, -days))
		}
	case "period_key":
		// Whole months, so that the keys of one copy stay distinct.
		if d, err := time.ParseInLocation("2006-01", s, domain.Shanghai); err == nil {
			return d.AddDate(0, -int(math.Round(float64(days)/30.44)), 0).Format("2006-01")
		}
	}
	return s
}

// copySearch copies the search entries of copy c's published articles from the demo's, so
// that they carry the same tokens (the town and column tokens stay valid, since every copy
// shares them) under the copy's id and publish time.
func copySearch(ctx context.Context, tx *sql.Tx, postgres bool, stride int64, c int, shift time.Duration) error {
	offset := int64(c) * stride
	if postgres {
		_, err := tx.ExecContext(ctx, `INSERT INTO article_search (article_id, publish_at, tokens)
			SELECT article_id + $1, publish_at - make_interval(secs => $2), tokens FROM article_search WHERE article_id <= $3`,
			offset, shift.Seconds(), stride)
		return err
	}
	// The rowid is the publish time in Unix seconds times 2^31 plus the article id.
	const mask = 1<<31 - 1
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO article_search (rowid, tokens)
		SELECT (((rowid >> 31) - $1) << 31) | ((rowid & %d) + $2), tokens FROM article_search WHERE (rowid & %d) <= $3`, mask, mask),
		int64(shift.Seconds()), offset, stride)
	return err
}

// finish moves PostgreSQL's id sequences past the copies, brings the work-group channels'
// live sequence numbers up to their copied messages, and refreshes planner statistics.
func finish(ctx context.Context, conn *sql.DB, postgres bool, tables []*table, out io.Writer) error {
	if postgres {
		for _, t := range tables {
			if !t.hasID {
				continue
			}
			if _, err := conn.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))`,
				t.name, t.name)); err != nil {
				return fmt.Errorf("move id sequence of %s: %w", t.name, err)
			}
		}
	}
	if _, err := conn.ExecContext(ctx, `UPDATE live_topics SET last_seq = COALESCE((SELECT MAX(m.seq) FROM wg_messages m
		WHERE 'wg:' || CAST(m.channel_id AS TEXT) = live_topics.topic), last_seq) WHERE topic LIKE 'wg:%'`); err != nil {
		return fmt.Errorf("update work-group sequence numbers: %w", err)
	}
	fmt.Fprintln(out, "analyzing tables")
	if _, err := conn.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}
