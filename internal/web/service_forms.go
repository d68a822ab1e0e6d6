package web

import (
	"net/http"
	"strconv"
	"time"

	"pingan/internal/domain"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// formID reads a numeric form field; anything else is 0.
func formID(r *http.Request, name string) int64 {
	v, err := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// formIDs reads every value of a repeated numeric form field, skipping what is not a number.
func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.PostForm[name] {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// formDate reads a YYYY-MM-DD form field as Beijing time; empty is the zero time, and a bad
// date is KindInvalid with the field named.
func formDate(r *http.Request, name, label string) (time.Time, error) {
	v := r.PostFormValue(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := domain.ParseDate(v)
	if err != nil {
		return t, &domain.Error{Kind: domain.KindInvalid, Message: domain.DateFormatMessage(label, v), Fields: map[string]string{name: domain.DateFormatMessage(label, v)}}
	}
	return t, nil
}
