package domain

import (
	"math/big"
	"strconv"
)

// AggregateRow is the sums of the numeric fields over some received reports: one
// organization's, a kind's subtotal, or the total.
type AggregateRow struct {
	OrgID   int64
	OrgName string
	OrgKind OrgKind
	Reports int
	// sums maps a field id to its sum: whole units for integers, ten-thousandths for decimals.
	sums map[int64]*big.Int
}

func (r *AggregateRow) add(f ReportField, v string) {
	var n *big.Int
	var ok bool
	if f.Kind == FieldDecimal {
		n, ok = ParseDecimal(v)
	} else {
		n, ok = new(big.Int).SetString(v, 10)
	}
	if !ok {
		return
	}
	if r.sums == nil {
		r.sums = map[int64]*big.Int{}
	}
	if cur := r.sums[f.ID]; cur != nil {
		cur.Add(cur, n)
	} else {
		r.sums[f.ID] = n
	}
}

func (r *AggregateRow) merge(other AggregateRow, fields []ReportField) {
	r.Reports += other.Reports
	for _, f := range fields {
		if n := other.sums[f.ID]; n != nil {
			if r.sums == nil {
				r.sums = map[int64]*big.Int{}
			}
			if cur := r.sums[f.ID]; cur != nil {
				cur.Add(cur, n)
			} else {
				r.sums[f.ID] = new(big.Int).Set(n)
			}
		}
	}
}

// Sum returns the sum of field f as text: "0" when nothing was reported.
func (r AggregateRow) Sum(f ReportField) string {
	n := r.sums[f.ID]
	if n == nil {
		n = new(big.Int)
	}
	if f.Kind == FieldDecimal {
		return FormatDecimal(n)
	}
	return n.String()
}

// SumNumber returns the sum of field f as a number for a spreadsheet cell: an int64 for an
// integer field, a float64 for a decimal field.
func (r AggregateRow) SumNumber(f ReportField) any {
	s := r.Sum(f)
	if f.Kind == FieldDecimal {
		v, _ := strconv.ParseFloat(s, 64)
		return v
	}
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}

// AggregateGroup is the organizations of one kind with their subtotal.
type AggregateGroup struct {
	Kind     OrgKind
	Rows     []AggregateRow
	Subtotal AggregateRow
}

// ChoiceCount is how many received reports chose one option of a single-choice field.
type ChoiceCount struct {
	Option string
	Count  int
}

// Aggregate is the sum of an assignment's received reports over a range of periods, per
// organization, with subtotals by kind of organization and a total.
type Aggregate struct {
	Fields  []ReportField // the numeric fields, in template order
	Groups  []AggregateGroup
	Total   AggregateRow
	Choices map[int64][]ChoiceCount // per single-choice field, every option in order
}

// AggregateReports sums the numeric fields of the received reports among subs for every
// organization in orgs, in the order of orgs grouped by kind in the order of OrgKinds. An
// organization without received reports gets a row of zeros.
func AggregateReports(t ReportTemplate, subs []ReportSubmission, orgs []Org) Aggregate {
	a := Aggregate{Fields: t.NumericFields(), Total: AggregateRow{OrgName: "合计"}, Choices: map[int64][]ChoiceCount{}}
	rows := map[int64]*AggregateRow{}
	for _, o := range orgs {
		rows[o.ID] = &AggregateRow{OrgID: o.ID, OrgName: o.Name, OrgKind: o.Kind}
	}
	counts := map[int64]map[string]int{}
	for _, s := range subs {
		row := rows[s.OrgID]
		if row == nil || !s.Status.Received() {
			continue
		}
		row.Reports++
		for _, f := range t.Fields {
			v, ok := s.Values[f.ID]
			if !ok {
				continue
			}
			switch {
			case f.Kind.Numeric():
				row.add(f, v)
			case f.Kind == FieldChoice:
				if counts[f.ID] == nil {
					counts[f.ID] = map[string]int{}
				}
				counts[f.ID][v]++
			}
		}
	}
	for _, k := range OrgKinds {
		g := AggregateGroup{Kind: k, Subtotal: AggregateRow{OrgName: "小计（" + k.Label() + "）", OrgKind: k}}
		for _, o := range orgs {
			if o.Kind == k {
				g.Rows = append(g.Rows, *rows[o.ID])
				g.Subtotal.merge(*rows[o.ID], a.Fields)
			}
		}
		if len(g.Rows) > 0 {
			a.Groups = append(a.Groups, g)
			a.Total.merge(g.Subtotal, a.Fields)
		}
	}
	for _, f := range t.Fields {
		if f.Kind == FieldChoice {
			for _, c := range f.Choices {
				a.Choices[f.ID] = append(a.Choices[f.ID], ChoiceCount{Option: c, Count: counts[f.ID][c]})
			}
		}
	}
	return a
}
