package sqldb_test

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/koodrive/koodrive"
)

func TestAuthService_CreateSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "Alice", Role: new(koodrive.RoleUser)})
		a, err := db.Auth.CreateSession(ctx, "alice") // the userId ignoring case
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Auth.CreateSession(ctx, "ALICE")
		if err != nil {
			t.Fatal(err)
		}
		if a == "" || a == b {
			t.Fatalf("tokens %q and %q, want two different ones", a, b)
		}
		for _, token := range []string{a, b} {
			actor, err := db.Auth.Authenticate(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := actor.UserID, "Alice"; got != want {
				t.Errorf("UserID = %q, want %q", got, want)
			}
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		for _, id := range []string{"nobody", ""} {
			token, err := db.Auth.CreateSession(ctx, id)
			assertKind(t, err, koodrive.ENOTFOUND)
			if token != "" {
				t.Errorf("token = %q, want none", token)
			}
		}
	})
}

func TestAuthService_Authenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		tr := mustTree(t, db)
		u := MustCreateUser(t, db, tr.Admin, koodrive.UserCreate{UserID: "ann", DeptID: tr.EMEA.ID, Role: new(koodrive.RoleDeptAdmin)})
		a := MustActor(t, db, "ann")
		want := koodrive.Actor{ID: u.ID, UserID: "ann", Role: koodrive.RoleDeptAdmin, DeptID: tr.EMEA.ID, DeptPath: tr.EMEA.Path}
		if a != want {
			t.Errorf("Actor = %+v, want %+v", a, want)
		}
		// The admin's session gives the Actor the tests build from the store.
		if got, want := MustActor(t, db, "admin"), tr.Admin; got != want {
			t.Errorf("admin Actor = %+v, want %+v", got, want)
		}
	})

	t.Run("Activates", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		token, err := db.Auth.CreateSession(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		// Issuing a token is not using it.
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusNotActivated; got != want {
			t.Fatalf("Status after CreateSession = %d, want %d", got, want)
		}
		db.Clock.Advance(time.Minute)
		if _, err := db.Auth.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusEnabled; got != want {
			t.Fatalf("Status after Authenticate = %d, want %d", got, want)
		}
		if _, err := db.Auth.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusEnabled; got != want {
			t.Fatalf("Status after a second Authenticate = %d, want %d", got, want)
		}
	})

	t.Run("SlidingExpiry", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		token, err := db.Auth.CreateSession(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		auth := func() error {
			_, err := db.Auth.Authenticate(ctx, token)
			return err
		}
		if err := auth(); err != nil {
			t.Fatalf("at t0: %v", err)
		}
		db.Clock.Advance(19 * time.Minute)
		if err := auth(); err != nil {
			t.Fatalf("at t0+19m: %v", err)
		}
		db.Clock.Advance(19 * time.Minute)
		if err := auth(); err != nil {
			t.Fatalf("at t0+38m, 19 minutes after the last use: %v", err)
		}
		db.Clock.Advance(21 * time.Minute)
		assertKind(t, auth(), koodrive.EUNAUTHENTICATED)
		// Expired stays expired.
		db.Clock.Advance(time.Second)
		assertKind(t, auth(), koodrive.EUNAUTHENTICATED)
	})

	t.Run("ErrExpiredUnused", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		token, err := db.Auth.CreateSession(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(21 * time.Minute)
		_, err = db.Auth.Authenticate(ctx, token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusNotActivated; got != want {
			t.Errorf("Status = %d, want %d (an expired token activates nobody)", got, want)
		}
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		token, err := db.Auth.CreateSession(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"", "nope", strings.ToUpper(token), token + "0", token[1:]} {
			a, err := db.Auth.Authenticate(ctx, bad)
			assertKind(t, err, koodrive.EUNAUTHENTICATED)
			if a != nil {
				t.Errorf("token %q: actor %+v, want nil", bad, a)
			}
		}
	})

	// No service disables users yet, so the test does it in the file.
	t.Run("ErrDisabled", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		o := MustInitOrg(t, db)
		u := MustCreateUser(t, db, o.Admin, koodrive.UserCreate{UserID: "ann", Role: new(koodrive.RoleUser)})
		token, err := db.Auth.CreateSession(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		raw := db.MustRaw(t)
		if _, err := raw.ExecContext(ctx, `UPDATE users SET status = $1 WHERE id = $2`, koodrive.StatusDisabled, int64(u.ID)); err != nil {
			t.Fatal(err)
		}
		_, err = db.Auth.Authenticate(ctx, token)
		assertKind(t, err, koodrive.EUNAUTHENTICATED)
		_, err = db.Auth.CreateSession(ctx, "ann")
		assertKind(t, err, koodrive.EFORBIDDEN)
		if got, want := mustStatus(t, db, o.Admin, u.ID), koodrive.StatusDisabled; got != want {
			t.Errorf("Status = %d, want %d", got, want)
		}
	})

	t.Run("TokenHashed", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		var tokens []string
		for range 3 {
			token, err := db.Auth.CreateSession(ctx, "admin")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Auth.Authenticate(ctx, token); err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, token)
		}
		raw := db.MustRaw(t)
		rows, err := raw.QueryContext(ctx, `SELECT token_hash FROM sessions`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var stored []string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			stored = append(stored, h)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if got, want := len(stored), len(tokens); got != want {
			t.Fatalf("%d sessions stored, want %d", got, want)
		}
		for _, h := range stored {
			for _, token := range tokens {
				if h == token || strings.Contains(h, token) {
					t.Errorf("sessions holds the token %q itself", token)
				}
			}
		}
	})
}

func TestAuthService_CreateApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		a, err := db.Auth.CreateApp(ctx, "HR sync")
		if err != nil {
			t.Fatal(err)
		}
		if len(a.AppID) != 64 || !isLowerHex(a.AppID) {
			t.Errorf("AppID = %q, want 64 hex digits", a.AppID)
		}
		if a.Secret == "" || a.Secret == a.AppID {
			t.Errorf("Secret = %q, want a secret of its own", a.Secret)
		}
		if got, want := a.Name, "HR sync"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if !a.CreatedAt.Equal(t0) {
			t.Errorf("CreatedAt = %v, want %v", a.CreatedAt, t0)
		}
		b, err := db.Auth.CreateApp(ctx, "HR sync")
		if err != nil {
			t.Fatal(err)
		}
		if a.AppID == b.AppID || a.Secret == b.Secret {
			t.Errorf("two apps share an AppID or a secret: %+v, %+v", a, b)
		}
	})

	t.Run("ErrNameRequired", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		_, err := db.Auth.CreateApp(ctx, "")
		assertError(t, err, koodrive.EINVALID, "name")
	})

	t.Run("ErrNameInvalid", func(t *testing.T) {
		t.Parallel()
		db := MustOpenDB(t)
		MustInitOrg(t, db)
		for _, name := range []string{strings.Repeat("a", koodrive.MaxUserNameLen+1), "bad\x00name"} {
			_, err := db.Auth.CreateApp(ctx, name)
			assertError(t, err, koodrive.EINVALID, "name")
		}
	})
}

// mustStatus returns the user's status as an administrator sees it.
func mustStatus(tb testing.TB, db *DB, admin koodrive.Actor, id koodrive.ID) koodrive.Status {
	tb.Helper()
	u, err := db.Users.FindUserByID(context.Background(), admin, id)
	if err != nil {
		tb.Fatalf("find user %d: %v", id, err)
	}
	return u.Status
}

func isLowerHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
