package store

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
