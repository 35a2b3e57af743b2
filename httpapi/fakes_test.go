package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
	"github.com/koodrive/koodrive/httpapi"
	"github.com/koodrive/koodrive/i18n"
)

// The fakes are function-field structs: a test sets the functions it
// expects to be called, and a call to any other panics, which the server
// answers with 500 and the test sees.

var _ koodrive.UserService = (*UserService)(nil)

type UserService struct {
	CreateUserFn   func(ctx context.Context, a koodrive.Actor, in koodrive.UserCreate) (*koodrive.User, error)
	FindUserByIDFn func(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.User, error)
	FindUsersFn    func(ctx context.Context, a koodrive.Actor, f koodrive.UserFilter) ([]*koodrive.User, int, error)
	CountUsersFn   func(ctx context.Context, a koodrive.Actor, deptID koodrive.ID) (int, error)
	UpdateUserFn   func(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) (*koodrive.User, error)
	DeleteUserFn   func(ctx context.Context, a koodrive.Actor, id koodrive.ID) error
}

func (s *UserService) CreateUser(ctx context.Context, a koodrive.Actor, in koodrive.UserCreate) (*koodrive.User, error) {
	return s.CreateUserFn(ctx, a, in)
}

func (s *UserService) FindUserByID(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.User, error) {
	return s.FindUserByIDFn(ctx, a, id)
}

func (s *UserService) FindUsers(ctx context.Context, a koodrive.Actor, f koodrive.UserFilter) ([]*koodrive.User, int, error) {
	return s.FindUsersFn(ctx, a, f)
}

func (s *UserService) CountUsers(ctx context.Context, a koodrive.Actor, deptID koodrive.ID) (int, error) {
	return s.CountUsersFn(ctx, a, deptID)
}

func (s *UserService) UpdateUser(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.UserUpdate) (*koodrive.User, error) {
	return s.UpdateUserFn(ctx, a, id, in)
}

func (s *UserService) DeleteUser(ctx context.Context, a koodrive.Actor, id koodrive.ID) error {
	return s.DeleteUserFn(ctx, a, id)
}

var _ koodrive.DepartmentService = (*DepartmentService)(nil)

type DepartmentService struct {
	CreateDepartmentFn   func(ctx context.Context, a koodrive.Actor, in koodrive.DepartmentCreate) (*koodrive.Department, error)
	FindDepartmentByIDFn func(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.Department, error)
	FindDepartmentsFn    func(ctx context.Context, a koodrive.Actor, f koodrive.DepartmentFilter) ([]*koodrive.Department, error)
	UpdateDepartmentFn   func(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) (*koodrive.Department, error)
	DeleteDepartmentFn   func(ctx context.Context, a koodrive.Actor, id koodrive.ID) error
}

func (s *DepartmentService) CreateDepartment(ctx context.Context, a koodrive.Actor, in koodrive.DepartmentCreate) (*koodrive.Department, error) {
	return s.CreateDepartmentFn(ctx, a, in)
}

func (s *DepartmentService) FindDepartmentByID(ctx context.Context, a koodrive.Actor, id koodrive.ID) (*koodrive.Department, error) {
	return s.FindDepartmentByIDFn(ctx, a, id)
}

func (s *DepartmentService) FindDepartments(ctx context.Context, a koodrive.Actor, f koodrive.DepartmentFilter) ([]*koodrive.Department, error) {
	return s.FindDepartmentsFn(ctx, a, f)
}

func (s *DepartmentService) UpdateDepartment(ctx context.Context, a koodrive.Actor, id koodrive.ID, in koodrive.DepartmentUpdate) (*koodrive.Department, error) {
	return s.UpdateDepartmentFn(ctx, a, id, in)
}

func (s *DepartmentService) DeleteDepartment(ctx context.Context, a koodrive.Actor, id koodrive.ID) error {
	return s.DeleteDepartmentFn(ctx, a, id)
}

var _ koodrive.SpaceService = (*SpaceService)(nil)

