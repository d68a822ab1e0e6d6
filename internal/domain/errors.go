// Package domain holds the types and rules that every part of pingan shares: organizations,
// accounts, roles and permissions, the security policy and the error kinds. It imports neither
// net/http nor database/sql, so the rules stay small and testable.
package domain

import (
	"errors"
	"sort"
	"strings"
)

// Kind classifies an Error so that the HTTP layer can map it to a status in one place.
type Kind int

const (
	KindInvalid      Kind = iota + 1 // bad input: 400 or 422
	KindNotFound                     // the row does not exist or lies outside the actor's scope: 404
	KindForbidden                    // the actor lacks the permission: 403
	KindConflict                     // the request clashes with stored state: 409
	KindUnauthorized                 // not signed in, or the credentials are wrong: 401
	KindTooMany                      // a rate limit or lockout applies: 429
)

// Error is a domain error. Message is shown to the user and is therefore Chinese; it never
// carries personal information or secrets. Err, when set, is the underlying cause for logs.
type Error struct {
	Kind    Kind
	Message string
	// Fields maps a form field name to its Chinese validation message.
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	msg := e.Message
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+e.Fields[k])
		}
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorKind returns the Kind of the first *Error in err's chain, or 0 when there is none.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// UserMessage returns the Chinese message of the first *Error in err's chain, or a generic one.
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "系统繁忙，请稍后再试。"
}

// FieldErrors returns the per-field messages of the first *Error in err's chain.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// NotFound returns a KindNotFound error with the given Chinese message.
func NotFound(msg string) error { return &Error{Kind: KindNotFound, Message: msg} }

// Forbidden returns a KindForbidden error with the given Chinese message.
func Forbidden(msg string) error { return &Error{Kind: KindForbidden, Message: msg} }

// Conflict returns a KindConflict error with the given Chinese message.
func Conflict(msg string) error { return &Error{Kind: KindConflict, Message: msg} }

// Invalid returns a KindInvalid error with the given Chinese message.
func Invalid(msg string) error { return &Error{Kind: KindInvalid, Message: msg} }

// Problems collects per-field validation messages; its Err method returns nil when it is empty.
type Problems map[string]string

// Add records msg for field unless the field already has a message.
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

// Err returns a KindInvalid *Error carrying the problems, or nil when there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "提交的内容有误，请按提示修改后重新提交。", Fields: map[string]string(p)}
}
