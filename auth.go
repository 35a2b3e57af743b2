package koodrive

import (
	"context"
	"time"
)

// SessionTTL is how long a session lives after its last use (KooDrive's
// sliding 20 minutes).
const SessionTTL = 20 * time.Minute

// LoginCodeTTL is how long a one-time login code may wait to be exchanged
// for a session.
const LoginCodeTTL = 5 * time.Minute

// MaxRotationGrace bounds how long a rotated app secret keeps working.
const MaxRotationGrace = 7 * 24 * time.Hour

// Session is a signed-in user's session. Token is its secret and is only
// known when the session is issued or refreshed; ID names the session for
// refresh and does not authenticate anything.
type Session struct {
	ID     string
	Token  string
	UserID ID
}

// AppStatus says whether an app may authenticate.
type AppStatus int

// App statuses.
const (
	AppEnabled  AppStatus = 0
	AppDisabled AppStatus = 1
)

// App is a registered application that calls the API with HMAC-SHA256 app
// authentication, acting as the user named in X-User-Id.
type App struct {
	AppID     string
	Name      string
	Secret    string // only set when the secret is issued
	Status    AppStatus
	CreatedAt time.Time
	UpdatedAt time.Time
	// PreviousUntil is when the secret a rotation replaced stops working;
	// zero when there is none.
	PreviousUntil time.Time
}

// AppKeys are the secrets an app's signatures may be made with: the
// current one and, for a while after a rotation, the previous one.
type AppKeys struct {
	Status   AppStatus
	Current  string
	Previous string // "" when none is valid
}

// AuthService issues and checks users' credentials.
type AuthService interface {
	// CreateSession issues a session for the user with the external userId.
	// ENOTFOUND for an unknown user, EFORBIDDEN for one who may not sign in.
	CreateSession(ctx context.Context, userID string) (*Session, error)

	// CreateLoginCode issues a one-time code that ExchangeLoginCode turns
	// into a session within LoginCodeTTL. Errors as CreateSession.
	CreateLoginCode(ctx context.Context, userID string) (string, error)

	// ExchangeLoginCode spends a login code on a new session.
	// EUNAUTHENTICATED for an unknown, used or expired code.
	ExchangeLoginCode(ctx context.Context, code string) (*Session, error)

	// Authenticate returns the actor a token belongs to and extends the
	// session. A user's first authenticated request activates the user.
	// EUNAUTHENTICATED for an unknown or expired token or a disabled user.
	Authenticate(ctx context.Context, token string) (*Actor, error)

	// RefreshSession replaces the token of the session sessionID, which
	// token must belong to; the old token stops working. EUNAUTHENTICATED
	// otherwise.
	RefreshSession(ctx context.Context, token, sessionID string) (*Session, error)

	// EndSession ends the session of token; ending an unknown session is
	// not an error.
	EndSession(ctx context.Context, token string) error

	// FindActor returns the actor for the user with koodrive ID id, for
	// requests an app makes on the user's behalf. EUNAUTHENTICATED for an
	// unknown or disabled user.
	FindActor(ctx context.Context, id ID) (*Actor, error)

	// RememberSignature records a verified request signature until it
	// expires. EUNAUTHENTICATED if it was recorded before: a replay.
	RememberSignature(ctx context.Context, signature string, until time.Time) error
}

// AppService manages the apps that use app authentication. Every method
// but AppKeys is for system administrators (EFORBIDDEN otherwise).
type AppService interface {
	// CreateApp registers an app and returns it with its secret.
	// EINVALID for a bad name.
	CreateApp(ctx context.Context, a Actor, name string) (*App, error)

	// FindApps lists the apps, oldest first, without secrets.
	FindApps(ctx context.Context, a Actor) ([]*App, error)

	// SetAppStatus enables or disables an app. ENOTFOUND for an unknown app.
	SetAppStatus(ctx context.Context, a Actor, appID string, status AppStatus) error

	// DeleteApp removes an app. ENOTFOUND for an unknown app.
	DeleteApp(ctx context.Context, a Actor, appID string) error

	// RotateAppSecret gives an app a new secret and returns it; the old one
	// keeps working for grace (at most MaxRotationGrace). ENOTFOUND for an
	// unknown app, EINVALID for a bad grace.
	RotateAppSecret(ctx context.Context, a Actor, appID string, grace time.Duration) (*App, error)

	// AppKeys returns the secrets an app may sign with, for verifying its
	// requests. ENOTFOUND for an unknown app.
	AppKeys(ctx context.Context, appID string) (*AppKeys, error)
}
