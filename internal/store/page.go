package store

import (
	"context"
	"fmt"
)

// Page selects one page of a list. Number counts from 1.
type Page struct {
	Number int
	Size   int
}

// Normalize clamps the page to what exists: a number below 1 becomes 1, one past the end
// becomes the last page, and a size outside 1–200 becomes 20.
func (p Page) Normalize(total int) Page {
	if p.Size < 1 || p.Size > 200 {
		p.Size = 20
	}
	last := (total + p.Size - 1) / p.Size
	if last < 1 {
		last = 1
	}
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Number > last {
		p.Number = last
	}
	return p
}

// Offset returns the number of rows before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// countPage runs countQuery, which counts the rows of a list, and clamps page to that total. It
// returns the total, args with the page's size and offset appended, and the LIMIT and OFFSET
// clause that reads them, to end the list's query with.
func (db *DB) countPage(ctx context.Context, countQuery string, args []any, page *Page) (int, string, []any, error) {
	var total int
	if err := db.sql.QueryRowContext(ctx, countQuery, args...).Scan(&total); err != nil {
		return 0, "", args, err
	}
	*page = page.Normalize(total)
	args = append(args, page.Size, page.Offset())
	return total, fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args, nil
}