type SpaceService struct {
	CreateSpaceFn          func(ctx context.Context, a koodrive.Actor, in koodrive.SpaceCreate) (*koodrive.Space, error)
	FindSpaceFn            func(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) (*koodrive.Space, error)
	UpdateSpaceFn          func(ctx context.Context, a koodrive.Actor, in koodrive.SpaceUpdate) (*koodrive.Space, error)
	DeleteSpaceFn          func(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) error
	FindUserSpacesFn       func(ctx context.Context, a koodrive.Actor, f koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error)
	FindDepartmentSpacesFn func(ctx context.Context, a koodrive.Actor, keyWord string, offset, limit int) ([]koodrive.DepartmentSpace, int, error)
	UsageFn                func(ctx context.Context, a koodrive.Actor) (*koodrive.Usage, error)
	ReportUsageFn          func(ctx context.Context, a koodrive.Actor, containerID string, usedBytes int64) error
}

func (s *SpaceService) CreateSpace(ctx context.Context, a koodrive.Actor, in koodrive.SpaceCreate) (*koodrive.Space, error) {
	return s.CreateSpaceFn(ctx, a, in)
}

func (s *SpaceService) FindSpace(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) (*koodrive.Space, error) {
	return s.FindSpaceFn(ctx, a, owner, t)
}

func (s *SpaceService) UpdateSpace(ctx context.Context, a koodrive.Actor, in koodrive.SpaceUpdate) (*koodrive.Space, error) {
	return s.UpdateSpaceFn(ctx, a, in)
}

func (s *SpaceService) DeleteSpace(ctx context.Context, a koodrive.Actor, owner koodrive.ID, t koodrive.SpaceType) error {
	return s.DeleteSpaceFn(ctx, a, owner, t)
}

func (s *SpaceService) FindUserSpaces(ctx context.Context, a koodrive.Actor, f koodrive.SpaceFilter) ([]koodrive.UserSpace, int, error) {
	return s.FindUserSpacesFn(ctx, a, f)
}

func (s *SpaceService) FindDepartmentSpaces(ctx context.Context, a koodrive.Actor, keyWord string, offset, limit int) ([]koodrive.DepartmentSpace, int, error) {
	return s.FindDepartmentSpacesFn(ctx, a, keyWord, offset, limit)
}

func (s *SpaceService) Usage(ctx context.Context, a koodrive.Actor) (*koodrive.Usage, error) {
	return s.UsageFn(ctx, a)
}

func (s *SpaceService) ReportUsage(ctx context.Context, a koodrive.Actor, containerID string, usedBytes int64) error {
	return s.ReportUsageFn(ctx, a, containerID, usedBytes)
}

var _ koodrive.AuditService = (*AuditService)(nil)

type AuditService struct {
	FindAuditEntriesFn func(ctx context.Context, a koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error)
}

func (s *AuditService) FindAuditEntries(ctx context.Context, a koodrive.Actor, f koodrive.AuditFilter) ([]*koodrive.AuditEntry, int, error) {
	return s.FindAuditEntriesFn(ctx, a, f)
}

var _ koodrive.OrganizationService = (*OrganizationService)(nil)

type OrganizationService struct {
	InitOrganizationFn   func(ctx context.Context, in koodrive.OrganizationInit) (*koodrive.Organization, bool, error)
	FindOrganizationFn   func(ctx context.Context) (*koodrive.Organization, error)
	UpdateOrganizationFn func(ctx context.Context, a koodrive.Actor, in koodrive.OrganizationUpdate) (*koodrive.Organization, error)
}

func (s *OrganizationService) InitOrganization(ctx context.Context, in koodrive.OrganizationInit) (*koodrive.Organization, bool, error) {
	return s.InitOrganizationFn(ctx, in)
}

func (s *OrganizationService) FindOrganization(ctx context.Context) (*koodrive.Organization, error) {
	return s.FindOrganizationFn(ctx)
}

