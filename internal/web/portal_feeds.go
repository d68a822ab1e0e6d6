package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"pingan/internal/domain"
)

// rssItems is how many articles a feed carries.
const rssItems = 30

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        rssSelf   `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Copyright   string    `xml:"copyright,omitempty"`
	LastBuild   string    `xml:"lastBuildDate"`
	Items       []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	Description string  `xml:"description"`
	Category    string  `xml:"category"`
	Author      string  `xml:"dc:creator,omitempty"`
	PubDate     string  `xml:"pubDate"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// xmlText removes the characters XML 1.0 forbids, such as the control characters that text
// pasted from Word carries, so that one bad article never breaks a feed.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// siteFeed serves the RSS 2.0 feed of the newest articles of the whole site.
func (s *Server) siteFeed(w http.ResponseWriter, r *http.Request) error {
	return s.writeFeed(w, r, domain.Column{}, "/rss.xml")
}

// columnFeed serves the RSS 2.0 feed of one column.
func (s *Server) columnFeed(w http.ResponseWriter, r *http.Request) error {
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	c, err := s.db.ColumnBySlug(r.Context(), townID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.writeFeed(w, r, c, "/columns/"+c.Slug+"/rss.xml")
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, c domain.Column, self string) error {
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	site, err := s.db.SiteSettings(r.Context(), townID)
	if err != nil {
		return err
	}
	list, err := s.db.LatestArticles(r.Context(), townID, c.ID, rssItems, false, s.db.Now())
	if err != nil {
		return err
	}
	title, link := site.SiteName, s.absoluteURL(r, "/")
	if c.ID != 0 {
		title, link = site.SiteName+" - "+c.Name, s.absoluteURL(r, c.Href())
	}
	feed := rssFeed{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: xmlText(title), Link: link, Description: xmlText(site.Motto), Language: "zh-cn", Copyright: xmlText(site.Copyright),
		Self:      rssSelf{Href: s.absoluteURL(r, self), Rel: "self", Type: "application/rss+xml"},
		LastBuild: s.db.Now().In(domain.Shanghai).Format(time.RFC1123Z),
	}}
	if feed.Channel.Description == "" {
		feed.Channel.Description = xmlText(title)
	}
	for _, a := range list {
		u := s.absoluteURL(r, a.Href())
		feed.Channel.Items = append(feed.Channel.Items, rssItem{Title: xmlText(a.Title), Link: u, GUID: rssGUID{IsPermaLink: true, Value: u},
			Description: xmlText(a.Summary), Category: xmlText(a.ColumnName), PubDate: a.PublishAt.In(domain.Shanghai).Format(time.RFC1123Z)})
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	// dc:creator needs its namespace on the root; encoding/xml cannot add a second prefixed
	// attribute cleanly, so the declaration is inserted here.
	body := strings.Replace(string(out), `<rss version="2.0"`, `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`, 1)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write([]byte(xml.Header + body))
	return err
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapLimit is the most addresses one sitemap file may list (sitemaps.org protocol).
const sitemapLimit = 50000

// sitemapXML serves the sitemaps.org site map: the home page, the columns and the newest
// public articles.
func (s *Server) sitemapXML(w http.ResponseWriter, r *http.Request) error {
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	set := urlset{XMLNS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	set.URLs = append(set.URLs, sitemapURL{Loc: s.absoluteURL(r, "/")})
	cols, err := s.db.ListColumns(r.Context(), townID, false)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c.Kind != domain.ColumnLink {
			set.URLs = append(set.URLs, sitemapURL{Loc: s.absoluteURL(r, c.Href())})
		}
	}
	entries, err := s.db.SitemapArticles(r.Context(), townID, sitemapLimit-len(set.URLs), s.db.Now())
	if err != nil {
		return err
	}
	for _, e := range entries {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absoluteURL(r, domain.Article{ID: e.ID}.Href()), LastMod: e.UpdatedAt.UTC().Format("2006-01-02")})
	}
	out, err := xml.Marshal(set)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(append([]byte(xml.Header), out...))
	return err
}
