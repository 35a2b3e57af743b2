package client

import (
	"context"
	"iter"

	"github.com/koodrive/koodrive"
)

// The iterators walk a listing page by page, fetching the next page only
// when the loop gets that far. A failed page ends the walk with the error
// as the last pair, (zero, err); breaking out of the loop stops it.

// defaultPage is the page size an iterator asks for when the filter names
// none: the most the server gives.
const defaultPage = koodrive.MaxPageSize

// AllUsers yields every user matching f in creation order (GET /userList),
// page by page with the server's cursor, which holds its place while users
// are added or removed: each user that stays is yielded once. It starts
// after f.Cursor, or at f.Offset; f.Limit is the page size (default 100).
func (c *Client) AllUsers(ctx context.Context, f koodrive.UserFilter) iter.Seq2[*koodrive.User, error] {
	return func(yield func(*koodrive.User, error) bool) {
		if f.Limit == 0 {
			f.Limit = defaultPage
		}
		users := c.Users()
		for {
			page, _, next, err := users.findUsers(ctx, f)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, u := range page {
				if !yield(u, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			cursor, err := koodrive.ParseID(next)
			if err != nil {
				yield(nil, err)
				return
			}
			f.Cursor, f.Offset = cursor, 0
		}
	}
}

// offsetPages yields the items of a listing paged by offset, from offset,
// until a short page or the total. Users or departments added or removed
// meanwhile shift the pages: an item may be skipped or yielded twice.
func offsetPages[T any](offset, limit int, page func(offset, limit int) ([]T, int, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if limit == 0 {
			limit = defaultPage
		}
		for {
			items, total, err := page(offset, limit)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			offset += len(items)
			if len(items) < limit || offset >= total {
				return
			}
		}
	}
}

// AllUserSpaces yields every user matching f with its personal space (GET
// /space/userList), by offset from f.Offset with pages of f.Limit (default
// 100). The endpoint has no cursor: see offsetPages.
func (c *Client) AllUserSpaces(ctx context.Context, f koodrive.SpaceFilter) iter.Seq2[koodrive.UserSpace, error] {
	spaces := c.Spaces()
	return offsetPages(f.Offset, f.Limit, func(offset, limit int) ([]koodrive.UserSpace, int, error) {
		f.Offset, f.Limit = offset, limit
		return spaces.FindUserSpaces(ctx, koodrive.Actor{}, f)
	})
}

// AllDepartmentSpaces yields every department whose name matches keyWord
// ("" for all) with its team space, in tree order (GET
// /space/departmentList), by pages of 100.
func (c *Client) AllDepartmentSpaces(ctx context.Context, keyWord string) iter.Seq2[koodrive.DepartmentSpace, error] {
	spaces := c.Spaces()
	return offsetPages(0, defaultPage, func(offset, limit int) ([]koodrive.DepartmentSpace, int, error) {
		return spaces.FindDepartmentSpaces(ctx, koodrive.Actor{}, keyWord, offset, limit)
	})
}

// AllAuditEntries yields every audit entry matching f (POST /auditlog),
// from page f.PageNum (default 1) with pages of f.PageSize (default 100).
// Newest first unless f.Ascending; entries recorded during the walk shift
// a newest-first listing, so set f.To to walk a fixed window.
func (c *Client) AllAuditEntries(ctx context.Context, f koodrive.AuditFilter) iter.Seq2[*koodrive.AuditEntry, error] {
	if f.PageSize == 0 {
		f.PageSize = defaultPage
	}
	if f.PageNum == 0 {
		f.PageNum = 1
	}
	audit := c.Audit()
	return offsetPages((f.PageNum-1)*f.PageSize, f.PageSize, func(offset, limit int) ([]*koodrive.AuditEntry, int, error) {
		f.PageNum = offset/limit + 1
		return audit.FindAuditEntries(ctx, koodrive.Actor{}, f)
	})
}
