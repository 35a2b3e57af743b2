package koodrive

import (
	"context"
	"time"
)

// SessionTTL is how long a session lives after its last use (KooDrive's
// sliding 20 minutes).
const SessionTTL = 20 * time.Minute

// App is a registered application that calls the API with HMAC-SHA256
// app authentication, acting as the user named in X-User-Id.
type App struct {
	AppID     string
	Name      string
	Secret    string // only set when the app is created
	CreatedAt time.Time
}

// AuthService issues and checks credentials.
type AuthService interface {
	// CreateSession issues an access token for the user with the external
	// userId. ENOTFOUND for an unknown user, EFORBIDDEN for one who may not
	// sign in.
	CreateSession(ctx context.Context, userID string) (token string, err error)

	// Authenticate returns the actor a token belongs to and extends the
	// session. A user's first authenticated request activates the user.
	// EUNAUTHENTICATED for an unknown or expired token or a disabled user.
	Authenticate(ctx context.Context, token string) (*Actor, error)

	// CreateApp registers an application and returns it with its secret.
	CreateApp(ctx context.Context, name string) (*App, error)
}