func (s *OrganizationService) UpdateOrganization(ctx context.Context, a koodrive.Actor, in koodrive.OrganizationUpdate) (*koodrive.Organization, error) {
	return s.UpdateOrganizationFn(ctx, a, in)
}

var _ koodrive.AuthService = (*AuthService)(nil)

type AuthService struct {
	CreateSessionFn     func(ctx context.Context, userID string) (*koodrive.Session, error)
	CreateLoginCodeFn   func(ctx context.Context, userID string) (string, error)
	ExchangeLoginCodeFn func(ctx context.Context, code string) (*koodrive.Session, error)
	AuthenticateFn      func(ctx context.Context, token string) (*koodrive.Actor, error)
	RefreshSessionFn    func(ctx context.Context, token, sessionID string) (*koodrive.Session, error)
	EndSessionFn        func(ctx context.Context, token string) error
	FindActorFn         func(ctx context.Context, id koodrive.ID) (*koodrive.Actor, error)
	RememberSignatureFn func(ctx context.Context, signature string, until time.Time) error
}

func (s *AuthService) CreateSession(ctx context.Context, userID string) (*koodrive.Session, error) {
	return s.CreateSessionFn(ctx, userID)
}

func (s *AuthService) CreateLoginCode(ctx context.Context, userID string) (string, error) {
	return s.CreateLoginCodeFn(ctx, userID)
}

func (s *AuthService) ExchangeLoginCode(ctx context.Context, code string) (*koodrive.Session, error) {
	return s.ExchangeLoginCodeFn(ctx, code)
}

func (s *AuthService) Authenticate(ctx context.Context, token string) (*koodrive.Actor, error) {
	return s.AuthenticateFn(ctx, token)
}

func (s *AuthService) RefreshSession(ctx context.Context, token, sessionID string) (*koodrive.Session, error) {
	return s.RefreshSessionFn(ctx, token, sessionID)
}

func (s *AuthService) EndSession(ctx context.Context, token string) error {
	return s.EndSessionFn(ctx, token)
}

func (s *AuthService) FindActor(ctx context.Context, id koodrive.ID) (*koodrive.Actor, error) {
	return s.FindActorFn(ctx, id)
}

func (s *AuthService) RememberSignature(ctx context.Context, signature string, until time.Time) error {
	return s.RememberSignatureFn(ctx, signature, until)
}

// Actors of the tokens the fake AuthService knows: "t" is a system
// administrator, "u" a common user.
var (
	admin = koodrive.Actor{ID: 1001, UserID: "admin", Role: koodrive.RoleSystemAdmin, DeptID: 100, DeptPath: "/100/"}
	user  = koodrive.Actor{ID: 1002, UserID: "user", Role: koodrive.RoleUser, DeptID: 100, DeptPath: "/100/"}
)

// bigID is above 2^53, where a JSON number read through float64 would be
// rounded: it must arrive exact.
const bigID koodrive.ID = 1575416580416769793

// newServer returns the API over svc, authenticating the tokens "t" and "u"
// unless svc brings its own AuthService.
func newServer(t testing.TB, svc httpapi.Services) http.Handler {
	t.Helper()
	return newLoggingServer(t, svc, slog.New(slog.DiscardHandler))
}

// newLoggingServer is newServer writing its log to log.
func newLoggingServer(t testing.TB, svc httpapi.Services, log *slog.Logger) http.Handler {
	t.Helper()
	catalog, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	if svc.Auth == nil {
		svc.Auth = &AuthService{AuthenticateFn: func(_ context.Context, token string) (*koodrive.Actor, error) {
			switch token {
			case "t":
				a := admin
				return &a, nil
			case "u":
				a := user
				return &a, nil
			}
			return nil, koodrive.NewError(koodrive.EUNAUTHENTICATED, "", koodrive.MsgAuthInvalid, nil)
		}}
	}
	return httpapi.NewServer(httpapi.DefaultConfig(), log, catalog, svc)
}

