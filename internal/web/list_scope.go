package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// listScope is the set of filters a dashboard link put on a list, shown above the list with a
// link that clears them.
type listScope struct {
	Base   string
	Params []scopeParam
}

// periodParams reads the inclusive days from and to (Beijing time) of a list filter and returns
// them as the instants [start, end). A zero instant leaves that side open. Problems are added
// under the parameter's name.
func periodParams(q url.Values, p domain.Problems) (start, end time.Time) {
	if v := q.Get("from"); v != "" {
		t, err := domain.ParseDate(v)
		if err != nil {
			p.Add("from", domain.DateFormatMessage("开始日期", v))
		}
		start = t
	}
	if v := q.Get("to"); v != "" {
		t, err := domain.ParseDate(v)
		if err != nil {
			p.Add("to", domain.DateFormatMessage("结束日期", v))
		} else {
			end = t.AddDate(0, 0, 1)
		}
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		p.Add("to", "结束日期不能早于开始日期。")
	}
	return start, end
}

// pageParam adds a problem under "page" when the page number of a list is not an integer from 1
// to maxPageNumber. Without this check, pageNumber would show the first page instead.
func pageParam(q url.Values, p domain.Problems) {
	v := q.Get("page")
	if v == "" {
		return
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 || n > maxPageNumber {
		p.Add("page", "页码应为 1 到 "+strconv.Itoa(maxPageNumber)+" 之间的整数。")
	}
}

// periodScope returns the shown filters of from and to, with label naming the date they limit
// (for example 发布日期).
func periodScope(q url.Values, label string) []scopeParam {
	var out []scopeParam
	if v := q.Get("from"); v != "" {
		out = append(out, scopeParam{Name: "from", Label: label + "自", Value: v})
	}
	if v := q.Get("to"); v != "" {
		out = append(out, scopeParam{Name: "to", Label: label + "至", Value: v})
	}
	return out
}

// articleListScope reads the filters the dashboard's links add to the article list: the source
// kind, the contributing organization, and the days from and to of the publication or, with
// by=submitted, of the first submission for review.
func (s *Server) articleListScope(r *http.Request, area articleArea, f *store.ArticleFilter) (listScope, error) {
	q := r.URL.Query()
	p := domain.Problems{}
	scope := listScope{Base: area.Base}
	if v := q.Get("status"); v != "" && domain.ArticleStatus(v).Label() == "" {
		p.Add("status", "状态筛选有误，请从列表中选择。")
	}
	if v := q.Get("source"); v != "" {
		k := domain.SourceKind(v)
		label := k.Label()
		if k == store.SourceNotOriginal {
			label = "转载和村（社区）供稿"
		}
		if label == "" {
			p.Add("source", "来源应为 original、reprint、contribution 或 not_original。")
		}
		f.Source = k
		scope.Params = append(scope.Params, scopeParam{Name: "source", Label: "来源：" + label})
	}
	if v := q.Get("contributor"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("contributor", "供稿单位编号应为正整数。")
		}
		f.ContributorOrgID = id
		sp := scopeParam{Name: "contributor", Label: "供稿单位编号", Value: v}
		if o, err := s.db.GetOrg(r.Context(), s.actor(r), id); err == nil && id > 0 {
			sp.Label, sp.Value = "供稿单位", o.Name
		}
		scope.Params = append(scope.Params, sp)
	}
	dateLabel := "发布日期"
	switch q.Get("by") {
	case "", "published":
	case "submitted":
		f.BySubmission = true
		dateLabel = "投稿日期"
	default:
		p.Add("by", "日期类型应为 published（发布日期）或 submitted（投稿日期）。")
	}
	f.From, f.To = periodParams(q, p)
	pageParam(q, p)
	scope.Params = append(scope.Params, periodScope(q, dateLabel)...)
	return scope, filterErr(p)
}

// filterErr returns the problems of a list's filters as one invalid-request error, or nil when
// there are none. Its message names every problem, because a list has no form fields to show
// them next to.
func filterErr(p domain.Problems) error {
	if len(p) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(p))
	for _, m := range p {
		msgs = append(msgs, m)
	}
	sort.Strings(msgs)
	return &domain.Error{Kind: domain.KindInvalid, Message: "筛选条件有误：" + strings.Join(msgs, ""), Fields: map[string]string(p)}
}
