package web

import (
	"context"
	"net/http"
	"net/url"
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

// mayOpen reports whether actor may open link and see every record the dashboard counted for it.
// The route's permission decides, and the case list needs the town-wide view: without it the
// list shows only the actor's own cases (or, for a coordinator, the coordination matters), and
// its total would not match the figure.
func (s *Server) mayOpen(actor domain.Actor, link string) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	r := &http.Request{Method: http.MethodGet, URL: u, Host: "dashboard"}
	_, pattern := s.gates.Handler(r)
	perm, ok := s.gatePerms[pattern]
	if !ok || (perm != public && !actor.Can(perm)) {
		return false
	}
	if u.Path == "/admin/cases" && !actor.Can(domain.PermCasesDispatch) {
		return u.Query().Get("channel") == "coordination" && actor.Can(domain.PermCoordinationManage)
	}
	return true
}

// dropClosedLinks blanks the links of data that its viewer may not open, so that the figure
// shows as plain text instead of leading to a refusal or to a shorter list.
func (s *Server) dropClosedLinks(actor domain.Actor, data *dashboardPage) {
	keep := func(link *string) {
		if *link != "" && !s.mayOpen(actor, *link) {
			*link = ""
		}
	}
	for gi := range data.Groups {
		for ri := range data.Groups[gi].Rows {
			row := &data.Groups[gi].Rows[ri]
			keep(&row.Link)
			for ei := range row.Entries {
				keep(&row.Entries[ei].Link)
			}
		}
	}
	c := &data.Checks
	for i := range c.Units.Rows {
		keep(&c.Units.Rows[i].Link)
	}
	for i := range c.Villages.Rows {
		keep(&c.Villages.Rows[i].Link)
	}
	for i := range c.StaleColumns {
		keep(&c.StaleColumns[i].Link)
	}
	for i := range c.WaitingPosts {
		keep(&c.WaitingPosts[i].Link)
	}
}