// reply is a decoded response.
type reply struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request with the administrator's token. A path without the
// /koodrive/ prefix is under the OSE API's; headers are name, value pairs
// and may replace Authorization.
func do(t testing.TB, h http.Handler, method, path, body string, headers ...string) reply {
	t.Helper()
	if !strings.HasPrefix(path, "/koodrive/") {
		path = "/koodrive/ose/v1" + path
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer t")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := reply{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	dec := json.NewDecoder(bytes.NewReader(r.Raw))
	dec.UseNumber()
	if err := dec.Decode(&r.Body); err != nil {
		t.Fatalf("%s %s: status %d, body is not a JSON object: %q", method, path, r.Status, r.Raw)
	}
	return r
}

// wantOK fails unless the reply is a success envelope.
func (r reply) wantOK(t testing.TB) {
	t.Helper()
	if r.Status != http.StatusOK || r.code() != 0 {
		t.Fatalf("status %d, body %s; want 200 with code 0", r.Status, r.Raw)
	}
}

// wantError fails unless the reply is an error with this status and code
// whose message contains every part, and whose trace ID is the header's.
func (r reply) wantError(t testing.TB, status int, code koodrive.Code, parts ...string) {
	t.Helper()
	if r.Status != status || r.code() != int(code) {
		t.Fatalf("status %d code %d, body %s; want status %d code %d", r.Status, r.code(), r.Raw, status, code)
	}
	msg, _ := r.Body["msg"].(string)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("msg %q does not contain %q", msg, p)
		}
	}
	if tid, _ := r.Body["traceId"].(string); tid == "" || tid != r.Header.Get("X-Traceid") {
		t.Errorf("traceId %q, X-Traceid header %q; want the same non-empty value", tid, r.Header.Get("X-Traceid"))
	}
}

// wantKeys fails unless m has exactly these keys.
func wantKeys(t testing.TB, m map[string]any, keys ...string) {
	t.Helper()
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %v", k, m)
		}
	}
	for k := range m {
		if !want[k] {
			t.Errorf("unexpected key %q in %v", k, m)
		}
	}
}

func (r reply) code() int {
	n, _ := r.Body["code"].(json.Number)
	c, _ := n.Int64()
	return int(c)
}

// data returns the "data" object.
func (r reply) data(t testing.TB) map[string]any {
	t.Helper()
	d, ok := r.Body["data"].(map[string]any)
	if !ok {
		t.Fatalf("no data object in %s", r.Raw)
	}
	return d
}

// objects returns the array of objects under key.
func objects(t testing.TB, m map[string]any, key string) []map[string]any {
	t.Helper()
	items, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%s is %T (%v), want a JSON array", key, m[key], m[key])
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		if out[i], ok = it.(map[string]any); !ok {
			t.Fatalf("%s[%d] is %T, want a JSON object", key, i, it)
		}
	}
	return out
}

// num returns a field that must be a JSON number.
func num(t testing.TB, m map[string]any, key string) int64 {
	t.Helper()
	n, ok := m[key].(json.Number)
	if !ok {
		t.Fatalf("%s is %T (%v), want a JSON number", key, m[key], m[key])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// str returns a field that must be a JSON string.
func str(t testing.TB, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s is %T (%v), want a JSON string", key, m[key], m[key])
	}
	return s
}

// wantFields checks fields against want: a string wants a JSON string, an
// int or int64 a JSON number.
func wantFields(t testing.TB, m map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		switch w := w.(type) {
		case string:
			if got := str(t, m, k); got != w {
				t.Errorf("%s = %q, want %q", k, got, w)
			}
		case int:
			if got := num(t, m, k); got != int64(w) {
				t.Errorf("%s = %d, want %d", k, got, w)
			}
		case int64:
			if got := num(t, m, k); got != w {
				t.Errorf("%s = %d, want %d", k, got, w)
			}
		default:
			t.Fatalf("wantFields: %s has unsupported type %T", k, w)
		}
	}
}
