package web

import (
	"context"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/stats"
)

// dashboardEntry is one entry of a breakdown with the list of the records it counts; Link is
// empty when the entry cannot be linked.
type dashboardEntry struct {
	stats.Entry
	Link string
}

// entryIDs maps the names breakdowns use for columns and organizations to their IDs. A name two
// columns (or two organizations) share is left out, because its count mixes both and no single
// filter lists them.
type entryIDs struct {
	columns, orgs map[string]int64
}

func (s *Server) loadEntryIDs(ctx context.Context, actor domain.Actor) (entryIDs, error) {
	ids := entryIDs{columns: map[string]int64{}, orgs: map[string]int64{}}
	cols, err := s.db.ListColumns(ctx, actor.TownID, true)
	if err != nil {
		return ids, err
	}
	for _, c := range cols {
		addUniqueName(ids.columns, c.Name, c.ID)
	}
	orgs, err := s.db.ListOrgs(ctx, actor)
	if err != nil {
		return ids, err
	}
	for _, o := range orgs {
		addUniqueName(ids.orgs, o.Name, o.ID)
	}
	return ids, nil
}

// addUniqueName records id under name, or marks the name as shared with 0.
func addUniqueName(m map[string]int64, name string, id int64) {
	if _, seen := m[name]; seen {
		m[name] = 0
		return
	}
	m[name] = id
}

// linkedEntries returns the entries of breakdown f with their Chinese names and links.
func linkedEntries(f stats.Figure, entries []stats.Entry, ids entryIDs, period *strings.Replacer) []dashboardEntry {
	out := make([]dashboardEntry, len(entries))
	for i, e := range entries {
		out[i].Entry = e
		if link := f.EntryLink; link != "" {
			var id int64 = -1
			switch {
			case strings.Contains(link, "{column}"):
				id = ids.columns[e.Name]
				link = strings.ReplaceAll(link, "{column}", strconv.FormatInt(id, 10))
			case strings.Contains(link, "{org}"):
				id = ids.orgs[e.Name]
				link = strings.ReplaceAll(link, "{org}", strconv.FormatInt(id, 10))
			}
			if id != 0 {
				out[i].Link = period.Replace(strings.ReplaceAll(link, "{key}", e.Name))
			}
		}
	}
	labels := make([]stats.Entry, len(entries))
	copy(labels, entries)
	for i, e := range entryLabels(f.Key, labels) {
		out[i].Name = e.Name
	}
	return out
}
